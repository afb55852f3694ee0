from django.urls import path

from . import views
from .network.urls import urlpatterns as network_urlpatterns

app_name = "partnerships"

urlpatterns = [
    path(
        "association/<slug:slug>/partnerships/",
        views.association_partnerships,
        name="association",
    ),
    path("school/partnerships/", views.school_partnerships, name="school"),
    path(
        "association/<slug:slug>/partnerships/<int:partnership_id>/plans/new/",
        views.plan_create,
        name="plan_create",
    ),
    path("association/<slug:slug>/plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path(
        "association/<slug:slug>/plans/<int:plan_id>/add/<str:part>/",
        views.plan_add,
        name="plan_add",
    ),
    path(
        "association/<slug:slug>/plans/<int:plan_id>/submit/", views.plan_submit, name="plan_submit"
    ),
    path(
        "association/<slug:slug>/plans/<int:plan_id>/remove/<str:part>/<int:part_id>/",
        views.plan_remove,
        name="plan_remove",
    ),
    path("association/<slug:slug>/plans/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("partnerships/plans/<int:plan_id>/print/", views.plan_print, name="plan_print"),
    path("partnerships/plans/<int:plan_id>/pdf/", views.plan_pdf, name="plan_pdf"),
]

urlpatterns += network_urlpatterns
