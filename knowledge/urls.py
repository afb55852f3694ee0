from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import feeds, views

app_name = "knowledge"
urlpatterns = [
    path("knowledge/", views.item_list, name="list"),
    path(
        "knowledge/feed/<slug:municipality>/",
        require_safe(cache_control(public=True, max_age=feeds.FEED_MAX_AGE)(feeds.KnowledgeFeed())),
        name="feed",
    ),
    path("knowledge/propose/", views.propose, name="propose"),
    path("knowledge/propose/booking/<str:pk>/", views.propose_booking, name="propose_booking"),
    path(
        "knowledge/propose/partnership/<str:pk>/",
        views.propose_partnership,
        name="propose_partnership",
    ),
    path("knowledge/proposals/<str:pk>/", views.proposal, name="proposal"),
    path("knowledge/proposals/<str:pk>/photo/", views.proposal_photo, name="proposal_photo"),
    path(
        "knowledge/proposals/<str:pk>/photos/<str:photo>/remove/",
        views.proposal_photo_remove,
        name="proposal_photo_remove",
    ),
    path("knowledge/proposals/<str:pk>/submit/", views.proposal_submit, name="proposal_submit"),
    path("knowledge/pictures/<str:pk>/", views.photo, name="photo"),
    path("knowledge/<slug:slug>/", views.item_detail, name="detail"),
    path("knowledge/<slug:slug>/download/", views.download, name="download"),
]
