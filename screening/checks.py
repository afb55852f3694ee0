"""Automatic checks: the parts of a screening checklist that the portal checks itself.

A screened model returns them from ``automatic_checks()`` (an offer checks its instructors'
child certificates); the consultant's page shows each as a table that says which row fails
and why, and an item passes the checklist only when every check passes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.utils.translation import gettext as _

from .models import Screenable


@dataclass
class CheckRow:
    """One thing checked (an instructor, say): the cells shown, whether it passed, and why not."""

    subject: object
    cells: list
    ok: bool
    why: str = ""


@dataclass
class AutomaticCheck:
    title: str
    columns: list[str]
    #: Shown (and failing) when there was nothing to check, e.g. no instructor is named.
    empty: str
    rows: list[CheckRow] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.rows) and all(row.ok for row in self.rows)

    @property
    def failures(self) -> list[CheckRow]:
        return [row for row in self.rows if not row.ok]

    @property
    def reason(self) -> str:
        """Why the check fails, in one line ("" when it passes): each failing row and why,
        e.g. "Anna Berg: the certificate is older than 730 days"."""
        if self.passed:
            return ""
        if not self.rows:
            return str(self.empty)
        fallback = _("does not pass")
        return "; ".join(f"{row.subject}: {row.why or fallback}" for row in self.failures)


def screened_models() -> list:
    """Every model the consultants screen (the concrete subclasses of ``Screenable``)."""
    return [m for m in apps.get_models() if issubclass(m, Screenable)]
