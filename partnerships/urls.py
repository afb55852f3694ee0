from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path(
        "association/<slug:slug>/partnerships/",
        views.association_partnerships,
        name="association",
    ),
    path("school/partnerships/", views.school_partnerships, name="school"),
]
