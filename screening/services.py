"""Screening transitions: the only code that changes ``state`` on a screened item.

Each transition locks the row, re-checks the current state, changes it, records a
``ScreeningEvent`` and (from the notifications side) queues e-mail on commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Consultant
from notifications.services import absolute_url, notify

from .checks import screened_models
from .diff import NOT_COPIED as _NOT_COPIED
from .diff import Change, differences, snapshot
from .models import Review, ScreeningEvent
from .workflow import (
    WAITING_STATES,
    IncompleteSubmission,
    S,
    Transition,
    TransitionNotAllowed,
    target_state,
)


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


def history_for(model, object_ids) -> dict[int, list[ScreeningEvent]]:
    """Association-visible events of many live items of one model, in one query."""
    events = (
        ScreeningEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(model, for_concrete_model=True),
            object_id__in=list(object_ids),
        )
        .exclude(visibility=ScreeningEvent.Visibility.INTERNAL)
        .select_related("actor")
    )
    grouped: dict[int, list[ScreeningEvent]] = {}
    for event in events:
        grouped.setdefault(event.object_id, []).append(event)
    return grouped


def _approval_period(item) -> timedelta:
    days = [m.approval_valid_days for m in item.screening_municipalities()]
    return timedelta(days=min(days) if days else 365)


@transaction.atomic
def transition(item, action: str, *, by=None, message: str = "", data=None, quiet=False):
    """Perform ``action`` on ``item`` (a row of a screened model). Returns the fresh row.

    Raises ``TransitionNotAllowed`` (a message for the user) when the current state does
    not allow it. Approving an edit of an approved item copies it onto the live row.
    ``quiet``: no e-mail to the consultants about a submission (a consultant who submits
    and approves their own material, ``knowledge.services.publish``).
    """
    model = type(item)
    locked = model.objects.select_for_update().get(pk=item.pk)
    old = locked.state
    new = target_state(action, old)
    if action == Transition.SUBMIT and (missing := locked.missing_for_submission()):
        raise IncompleteSubmission(missing)
    now = timezone.now()
    locked.state = new
    if action == Transition.SUBMIT:
        locked.submitted_at = now
    if action in (Transition.APPROVE, Transition.REJECT, Transition.REQUEST_CHANGES):
        locked.decided_at = now
    if action == Transition.APPROVE:
        locked.approved_at = now
        locked.approval_expires_at = (
            now + _approval_period(locked) if locked.APPROVAL_EXPIRES else None
        )
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
    if action == Transition.SUBMIT and not quiet:
        _notify_consultants_of_submission(locked, by=by)
    if action == Transition.APPROVE and locked.is_revision:
        return apply_revision(locked, by=by)
    return locked


def _notify_consultants_of_submission(item, *, by=None) -> None:
    """One e-mail per submission to the consultants who chose that (others get a digest)."""
    consultants = (
        Consultant.objects.active()
        .filter(
            municipality__in=item.screening_municipalities(),
            submission_emails=Consultant.DigestChoice.EACH,
        )
        .select_related("user")
    )
    opts = type(item)._meta
    url = absolute_url(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk]))
    for consultant in consultants:
        notify(
            kind="screening.submitted",
            key=f"screening.submitted:{opts.model_name}={item.pk}:at={item.submitted_at:%Y%m%d%H%M%S}"
            f":consultant={consultant.pk}",
            to_email=consultant.user.email,
            user=consultant.user,
            template="screening_submitted",
            context={
                "recipient_name": consultant.user.get_full_name(),
                "item_title": str(item),
                "item_type": item_type(item),
                "association_name": item.screening_owner().name,
                "is_edit": item.is_revision,
                "action_url": url,
            },
        )


@transaction.atomic
def start_revision(item, *, by=None):
    """Begin an edit of an approved item: a draft copy that schools do not see.

    If an edit is already under way, that one is returned.
    """
    live = type(item).objects.select_for_update().get(pk=item.live.pk)
    if live.state not in (S.APPROVED, S.SUSPENDED, S.EXPIRED):
        # An edit begun from a page that is out of date (the item was submitted since).
        raise TransitionNotAllowed(
            _("It cannot be edited from here now. Open it again to see where it stands.")
        )
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


def changed_fields(revision) -> list[Change]:
    """Field-by-field differences between an edit and its approved row.

    Returns (field name, label, approved value, edited value) tuples.
    """
    return differences(snapshot(revision.revision_of), revision)


def apply_revision(revision, *, by=None):
    """Copy an approved edit onto its live row and retire the edit row."""
    live = type(revision).objects.select_for_update().get(pk=revision.revision_of_id)
    for field in revision._meta.concrete_fields:
        # Fields nobody edits are the database's or the live row's own (a search document).
        if field.name in _NOT_COPIED or field.primary_key or not field.editable:
            continue
        setattr(live, field.attname, getattr(revision, field.attname))
    live.revision_of = None
    # A suspension stands until the consultant reinstates the item: an approved edit
    # changes the content, not whether it is on the portal.
    if live.state != S.SUSPENDED:
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
    # Derived data of the owning app (e.g. an offer's child-certificate validity).
    hook = getattr(live, "after_revision_applied", None)
    if hook is not None:
        hook()
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


# --- The consultant's decisions -------------------------------------------------------

#: What a consultant does to a submission (the association submits and withdraws; beat expires).
CONSULTANT_ACTIONS = (
    Transition.START_REVIEW,
    Transition.APPROVE,
    Transition.REQUEST_CHANGES,
    Transition.REJECT,
    Transition.SUSPEND,
    Transition.REINSTATE,
)
#: Decisions that close the current review and are e-mailed to the association.
DECISIONS = frozenset(
    {
        Transition.APPROVE,
        Transition.REQUEST_CHANGES,
        Transition.REJECT,
        Transition.SUSPEND,
        Transition.REINSTATE,
    }
)


class DecisionError(ValueError):
    """A decision is missing what it needs (a message, a reason). The message is for users."""


def item_type(item) -> str:
    """The model's label ("associations.offer") for an e-mail's context: the template says
    what it is called (``kind_label`` in ``screening_emails``), in the recipient's language."""
    return type(item)._meta.label_lower


