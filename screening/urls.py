from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("screening/", views.queue, name="queue"),
    path("school/join/", views.join_school, name="join_school"),
    path("school/staff/", views.school_staff, name="school_staff"),
    path("school/staff/<int:pk>/decide/", views.decide_staff, name="decide_staff"),
]
