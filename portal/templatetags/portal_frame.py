"""The page frame's parts in ``base.html``, each rendered once per process (``portal.frame``).

- ``{% frame_part "partials/_footer.html" %}``: a part that depends on the language only;
- ``{% site_header %}``: the skip link and the header with the navigation, the account menu
  and the language switch, for the visitor's role flags.
"""

from urllib.parse import quote

from django import template
from django.utils.html import conditional_escape

from portal import frame

register = template.Library()

#: The role flags the navigation shows (``portal.context_processors.portal``'s ``roles``).
NAVIGATION_ROLES = ("school", "school_leader", "association", "consultant")
HEADER = "partials/_header.html"


@register.simple_tag
def frame_part(template_name: str):
    return frame.part(template_name)


@register.simple_tag(takes_context=True)
def site_header(context):
    """``partials/_header.html`` for this visitor: signed in or not, with the role flags of
    the context's ``roles``, their short name, the log-out form's CSRF token and the path the
    language switch comes back to (the same values the template would read itself)."""
    request = context.get("request")
    user = context.get("user")
    # The language links bring the visitor back here (as ``request.get_full_path|urlencode``).
    values = {"language_next": quote(request.get_full_path()) if request is not None else ""}
    signed_in = bool(user is not None and user.is_authenticated)
    if not signed_in:
        return frame.part(HEADER, (False,), {"signed_in": False}, **values)
    roles = context.get("roles") or {}
    flags = tuple(bool(roles.get(name)) for name in NAVIGATION_ROLES)
    header = {"signed_in": True, "roles": dict(zip(NAVIGATION_ROLES, flags, strict=True))}
    values["short_name"] = conditional_escape(user.get_short_name())
    token = context.get("csrf_token")  # as {% csrf_token %}: no field without a token
    if token and token != "NOTPROVIDED":  # noqa: S105 - the csrf context processor's marker
        values["csrf_token"] = conditional_escape(token)
    return frame.part(HEADER, (True, flags), header, **values)
