"""Where to send a visitor back to: a "next" value comes from the visitor, so only a URL of
this site is followed."""

from django.utils.http import url_has_allowed_host_and_scheme


def local_url(request, url: str, default: str = "") -> str:
    """``url`` if it stays on this site (a path, or this host with the request's scheme),
    else ``default``. Redirect to it with ``HttpResponseRedirect``, not ``redirect()``: the
    latter reads a word without "/" or "." as a URL name and fails on an unknown one."""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else default
