from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from municipalities.tenancy import TenantQuerySet


class Notification(models.Model):
    """The outbox: one row per e-mail, keyed so that the same e-mail is never sent twice.

    The key names the kind, the object, the recipient and the occasion of sending,
    e.g. ``booking.reminder:booking=12:user=7:at=2026-06-05``. A row is inserted (or
    found) *before* sending; a worker claims it with a conditional UPDATE.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    # Unique and indexed through Meta: a field's own unique=True or db_index=True also
    # builds a second ("_like") index on PostgreSQL, which no query here uses and every
    # e-mail queued would pay for.
    key = models.CharField(_("key"), max_length=255)
    kind = models.CharField(_("kind"), max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("user"),
    )
    to_email = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=10, default="da")
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    state = models.CharField(  # indexed by (state, created_at) below
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    #: Facts the e-mail was written for (e.g. ``{"booking": 12, "starts_on": "2026-06-05"}``);
    #: the kind's ``still_wanted`` check compares them with the present just before sending.
    guard = models.JSONField(_("conditions"), default=dict, blank=True)
    #: ``notify()`` stores what to write: the worker renders ``emails/<template>_*`` with
    #: ``context`` (JSON, see ``notifications.context``: model instances stored as
    #: ``{"model": label, "pk": pk}``) just before sending, and fills in the subject and texts.
    #: (Rows queued before 2026-12 were written at once and have no template.)
    template = models.CharField(_("template"), max_length=60, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    unsubscribe_url = models.URLField(_("unsubscribe link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"]), models.Index(fields=["kind"])]
        constraints = [models.UniqueConstraint(fields=["key"], name="notifications_unique_key")]

    def __str__(self):
        return f"{self.kind} → {self.to_email}"

    @property
    def is_written(self) -> bool:
        return bool(self.body_text) or not self.template


class NotificationPreference(models.Model):
    """A user's choice for one kind of e-mail. No row means: send it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    enabled = models.BooleanField(_("send"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notifications_preference_one_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.user} {self.kind}: {self.enabled}"


class ReminderRuleQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(is_active=True)


class ReminderRule(models.Model):
    """When a municipality reminds the two sides of a booking: a record, not a constant."""

    class Kind(models.TextChoices):
        REMINDER = "booking.reminder", _("Reminder before the occasion")
        EVALUATION = "booking.evaluation", _("Request to evaluate the occasion")
        # Partnerships' status meetings (partnerships.meeting_services): before the start.
        MEETING = "partnerships.meeting_reminder", _("Reminder before a status meeting")
        #: Network meetings and open events (partnerships.network): before the start, to
        #: those signed up.
        NETWORK = "partnerships.network_reminder", _("Reminder before a network meeting")
        #: A partner association's yearly figures (partnerships.figures): the days are
        #: counted after the end of the year the figures are missing for.
        FIGURES = "partnerships.figures", _("Reminder of a partner's missing yearly figures")

    class Anchor(models.TextChoices):
        BEFORE_START = "before_start", _("before the start")
        AFTER_END = "after_end", _("after the end")

    class Recipients(models.TextChoices):
        SCHOOL = "school", _("the school's contact teacher")
        ASSOCIATION = "association", _("the association's contact")
        BOTH = "both", _("both")

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="reminder_rules",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("message"), max_length=30, choices=Kind.choices)
    days = models.PositiveSmallIntegerField(
        _("days"), validators=[MinValueValidator(0), MaxValueValidator(60)]
    )
    anchor = models.CharField(_("counted from"), max_length=20, choices=Anchor.choices)
    recipients = models.CharField(
        _("to"), max_length=20, choices=Recipients.choices, default=Recipients.BOTH
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ReminderRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["municipality", "anchor", "-days"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "anchor", "days"],
                name="notifications_reminderrule_unique_timing",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.days} {self.get_anchor_display()}"

    def clean(self):
        super().clean()
        if (
            self.kind in (self.Kind.MEETING, self.Kind.NETWORK)
            and self.anchor != self.Anchor.BEFORE_START
        ):
            raise ValidationError(
                {"anchor": _("A reminder of a meeting is sent before the meeting starts.")}
            )
        if self.kind == self.Kind.FIGURES:
            errors = {}
            if self.anchor != self.Anchor.AFTER_END:
                errors["anchor"] = _("Yearly figures are reminded after the end of the year.")
            if self.recipients != self.Recipients.ASSOCIATION:
                errors["recipients"] = _("Yearly figures are reported by the association.")
            if errors:
                raise ValidationError(errors)

    #: The booking rules (bookings.reminders scans these kinds only).
    BOOKING_KINDS = (Kind.REMINDER, Kind.EVALUATION)

    @property
    def template(self) -> str:
        return {
            self.Kind.REMINDER: "reminder_booking",
            self.Kind.EVALUATION: "reminder_evaluation",
            self.Kind.MEETING: "reminder_meeting",
            self.Kind.NETWORK: "reminder_network",
            self.Kind.FIGURES: "reminder_figures",
        }[self.kind]

    def to_school(self) -> bool:
        return self.recipients in (self.Recipients.SCHOOL, self.Recipients.BOTH)

    def to_association(self) -> bool:
        return self.recipients in (self.Recipients.ASSOCIATION, self.Recipients.BOTH)
