from django.conf import settings


def portal(request):
    """What the base layout needs: the user's roles for the navigation."""
    user = getattr(request, "user", None)
    roles = {"school": False, "school_leader": False, "association": False, "consultant": False}
    if user is not None and user.is_authenticated:
        roles = {
            "school": user.is_school_staff,
            "school_leader": any(m.is_leader for m in user.active_school_memberships),
            "association": user.is_association_member,
            "consultant": user.is_consultant,
        }
    return {"roles": roles, "SITE_URL": settings.SITE_URL}
