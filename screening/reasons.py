"""The coded rejection reasons every municipality starts with.

A new municipality gets them when it is created (``ScreeningConfig.ready`` connects
``add_default_reasons`` to ``Municipality``'s ``post_save``); those that existed before got
them from migration 0004. The consultants edit, add and deactivate reasons in the admin
(Screening › Rejection reasons). The texts are stored in the portal's language
(``settings.LANGUAGE_CODE``): they are the municipality's own words from then on.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import ReasonScope, RejectionReason

#: The first four are about an association and its offers; the last two fit every kind.
DEFAULT_REASONS = [
    (
        "A1",
        _("Child safety: child certificates or supervision are not in order"),
        ReasonScope.OFFERS,
    ),
    ("A2", _("Does not fit school teaching or the pupils' age"), ReasonScope.OFFERS),
    (
        "A3",
        _("Commercial content or marketing rather than an activity for pupils"),
        ReasonScope.OFFERS,
    ),
    ("A4", _("Not a local association or club in the municipality"), ReasonScope.OFFERS),
    ("A5", _("Information still missing after a request for changes"), ReasonScope.ALL),
    ("A6", _("Other reason (see the explanation)"), ReasonScope.ALL),
]


def add_default_reasons(municipality) -> int:
    """Give the municipality the default reasons it lacks (by code). Returns how many."""
    have = set(
        RejectionReason.objects.filter(municipality=municipality).values_list("code", flat=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        new = [
            RejectionReason(municipality=municipality, code=code, text=str(text), applies_to=scope)
            for code, text, scope in DEFAULT_REASONS
            if code not in have
        ]
    RejectionReason.objects.bulk_create(new)
    return len(new)


def municipality_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """``post_save`` of ``Municipality``: a new municipality can reject from the start."""
    if created and not raw:
        add_default_reasons(instance)
