"""Screening transitions: the only code that changes ``state`` on a screened item.

Each transition locks the row, re-checks the current state, changes it, records a
``ScreeningEvent`` and (from the notifications side) queues e-mail on commit.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from .models import ScreeningEvent
from .workflow import S, Transition, TransitionNotAllowed, target_state

#: Fields never copied between a revision and its live row.
_NOT_COPIED = {
    "id",
    "state",
    "revision_of",
    "submitted_at",
    "decided_at",
    "approved_at",
    "approval_expires_at",
    "created_at",
    "updated_at",
    "slug",
    "certificates_valid_until",
    "is_paused",
}


def record(
    item,
    *,
    transition: str = "",
    from_state: str = "",
    to_state: str = "",
    message: str = "",
    actor=None,
    internal: bool = False,
    data=None,
) -> ScreeningEvent:
    live = item.live
    return ScreeningEvent.objects.create(
        content_type=ContentType.objects.get_for_model(live, for_concrete_model=True),
        object_id=live.pk,
        revision_id=item.pk if item.is_revision else None,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        message=message,
        visibility=(
            ScreeningEvent.Visibility.INTERNAL
            if internal
            else ScreeningEvent.Visibility.ASSOCIATION
        ),
        actor=actor,
        data=data or {},
    )


def history(item, *, include_internal: bool = False):
    live = item.live
    events = ScreeningEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(live, for_concrete_model=True),
        object_id=live.pk,
    ).select_related("actor")
    if not include_internal:
        events = events.exclude(visibility=ScreeningEvent.Visibility.INTERNAL)
    return events


def _approval_period(item) -> timedelta:
    municipalities = _municipalities_of(item)
    days = [m.approval_valid_days for m in municipalities]
    return timedelta(days=min(days) if days else 365)


def _municipalities_of(item):
    association = getattr(item, "association", None) or item
    return list(association.live.municipalities.all())


@transaction.atomic
def transition(item, action: str, *, by=None, message: str = "", data=None):
    """Perform ``action`` on ``item`` (an Association or Offer row). Returns the fresh row.

    Raises ``TransitionNotAllowed`` (a message for the user) when the current state does
    not allow it. Approving an edit of an approved item copies it onto the live row.
    """
    model = type(item)
    locked = model.objects.select_for_update().get(pk=item.pk)
    old = locked.state
    new = target_state(action, old)
    now = timezone.now()
    locked.state = new
    if action == Transition.SUBMIT:
        locked.submitted_at = now
    if action in (Transition.APPROVE, Transition.REJECT, Transition.REQUEST_CHANGES):
        locked.decided_at = now
    if action == Transition.APPROVE:
        locked.approved_at = now
        locked.approval_expires_at = now + _approval_period(locked)
    locked.updated_by = by if by and by.is_authenticated else locked.updated_by
    locked.save()
    record(
        locked,
        transition=action,
        from_state=old,
        to_state=new,
        message=message,
        actor=by,
        data=data,
    )
    if action == Transition.APPROVE and locked.is_revision:
        return apply_revision(locked, by=by)
    return locked


@transaction.atomic
def start_revision(item, *, by=None):
    """Begin an edit of an approved item: a draft copy that schools do not see.

    If an edit is already under way, that one is returned.
    """
    live = type(item).objects.select_for_update().get(pk=item.live.pk)
    if live.state not in (S.APPROVED, S.SUSPENDED, S.EXPIRED):
        raise TransitionNotAllowed("Only an approved item is edited through a revision.")
    existing = live.revisions.exclude(state__in=[S.APPROVED, S.WITHDRAWN, S.REJECTED]).first()
    if existing:
        return existing
    copy = type(live).objects.get(pk=live.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.revision_of = live
    copy.state = S.DRAFT
    copy.slug = f"{live.slug}-edit-{timezone.now():%Y%m%d%H%M%S%f}"[:140]
    copy.submitted_at = copy.decided_at = copy.approved_at = copy.approval_expires_at = None
    copy.updated_by = by
    copy.save()
    for field in live._meta.many_to_many:
        getattr(copy, field.name).set(getattr(live, field.name).all())
    for rel in _revision_children(live):
        for child in rel.related_model.objects.filter(**{rel.field.name: live}):
            child.pk = None
            child._state.adding = True
            setattr(child, rel.field.name, copy)
            child.save()
    record(copy, transition="start_edit", from_state=live.state, to_state=S.DRAFT, actor=by)
    return copy


def changed_fields(revision) -> list[tuple[str, str, object, object]]:
    """Field-by-field differences between an edit and its approved row.

    Returns (field name, label, approved value, edited value) tuples.
    """
    live = revision.revision_of
    changes = []
    for field in revision._meta.concrete_fields:
        if field.name in _NOT_COPIED or field.name == "updated_by":
            continue
        old, new = field.value_from_object(live), field.value_from_object(revision)
        if old != new:
            changes.append((field.name, str(field.verbose_name), old, new))
    for field in revision._meta.many_to_many:
        old = sorted(str(o) for o in getattr(live, field.name).all())
        new = sorted(str(o) for o in getattr(revision, field.name).all())
        if old != new:
            changes.append((field.name, str(field.verbose_name), ", ".join(old), ", ".join(new)))
    return changes


def apply_revision(revision, *, by=None):
    """Copy an approved edit onto its live row and retire the edit row."""
    live = type(revision).objects.select_for_update().get(pk=revision.revision_of_id)
    for field in revision._meta.concrete_fields:
        if field.name in _NOT_COPIED or field.primary_key:
            continue
        setattr(live, field.attname, getattr(revision, field.attname))
    live.revision_of = None
    live.state = S.APPROVED
    live.approved_at = revision.approved_at
    live.approval_expires_at = revision.approval_expires_at
    live.decided_at = revision.decided_at
    live.updated_by = by
    live.save()
    for field in revision._meta.many_to_many:
        getattr(live, field.name).set(getattr(revision, field.name).all())
    _move_children(revision, live)
    revision.delete()
    return live


def _revision_children(item):
    """One-to-many children (photos) that belong to each version, marked FOLLOWS_REVISIONS."""
    return [
        rel
        for rel in item._meta.related_objects
        if isinstance(rel, models.ManyToOneRel)
        and getattr(rel.related_model, "FOLLOWS_REVISIONS", False)
    ]


def _move_children(revision, live) -> None:
    """The edit's photos replace the live row's (the files themselves are shared)."""
    for rel in _revision_children(revision):
        rel.related_model.objects.filter(**{rel.field.name: live}).delete()
        rel.related_model.objects.filter(**{rel.field.name: revision}).update(
            **{rel.field.name: live}
        )


__all__ = [
    "TransitionNotAllowed",
    "Transition",
    "transition",
    "start_revision",
    "apply_revision",
    "changed_fields",
    "history",
    "record",
]
