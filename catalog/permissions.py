"""Who may do what in the catalog."""


def can_favourite(user) -> bool:
    """Favourites, "new since my last visit" and "near my school" are for school staff."""
    return bool(getattr(user, "is_authenticated", False) and user.is_school_staff)


def can_see_contact(user) -> bool:
    """An association's contact details are shown to logged-in school staff only."""
    return can_favourite(user)


def can_make_embed_snippet(user) -> bool:
    """Operators (staff) and consultants generate the iframe snippet."""
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_consultant))
