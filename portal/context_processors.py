from django.conf import settings


def portal(request):
    """What the base layout needs: the user's roles for the navigation."""
    user = getattr(request, "user", None)
    roles = {"school": False, "school_leader": False, "association": False, "consultant": False}
    if user is not None and user.is_authenticated:
        roles = user.roles.navigation()  # the cached summary: no query
    return {
        "roles": roles,
        "SITE_URL": settings.SITE_URL,
        # The map's tile server (templates/partials/_map_tiles.html), from settings.
        "MAP_TILES": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
    }
