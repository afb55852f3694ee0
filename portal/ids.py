"""Ids sent by the client outside a form (a query parameter, a hidden field)."""

from django.http import Http404

from .forms import MAX_PK, is_digits


def client_pk(value) -> int:
    """The id as a number; 404 for anything that cannot be one (text, NUL bytes, numbers no
    primary key can have), before it reaches a query."""
    text = str(value)
    if not is_digits(text) or int(text) > MAX_PK:
        raise Http404
    return int(text)
