from django.urls import path

from . import views

app_name = "bookings"
urlpatterns = [
    path("offers/<slug:slug>/book/", views.book_offer, name="book_offer"),
    path("bookings/<int:pk>/", views.booking_detail, name="detail"),
    path("bookings/<int:pk>/messages/", views.post_message, name="post_message"),
    path("bookings/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("bookings/<int:pk>/approval/", views.decide_approval, name="decide_approval"),
    path("bookings/approval/<str:token>/", views.approval_link, name="approval_link"),
    path("bookings/<int:pk>/<str:action>/", views.booking_action, name="action"),
    path("bookings.ics", views.my_ics, name="my_ics"),
    path("calendar/<slug:token>.ics", views.feed, name="feed"),
    path("calendar/<str:kind>/<int:pk>/<str:action>/", views.feed_manage, name="feed_manage"),
    path("school/", views.my_school, name="my_school"),
    path("waiting/<int:pk>/accept/", views.accept_waiting_place, name="accept_waiting"),
    path("waiting/<int:pk>/leave/", views.leave_waiting_list, name="leave_waiting"),
    path("my-offers/<int:offer_pk>/occasions/", views.occasions, name="occasions"),
    path("occasions/<int:pk>/edit/", views.occasion_edit, name="occasion_edit"),
    path("occasions/<int:pk>/cancel/", views.occasion_cancel, name="occasion_cancel"),
    path(
        "associations/<int:pk>/bookings/",
        views.my_association_bookings,
        name="my_association_bookings",
    ),
    path("pool/", views.pool, name="pool"),
    path("pool/<int:pk>/amount/", views.pool_amount, name="pool_amount"),
    path("consultant/bookings/", views.consultant_overview, name="consultant"),
]
