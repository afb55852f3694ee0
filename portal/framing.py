"""Which sites may frame a page: a municipality's intranet origins for the embedded catalog
and key figures, nobody for every other page (settings.CONTENT_SECURITY_POLICY)."""

from csp.constants import HEADER
from csp.utils import build_policy


def allow_framing(response, origins):
    """Let ``origins`` (and only them; none: nobody) frame ``response``: the site's policy
    with its ``frame-ancestors`` replaced, set here because django-csp's middleware keeps a
    header a view has set (its decorators take fixed values, these are per municipality)."""
    response[HEADER] = build_policy(replace={"frame-ancestors": list(origins) or ["'none'"]})
    return response
