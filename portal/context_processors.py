from django.conf import settings
from django.utils.functional import SimpleLazyObject

NO_ROLES = {"school": False, "school_leader": False, "association": False, "consultant": False}


def portal(request):
    """What the templates need besides Django's: the user's role flags for the navigation
    (read only when a template uses them: a page without the navigation loads no user for
    them) and the map's tile server (templates/partials/_map_tiles.html), from settings."""
    return {
        "roles": SimpleLazyObject(lambda: navigation_roles(request)),
        "MAP_TILES": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
    }


def navigation_roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.roles.navigation()  # the cached summary: no query
    return dict(NO_ROLES)
