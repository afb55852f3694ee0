from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications/settings/", views.preferences, name="settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
