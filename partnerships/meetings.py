"""Status meetings (seed 002: two a year per partnership, one with the resource person and
one with the board): scheduled by the consultant, with an agenda from the approved action
plan's goals and minutes that give each goal a status. Both sides see the meetings and the
minutes; the consultant's internal notes are never shown to them.

The models live here to keep ``models.py`` small; ``models.py`` imports them so that Django
finds them. The rules are in ``meeting_services.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from municipalities.tenancy import TenantQuerySet
from portal.submitkeys import submit_key_field, submitted_once

#: Seed 002: two status meetings a year per partnership.
MEETINGS_PER_YEAR = 2


class MeetingQuerySet(TenantQuerySet):
    municipality_lookup = "partnership__municipality"

    def upcoming(self, now):
        return self.filter(state=StatusMeeting.State.PLANNED, starts_at__gte=now)

    def for_association(self, association):
        return self.filter(partnership__association=association)

    def for_school(self, school):
        return self.filter(partnership__schools=school)


class StatusMeeting(models.Model):
    class Kind(models.TextChoices):
        RESOURCE_PERSON = "resource_person", _("Status meeting with the resource person")
        BOARD = "board", _("Status meeting with the board")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="status_meetings",
        verbose_name=_("partnership"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PLANNED, db_index=True
    )
    #: The approved plan whose goals make the agenda (the one in force when it was scheduled).
    plan = models.ForeignKey(
        "partnerships.ActionPlan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("action plan"),
    )
    agenda_notes = models.TextField(_("other points on the agenda"), max_length=2000, blank=True)
    #: The calendar event's SEQUENCE: one more for each move or the cancellation, so that a
    #: calendar takes the latest .ics over one it has already seen.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The minutes: a status per goal (GoalStatus), the next steps, and what stays internal.
    next_steps = models.TextField(_("next steps"), max_length=4000, blank=True)
    internal_notes = models.TextField(
        _("internal notes"),
        max_length=4000,
        blank=True,
        help_text=_("Only the municipality's consultants see these; never the partners."),
    )
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minutes written by"),
    )
    minutes_at = models.DateTimeField(_("minutes written"), null=True, blank=True)
    minutes_key = models.UUIDField(_("form key of the minutes"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submit_key = submit_key_field()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("status meeting")
        verbose_name_plural = _("status meetings")
        ordering = ["starts_at", "id"]
        constraints = [
            submitted_once("partnership", "partnerships_meeting_submitted_once"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="partnerships_meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.partnership}"

    @property
    def has_minutes(self) -> bool:
        return self.minutes_at is not None


class MeetingParticipant(models.Model):
    """Someone invited to a status meeting. Name and e-mail are kept (the resource person may
    have no account); deleting a person's account removes both (``privacy``)."""

    class Side(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        PARTNER = "partner", _("Partner")
        SCHOOL = "school", _("School")

    meeting = models.ForeignKey(
        StatusMeeting,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("status meeting"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_meeting_invitations",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["side", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=~Q(email=""),
                name="partnerships_participant_once",
            )
        ]

    def __str__(self):
        return self.name


class GoalStatus(models.Model):
    """The minutes' status of one goal of the plan. The goal's text is kept as it was at the
    meeting: a later revision of the plan changes the goals, not what was said then."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        BEHIND = "behind", _("Behind")
        REACHED = "reached", _("Reached")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(
        StatusMeeting,
        on_delete=models.CASCADE,
        related_name="goal_statuses",
        verbose_name=_("status meeting"),
    )
    goal = models.ForeignKey(
        "partnerships.Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goal"),
    )
    focus_area = models.CharField(_("focus area"), max_length=150)
    description = models.TextField(_("goal"), max_length=1000)
    target = models.CharField(_("target"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("status of a goal")
        verbose_name_plural = _("statuses of goals")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "goal"],
                condition=Q(goal__isnull=False),
                name="partnerships_goalstatus_once",
            )
        ]

    def __str__(self):
        return f"{self.description[:60]}: {self.get_status_display()}"
