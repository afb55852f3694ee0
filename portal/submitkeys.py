"""Forms sent twice: the column, the constraint and the look-up behind a form's key.

The form carries the key (``portal.forms.SubmitKeyField``); the service that creates the row
stores it in ``submit_key_field()`` under ``submitted_once()``, inserts in a savepoint, and on
the constraint's ``IntegrityError`` answers with ``sent_before()``; the view tells the user
once (``tell_once``). Every app uses these; none has a model here.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def submit_key_field():
    """The idempotency token of the form that created the row (``portal.forms.SubmitKeyField``).

    Empty for rows not created from a form (allocations, accepted waiting places, imports).
    """
    return models.UUIDField(_("form key"), null=True, blank=True, editable=False)


def submitted_once(owner: str, name: str) -> models.UniqueConstraint:
    """One row per form sent: the same key from the same person is refused by the database,
    so that a form sent twice, even at the same moment, creates one row. Rows without a key
    are left out of the index."""
    return models.UniqueConstraint(
        fields=[owner, "submit_key"], condition=Q(submit_key__isnull=False), name=name
    )


def sent_before(model: type[models.Model], submit_key: uuid.UUID | None, **sender):
    """The row that the form with ``submit_key`` created when ``sender`` sent it before, or
    None (also for a form without a key).

    Called only when creating the row failed, so that the first submit costs nothing extra;
    a row that stores an uploaded file is looked up before the insert instead, under a lock,
    so that the file is not stored twice (``associations.services.add_photo``).
    A form sent again finds the key taken: at the insert, where the unique constraint on
    (sender, key) refuses it (a simultaneous submit waits there until the first one
    commits), or earlier, at a rule the first submit changed (the last place is gone, the
    school is on the waiting list already). Its transaction or savepoint is rolled back by
    then, with any places or money it reserved, and it answers with the first result.
    The sender scopes the key: someone else's key finds nothing of theirs.
    """
    if submit_key is None:
        return None
    return model.objects.filter(submit_key=submit_key, **sender).first()


def tell_once(request, level: int, text: str) -> None:
    """Add a message unless the same one already waits to be shown: a form sent twice (a
    double click) gets the first submit's answer, once, on the page both lead to."""
    waiting = messages.get_messages(request)
    seen = any(m.level == level and m.message == text for m in waiting)
    waiting.used = False  # looked at, not shown: they stay for the next page
    if not seen:
        messages.add_message(request, level, text)