def _key(item) -> dict:
    live = item.live
    return {
        "content_type": ContentType.objects.get_for_model(live, for_concrete_model=True),
        "object_id": live.pk,
        "revision_id": item.pk if item.is_revision else None,
    }


def current_review(item, *, create: bool = False, by=None) -> Review | None:
    """The open review of this item (or this edit); created on demand."""
    review = Review.objects.filter(closed_at__isnull=True, **_key(item)).first()
    if review is None and create:
        review = Review.objects.create(reviewer=by, **_key(item))
    return review


@transaction.atomic
def save_checklist(item, *, by, checks: dict[str, bool]) -> Review:
    review = current_review(item, create=True, by=by)
    review = Review.objects.select_for_update().get(pk=review.pk)
    for name in type(item).MANUAL_CHECKS:
        setattr(review, name, bool(checks.get(name)))
    review.reviewer = by
    review.save()
    return review


def checklist_failures(item, checks=None) -> list[str]:
    """What keeps the checklist from passing, one line each: the boxes not ticked in the open
    review, and every automatic check that fails with its reason (which row fails and why).
    ``checks``: the item's ``automatic_checks()`` when the caller has them already."""
    review = current_review(item)
    checks = item.automatic_checks() if checks is None else checks
    failures = [
        str(_("Not ticked: %(check)s") % {"check": type(item).check_label(name)})
        for name in type(item).MANUAL_CHECKS
        if not getattr(review, name, False)
    ]
    failures += [f"{check.title}: {check.reason}" for check in checks if not check.passed]
    return failures


def checklist_passed(item) -> bool:
    """All checks ticked in the open review and every automatic check passes."""
    return not checklist_failures(item)


def _close_review(key: dict, decision: str) -> None:
    Review.objects.filter(closed_at__isnull=True, **key).update(
        closed_at=timezone.now(), decision=decision
    )


def _latest_event(key: dict) -> ScreeningEvent:
    return (
        ScreeningEvent.objects.filter(content_type=key["content_type"], object_id=key["object_id"])
        .order_by("-id")
        .first()
    )


#: The e-mail kind (``notifications.kinds``) for each decision.
DECISION_KINDS = {
    Transition.APPROVE: "screening.approved",
    Transition.REQUEST_CHANGES: "screening.changes_requested",
    Transition.REJECT: "screening.rejected",
    Transition.SUSPEND: "screening.suspended",
    Transition.REINSTATE: "screening.reinstated",
    Transition.EXPIRE: "screening.expired",
}


def owner_url(item) -> str:
    """The absolute address of the owner's page on the portal, or "" when it has none."""
    path = item.screening_owner_url()
    return absolute_url(path) if path else ""


def _notify_association(
    item, event: ScreeningEvent, template: str, extra: dict | None = None, *, kind: str = ""
):
    """E-mail the owner's contact about ``event``, and the user who sent the item when that
    is someone else (an association member who wrote the action plan the resource person
    answers for, say): they wrote it and wait for the answer."""
    owner = item.screening_owner()
    context = {
        "recipient_name": owner.contact_name,
        "item_type": item_type(item),
        "item_title": str(item),
        "association_name": owner.name,
        "event": event,
        "transition": event.transition,
        "message": event.message,
        "reason_text": (event.data or {}).get("reason_text", ""),
        "is_edit": bool(event.revision_id),
        "action_url": owner_url(item),
        **(extra or {}),
    }
    kind = kind or DECISION_KINDS.get(event.transition, "screening.message")
    key = f"screening.{template}:event={event.pk}"
    notify(kind=kind, key=key, to_email=owner.contact_email, template=template, context=context)
    sender = _sender(event)
    if (
        sender is not None
        and sender.email.lower() != (owner.contact_email or "").lower()
        and item.screening_sender_hears(sender)
    ):
        notify(
            kind=kind,
            key=f"{key}:to=sender",
            to_email=sender.email,
            user=sender,
            template=template,
            context={**context, "recipient_name": sender.full_name},
        )


