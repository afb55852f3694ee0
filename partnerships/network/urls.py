from django.urls import path

from . import views

#: Included in ``partnerships.urls`` (namespace ``partnerships``).
urlpatterns = [
    path("events/", views.event_list, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/sign-up/", views.event_register, name="event_register"),
    path(
        "events/<int:pk>/sign-up/<int:registration_id>/cancel/",
        views.event_cancel,
        name="event_cancel",
    ),
]
