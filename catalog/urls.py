from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import feeds, views

app_name = "catalog"
urlpatterns = [
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/favourites/", views.favourite_list, name="favourite_list"),
    path("offers/calendar/", views.offer_calendar, name="offer_calendar"),
    path("map/", views.offer_map, name="offer_map"),
    path(
        "offers/feed/<slug:municipality>/",
        require_safe(cache_control(public=True, max_age=feeds.FEED_MAX_AGE)(feeds.NewOffersFeed())),
        name="offer_feed",
    ),
    path("offers/calendar/<slug:municipality>.ics", feeds.occasions_ical, name="occasion_calendar"),
    path("offers/<slug:slug>/", views.offer_detail, name="offer_detail"),
    path("offers/<slug:slug>/favourite/", views.favourite_toggle, name="favourite_toggle"),
    path("associations/<slug:slug>/", views.association_detail, name="association_detail"),
    path("embed/offers/", views.embed_list, name="embed_list"),
    path("embed/offers/<slug:slug>/", views.embed_detail, name="embed_detail"),
    path("embed/snippet/", views.embed_snippet, name="embed_snippet"),
]
