from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/close/", views.need_close, name="need_close"),
    path("school/events/add/", views.school_event_add, name="school_event_add"),
    path("school-events/", views.school_events, name="school_events"),
    path("school-events/<int:pk>/take-part/", views.participate, name="participate"),
    path(
        "school-events/offers/<int:pk>/",
        views.participation_detail,
        name="participation_detail",
    ),
    path(
        "school-events/offers/<int:pk>/answer/",
        views.participation_answer,
        name="participation_answer",
    ),
    path(
        "school-events/offers/<int:pk>/messages/",
        views.participation_message,
        name="participation_message",
    ),
    path("school/join/", views.join_school, name="join_school"),
    path("school/staff/", views.school_staff, name="school_staff"),
    path("school/staff/<int:pk>/decide/", views.decide_staff, name="decide_staff"),
]
