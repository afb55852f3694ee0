"""GDPR: a person's data export, account deletion, and the retention job.

Deleting an account keeps the organisation's records (bookings, messages, evaluations)
but removes the person: the user row is kept as an anonymous tombstone so that the
records still add up, and everything that identifies the person is erased.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.services import absolute_url, notify

from .models import InactivityWarning

ANONYMISED = "[anonymiseret]"
User = get_user_model()


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _rows(label: str, fields: list[str], **filters) -> list[dict]:
    model = _model(label)
    if model is None:
        return []
    names = {f.name for f in model._meta.get_fields()}
    wanted = [f for f in fields if f in names or "__" in f]
    return list(model.objects.filter(**filters).values(*wanted))


#: What the export holds besides the account: (key, model, fields, the field naming the person).
#: Network meetings and events the person signed a party up for are "event_sign_ups".
EXPORTED_ROWS: list[tuple[str, str, list[str], str]] = [
    (
        "school_memberships",
        "schools.SchoolMembership",
        ["school__name", "role", "is_approved", "created_at"],
        "user",
    ),
    (
        "association_memberships",
        "associations.AssociationMembership",
        ["association__name", "role", "created_at"],
        "user",
    ),
    ("consultant", "municipalities.Consultant", ["municipality__name", "title"], "user"),
    (
        "bookings_requested",
        "bookings.Booking",
        [
            "id",
            "offer__title",
            "school__name",
            "state",
            "pupils",
            "classes",
            "message",
            "special_needs",
            "created_at",
        ],
        "requested_by",
    ),
    (
        "bookings_as_contact_teacher",
        "bookings.Booking",
        ["id", "offer__title", "school__name", "state"],
        "contact_teacher",
    ),
    ("messages", "bookings.BookingMessage", ["booking_id", "body", "created_at"], "author"),
    (
        "evaluations",
        "bookings.Evaluation",
        ["booking_id", "rating", "comment", "took_place", "pupils_reached", "created_at"],
        "author",
    ),
    (
        "good_examples_proposed",
        "knowledge.Item",
        ["id", "title", "summary", "body", "state", "created_at"],
        "proposed_by",
    ),
    (
        "event_sign_ups",
        "partnerships.Registration",
        [
            "event__title",
            "event__starts_at",
            "event__place",
            "association__name",
            "school__name",
            "institution__name",
            "participants",
            "state",
            "attended",
            "created_at",
        ],
        "registered_by",
    ),
    (
        "status_meetings_invited_to",
        "partnerships.MeetingParticipant",
        [
            "meeting__id",
            "meeting__starts_at",
            "meeting__place",
            "meeting__partnership__association__name",
            "meeting__partnership__institution__name",
            "name",
            "email",
            "side",
        ],
        "user",
    ),
    (
        "status_meeting_minutes_written",
        "partnerships.StatusMeeting",
        ["id", "starts_at", "place", "next_steps", "internal_notes", "minutes_at"],
        "minutes_by",
    ),
    (
        "partnership_figures_reported",
        "partnerships.YearlyFigures",
        [
            "partnership__association__name",
            "year",
            "members_under_18",
            "members_under_25",
            "volunteers",
            "members_target_areas",
            "reported_at",
            "updated_at",
        ],
        "reported_by",
    ),
    (
        "notifications",
        "notifications.Notification",
        ["kind", "subject", "state", "created_at", "sent_at"],
        "user",
    ),
]


def export_user_data(user) -> dict:
    """Everything the portal stores about one person, as JSON-ready data."""
    data = {
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "name": user.full_name,
            "phone": user.phone,
            "language": user.language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_confirmed_at": user.email_confirmed_at,
        },
    }
    for key, model, fields, person in EXPORTED_ROWS:
        data[key] = _rows(model, fields, **{person: user})
    return data


def export_json(user) -> str:
    import json

    return json.dumps(export_user_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


@transaction.atomic
def delete_account(user) -> None:
    """Remove the person; keep the organisation's records pointing at an anonymous tombstone."""
    user = User.objects.select_for_update().get(pk=user.pk)
    for label in (
        "schools.SchoolMembership",
        "associations.AssociationMembership",
        "notifications.NotificationPreference",
        "privacy.InactivityWarning",
        "sso.OIDCIdentity",
        "catalog.Favourite",
    ):
        model = _model(label)
        if model is not None and "user" in {f.name for f in model._meta.get_fields()}:
            model.objects.filter(user=user).delete()
    consultant = _model("municipalities.Consultant")
    consultant.objects.filter(user=user).delete()
    # A good example they proposed stays in the knowledge bank, without them.
    item = _model("knowledge.Item")
    if item is not None:
        item.objects.filter(proposed_by=user).update(proposed_by=None)
    # Records that stay without the person: a party's sign-up for a network meeting (with
    # its attendance), an event the person planned.
    for label, field in (
        ("partnerships.Registration", "registered_by"),
        ("partnerships.NetworkEvent", "created_by"),
    ):
        model = _model(label)
        if model is not None:
            model.objects.filter(**{field: user}).update(**{field: None})
    # Invited to status meetings: the meeting keeps a participant, without name or address.
    participant = _model("partnerships.MeetingParticipant")
    if participant is not None:
        participant.objects.filter(Q(user=user) | Q(email__iexact=user.email)).update(
            user=None, name=ANONYMISED, email=""
        )
    # Their e-mails, including those queued to their address for the worker to write (no
    # user yet): unsent ones are not sent (nor keep what they would have said), and no row
    # keeps the address.
    notification = _model("notifications.Notification")
    theirs = Q(user=user) | Q(user=None, to_email__iexact=user.email)
    unsent = [notification.State.QUEUED, notification.State.FAILED]
    notification.objects.filter(theirs, state__in=unsent).update(
        state=notification.State.SKIPPED,
        last_error="the recipient's account was deleted",
        context={},
    )
    notification.objects.filter(theirs).update(user=None, to_email="slettet@invalid")
    user.email = f"slettet-{uuid.uuid4().hex[:12]}@invalid"
    user.full_name = "Slettet bruger"
    user.phone = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def school_years_ago(years: int, today: date | None = None) -> date:
    """The first day (1 August) of the school year that began ``years`` school years ago."""
    today = today or timezone.localdate()
    start_year = today.year if today.month >= 8 else today.year - 1
    return date(start_year - years, 8, 1)


