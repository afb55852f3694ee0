from django.urls import path

from . import views

app_name = "sso"
urlpatterns = [
    path("login/sso/", views.choose, name="choose"),
    path("login/sso/callback/", views.callback, name="callback"),
    path("login/sso/<int:pk>/", views.start, name="start"),
]
