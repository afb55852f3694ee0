from django.urls import path

from . import figures_views, meeting_views, views
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
    path(
        "association/<slug:slug>/plans/<int:plan_id>/change/", views.plan_change, name="plan_change"
    ),
    path("partnerships/plans/<int:plan_id>/print/", views.plan_print, name="plan_print"),
    path("partnerships/plans/<int:plan_id>/pdf/", views.plan_pdf, name="plan_pdf"),
    # The consultant's overview and status meetings.
    path("partnerships/", meeting_views.overview, name="overview"),
    path(
        "partnerships/<int:partnership_id>/meetings/new/",
        meeting_views.meeting_new,
        name="meeting_new",
    ),
    path("partnerships/meetings/<int:meeting_id>/", meeting_views.meeting_detail, name="meeting"),
    path(
        "partnerships/meetings/<int:meeting_id>/minutes/",
        meeting_views.meeting_minutes,
        name="meeting_minutes",
    ),
    path(
        "partnerships/meetings/<int:meeting_id>/move/",
        meeting_views.meeting_move,
        name="meeting_move",
    ),
    path(
        "partnerships/meetings/<int:meeting_id>/cancel/",
        meeting_views.meeting_cancel,
        name="meeting_cancel",
    ),
    path(
        "partnerships/meetings/<int:meeting_id>/meeting.ics",
        meeting_views.meeting_ics,
        name="meeting_ics",
    ),
    path(
        "association/<slug:slug>/partnerships/<int:partnership_id>/figures/",
        figures_views.figures,
        name="figures",
    ),
    path("partnerships/figures/", figures_views.figures_overview, name="figures_overview"),
]

urlpatterns += network_urlpatterns
