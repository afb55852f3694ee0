from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.dashboard, name="index"),
    path("dashboard/export/<slug:table>.<str:fmt>", views.export, name="export"),
    path("key-figures/<slug:slug>/", views.key_figures, name="key_figures"),
    path("embed/key-figures/<slug:slug>/", views.key_figures_embed, name="key_figures_embed"),
]
