"""The parts of every page's frame (``templates/base.html``) rendered once per process.

The header (navigation, account menu, language switch), the stylesheet links and the footer
depend on the language and, for the header, on whether the visitor is signed in and on their
role flags; beyond that only on three values of the request: the short name, the log-out
form's CSRF token and the path the language links come back to. ``part`` renders a part's
template once per process for each language and set of flags, with a placeholder for each of
those values, and fills the request's values into the stored pieces: a few function calls
instead of a template's twenty translations, URLs and static paths on every page.

The templates stay the source of the HTML. A part's template may use only the flags and the
slots it is given (and the language, URLs and static files, which change with a deploy, that
is with a new process); its last newline is dropped so that its tag sits on a line of its
own in ``base.html``. The stored parts are forgotten when a setting changes (tests) and when
the development server sees a file change.
"""

from __future__ import annotations

import re

from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

#: The request's values a part may show, each rendered first as a placeholder that the
#: template's escaping and filters leave as it is. Values are filled in already escaped.
SLOTS = {
    "short_name": "frame-slot-short-name",
    "csrf_token": "frame-slot-csrf-token",
    "language_next": "frame-slot-language-next",
}
_SLOT_NAMES = {placeholder: slot for slot, placeholder in SLOTS.items()}
_SPLIT = re.compile("({})".format("|".join(SLOTS.values())))

#: (template, language, flags) -> the rendered part split at its placeholders: text at even
#: positions, placeholders at odd ones.
_rendered: dict[tuple, list[str]] = {}


def part(
    template_name: str, variant: tuple = (), context: dict | None = None, **values: str
) -> SafeString:
    """``template_name`` rendered with ``context`` (what ``variant`` stands for: a part is
    rendered once per language and variant) and the request's ``values`` (escaped HTML) in
    the slots it shows.

    A slot is in the template's context only when ``values`` has it, so a variant without
    one (an anonymous visitor's header has no log-out form) never asks the request for it.
    """
    key = (template_name, get_language(), variant, tuple(values))
    pieces = _rendered.get(key)
    if pieces is None:
        slots = {slot: SLOTS[slot] for slot in values}
        html = render_to_string(template_name, {**(context or {}), **slots})
        pieces = _rendered[key] = _SPLIT.split(html.removesuffix("\n"))
    if len(pieces) == 1:
        return mark_safe(pieces[0])  # noqa: S308 # nosec B308 B703 - our own template's output
    filled = pieces.copy()
    filled[1::2] = [values[_SLOT_NAMES[placeholder]] for placeholder in pieces[1::2]]
    return mark_safe("".join(filled))  # noqa: S308 # nosec B308 B703 - escaped values


def forget(**_kwargs) -> None:
    """Render every part again on its next use."""
    _rendered.clear()


setting_changed.connect(forget, dispatch_uid="portal.frame.forget.setting_changed")
file_changed.connect(forget, dispatch_uid="portal.frame.forget.file_changed")