def _sender(event: ScreeningEvent):
    """The active user who last submitted what ``event`` is about (the item or its edit)."""
    submission = (
        ScreeningEvent.objects.filter(
            content_type_id=event.content_type_id,
            object_id=event.object_id,
            revision_id=event.revision_id,
            transition=Transition.SUBMIT,
        )
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    actor = submission.actor if submission is not None else None
    return actor if actor is not None and actor.is_active and actor.email else None


@transaction.atomic
def decide(item, action: str, *, by, message: str = "", reason=None):
    """A consultant's decision on an item: transition, close the review, e-mail the association.

    Request changes needs a message; reject needs a coded reason (``RejectionReason``).
    Returns the fresh row (for an approved edit: the live row).
    """
    message = (message or "").strip()
    if action not in CONSULTANT_ACTIONS:
        raise DecisionError(_("This is not a decision a consultant takes."))
    if action == Transition.REQUEST_CHANGES and not message:
        raise DecisionError(_("Write a message telling the association what to change."))
    if action == Transition.REJECT and reason is None:
        raise DecisionError(_("Choose a reason for the rejection."))
    data = {}
    if reason is not None:
        data = {"reason_code": reason.code, "reason_text": reason.text}
    if action == Transition.REQUEST_CHANGES:
        # The version the consultant asked to change: the resubmission is compared with it.
        data["snapshot"] = snapshot(item)
    key = _key(item)
    result = transition(item, action, by=by, message=message, data=data)
    if action in DECISIONS:
        _close_review(key, action)
        _notify_association(result, _latest_event(key), "screening_decision")
    return result


def _last_event(item, transitions) -> ScreeningEvent | None:
    return (
        ScreeningEvent.objects.filter(transition__in=list(transitions), **_key(item))
        .select_related("actor")
        .order_by("-id")
        .first()
    )


def open_change_request(item) -> ScreeningEvent | None:
    """The consultant's change request the association is answering (while it edits)."""
    if item.state != S.CHANGES_REQUESTED:
        return None
    return _last_event(item, [Transition.REQUEST_CHANGES])


def rejection(item) -> ScreeningEvent | None:
    """The consultant's rejection of a rejected item (its coded reason is in ``data``)."""
    if item.state != S.REJECTED:
        return None
    return _last_event(item, [Transition.REJECT])


@dataclass
class Resubmission:
    """A submission that answers a change request: the request and what changed since."""

    request: ScreeningEvent
    #: None when the request was made before the portal kept the version it was about.
    changes: list[Change] | None


def resubmission(item) -> Resubmission | None:
    """For a waiting item whose last decision was "request changes": the request, and the
    field-by-field differences between the version it was about and the item now."""
    if item.state not in WAITING_STATES:
        return None
    last = _last_event(item, DECISIONS | {Transition.EXPIRE})
    if last is None or last.transition != Transition.REQUEST_CHANGES:
        return None
    before = (last.data or {}).get("snapshot")
    return Resubmission(last, differences(before, item) if before is not None else None)


@transaction.atomic
def add_note(item, message: str, *, by, internal: bool) -> ScreeningEvent:
    """A note on the activity list: to the association (e-mailed) or internal among consultants."""
    message = (message or "").strip()
    if not message:
        raise DecisionError(_("Write the note."))
    event = record(item, transition="note", message=message, actor=by, internal=internal)
    if not internal:
        _notify_association(item, event, "screening_message")
    return event


def record_edit(item, changes: list[tuple[str, str, object, object]], *, by) -> ScreeningEvent:
    """Record a consultant's edit of a submission's text; the association sees what changed."""
    labels = ", ".join(str(label) for _name, label, _old, _new in changes)
    return record(
        item,
        transition="consultant_edit",
        actor=by,
        # The message makes the edit show on "My association" like any other event.
        message=str(_("The consultant edited the text: %(fields)s.") % {"fields": labels}),
        data={
            "fields": [
                {"name": name, "label": str(label), "old": str(old), "new": str(new)}
                for name, label, old, new in changes
            ]
        },
    )


def waiting(model, user):
    """Submissions of one screened model waiting for this consultant (their municipality)."""
    return model.objects.for_consultant(user).filter(state__in=WAITING_STATES)


def waiting_counts(user) -> dict[str, int]:
    """How many submissions of each screened model wait for this consultant, by model name
    ("association", "offer", ...)."""
    return {model._meta.model_name: waiting(model, user).count() for model in screened_models()}


__all__ = [
    "TransitionNotAllowed",
    "Transition",
    "transition",
    "start_revision",
    "apply_revision",
    "changed_fields",
    "history",
    "record",
    "decide",
    "add_note",
    "record_edit",
    "checklist_passed",
    "checklist_failures",
    "open_change_request",
    "resubmission",
    "current_review",
    "save_checklist",
    "waiting_counts",
    "DecisionError",
]