def anonymise_old_records(today: date | None = None) -> dict[str, int]:
    """Erase free text in bookings, messages and evaluations older than the retention period."""
    cutoff = school_years_ago(settings.PRIVACY_RETENTION_SCHOOL_YEARS, today)
    counts = {}
    booking = _model("bookings.Booking")
    if booking is not None:
        old = booking.objects.filter(created_at__date__lt=cutoff)
        fields = {f.name for f in booking._meta.get_fields()}
        changes = {f: "" for f in ("message", "special_needs", "cancel_reason") if f in fields}
        counts["bookings"] = (
            old.exclude(**dict.fromkeys(changes, "")).update(**changes) if changes else 0
        )
    message = _model("bookings.BookingMessage")
    if message is not None:
        counts["messages"] = (
            message.objects.filter(created_at__date__lt=cutoff)
            .exclude(body=ANONYMISED)
            .update(body=ANONYMISED, author=None)
        )
    evaluation = _model("bookings.Evaluation")
    if evaluation is not None:
        counts["evaluations"] = (
            evaluation.objects.filter(created_at__date__lt=cutoff)
            .exclude(comment="")
            .update(comment="", author=None)
        )
    return counts


def warn_and_delete_inactive(now=None) -> dict[str, int]:
    """Warn accounts unused for the configured time; delete those warned long enough ago."""
    now = now or timezone.now()
    unused_since = now - timedelta(days=settings.PRIVACY_INACTIVE_DAYS)
    grace = timedelta(days=settings.PRIVACY_DELETION_GRACE_DAYS)
    inactive = User.objects.filter(is_active=True, is_superuser=False).exclude(
        email__endswith="@invalid"
    )
    inactive = inactive.filter(last_login__lt=unused_since) | inactive.filter(
        last_login__isnull=True, date_joined__lt=unused_since
    )
    warned = deleted = 0
    for user in inactive.select_related("inactivity_warning").iterator(chunk_size=500):
        warning = getattr(user, "inactivity_warning", None)
        if warning is None:
            with transaction.atomic():
                InactivityWarning.objects.create(user=user)
                notify(
                    kind="privacy.inactive_warning",
                    key=f"privacy.inactive_warning:user={user.pk}:since={unused_since:%Y%m%d}",
                    to_email=user.email,
                    template="privacy_inactive_warning",
                    user=user,
                    context={
                        "recipient_name": user.full_name,
                        "days": settings.PRIVACY_DELETION_GRACE_DAYS,
                        "action_url": absolute_url("/login/"),
                    },
                )
            warned += 1
        elif warning.warned_at < now - grace:
            delete_account(user)
            deleted += 1
    # Someone who logged in after the warning keeps the account.
    InactivityWarning.objects.filter(user__last_login__gt=unused_since).delete()
    return {"warned": warned, "deleted": deleted}
