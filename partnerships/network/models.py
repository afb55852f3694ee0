"""The event and its invitations and sign-ups. Imported at the end of ``partnerships.models``
so that Django finds the models in the ``partnerships`` app."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from associations.models import Association
from municipalities.models import Municipality
from municipalities.tenancy import TenantQuerySet
from portal.submitkeys import submit_key_field, submitted_once
from schools.models import School

from ..models import LeisureInstitution, Partnership

#: The most participants one party may sign up with, and the largest room.
MAX_PARTICIPANTS = 50
MAX_CAPACITY = 2000


class EventKind(models.TextChoices):
    NETWORK = "network", _("Network meeting")
    THEME = "theme", _("Theme meeting")
    STUDY_TRIP = "study_trip", _("Study trip")
    KNOWLEDGE = "knowledge", _("Knowledge-sharing event")


class EventAudience(models.TextChoices):
    INVITED = "invited", _("Invited partners only")
    OPEN = "open", _("Every school and association of the municipality")


class NetworkEventQuerySet(TenantQuerySet):
    def upcoming(self, now=None):
        """Events still to come (a cancelled one is not)."""
        return self.filter(ends_at__gt=now or timezone.now(), cancelled_at__isnull=True)

    def open(self):
        return self.filter(audience=EventAudience.OPEN)

    def upcoming_open(self, municipality, now=None):
        """The municipality's upcoming events that every school and association may join
        (for the knowledge bank and the schools' and associations' pages)."""
        return self.for_municipality(municipality).open().upcoming(now).order_by("starts_at")

    def invited(self, associations=(), schools=()):
        """Events a partnership of one of these associations or schools is invited to."""
        invitations = EventInvitation.objects.filter(
            Q(partnership__association__in=associations) | Q(partnership__schools__in=schools)
        )
        return self.filter(pk__in=invitations.values("event_id"))


class NetworkEvent(models.Model):
    """A meeting the municipality holds for its partners (network meeting, theme meeting,
    study trip, seed 002) or for every school and association (knowledge-sharing event,
    seed 004)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="network_events",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=EventKind.choices, default=EventKind.NETWORK
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text=_("How many participants the room holds; further sign-ups wait."),
    )
    audience = models.CharField(
        _("who may sign up"),
        max_length=10,
        choices=EventAudience.choices,
        default=EventAudience.INVITED,
    )
    summary = models.TextField(
        _("summary"),
        max_length=5000,
        blank=True,
        help_text=_("Written afterwards; the invited and those who signed up see it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Set by services.cancel_event (the admin's action), which e-mails everyone concerned.
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    #: Raised by every new time or place (``services.move``) and by the cancellation:
    #: a calendar updates the event it holds (``services.calendar``).
    sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = NetworkEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("network meeting or event")
        verbose_name_plural = _("network meetings and events")
        ordering = ["-starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="partnerships_networkevent_ends_after_start",
                violation_error_message=_("The event must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                name="partnerships_networkevent_capacity",
                violation_error_message=_("The room holds from 1 to 2000 participants."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:event", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.audience == EventAudience.OPEN

    def has_started(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def taken(self) -> int:
        """Participants with a seat (confirmed sign-ups)."""
        confirmed = self.registrations.filter(state=RegistrationState.CONFIRMED)
        return confirmed.aggregate(n=Sum("participants"))["n"] or 0

    def free(self) -> int:
        return max(self.capacity - self.taken(), 0)


class EventInvitation(models.Model):
    """A partnership invited to an event; its resource person is e-mailed once
    (``emailed_at``, and the outbox's unique key)."""

    event = models.ForeignKey(
        NetworkEvent,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("event"),
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="event_invitations",
        verbose_name=_("partnership"),
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "partnership"], name="partnerships_invitation_once"
            )
        ]

    def __str__(self):
        return f"{self.event} · {self.partnership}"


class RegistrationState(models.TextChoices):
    CONFIRMED = "confirmed", _("Signed up")
    WAITING = "waiting", _("On the waiting list")
    # A sign-up called off ("afmeldt"), not a cancelled meeting ("aflyst").
    CANCELLED = "cancelled", pgettext_lazy("sign-up", "Cancelled")


ACTIVE = [RegistrationState.CONFIRMED, RegistrationState.WAITING]


class RegistrationQuerySet(TenantQuerySet):
    municipality_lookup = "event__municipality"

    def active(self):
        return self.filter(state__in=ACTIVE)

    def waiting_in_order(self):
        return self.filter(state=RegistrationState.WAITING).order_by("created_at", "id")


class Registration(models.Model):
    """A party's answer to an event (RSVP): an association, a school or (signed up by the
    consultant) a municipal leisure institution, with a number of participants, signed up or waiting; afterwards the number who came. The person who
    answered is kept for the e-mails and their data export; deleting them keeps the row."""

    event = models.ForeignKey(
        NetworkEvent,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("association"),
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("school"),
    )
    # A municipal leisure institution or club has no accounts: the consultant signs it up.
    institution = models.ForeignKey(
        LeisureInstitution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("leisure institution or club"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("signed up by"),
    )
    participants = models.PositiveSmallIntegerField(
        _("participants"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PARTICIPANTS)]
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RegistrationState.choices, db_index=True
    )
    attended = models.PositiveSmallIntegerField(
        _("attended"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PARTICIPANTS)],
        help_text=_("How many came (recorded by the consultant afterwards)."),
    )
    submit_key = submit_key_field()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["event", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(association__isnull=False, school__isnull=True, institution__isnull=True)
                    | Q(association__isnull=True, school__isnull=False, institution__isnull=True)
                    | Q(association__isnull=True, school__isnull=True, institution__isnull=False)
                ),
                name="partnerships_registration_one_party",
            ),
            models.CheckConstraint(
                condition=Q(participants__gte=1, participants__lte=MAX_PARTICIPANTS),
                name="partnerships_registration_participants",
            ),
            models.CheckConstraint(
                condition=Q(attended__isnull=True) | Q(attended__lte=MAX_PARTICIPANTS),
                name="partnerships_registration_attended",
            ),
            # One answer per party and event at a time (a cancelled one may be followed by a
            # new one).
            models.UniqueConstraint(
                fields=["event", "association"],
                condition=Q(state__in=ACTIVE, association__isnull=False),
                name="partnerships_registration_one_per_association",
            ),
            models.UniqueConstraint(
                fields=["event", "school"],
                condition=Q(state__in=ACTIVE, school__isnull=False),
                name="partnerships_registration_one_per_school",
            ),
            models.UniqueConstraint(
                fields=["event", "institution"],
                condition=Q(state__in=ACTIVE, institution__isnull=False),
                name="partnerships_registration_one_per_institution",
            ),
            submitted_once("registered_by", "partnerships_registration_submitted_once"),
        ]

    def __str__(self):
        return f"{self.party} · {self.event}"

    @property
    def party(self):
        return self.association or self.school or self.institution

    @property
    def is_waiting(self) -> bool:
        return self.state == RegistrationState.WAITING
