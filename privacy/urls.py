from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("account/data/", views.my_data, name="my_data"),
    path("account/data/download/", views.download, name="download"),
    path("account/delete/", views.delete_account, name="delete_account"),
]
