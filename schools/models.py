from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Association, Domain, Offer
from geo import positions
from municipalities.models import Municipality
from municipalities.tenancy import TenantQuerySet
from municipalities.validators import postal_code_validator
from portal.submitkeys import submit_key_field, submitted_once
from portal.threads import ThreadMessage

institution_number_validator = RegexValidator(
    r"^\d{6}$", _("An institution number has six digits.")
)


class SchoolQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(is_active=True)


class School(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="schools",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    institution_number = models.CharField(
        _("institution number"),
        max_length=6,
        blank=True,
        validators=[institution_number_validator],
        help_text=_(
            "The school's six-digit number in the Ministry of Children and Education's "
            "register; single sign-on (UNI-Login and the like) names schools by it."
        ),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=4, validators=[postal_code_validator], blank=True
    )
    town = models.CharField(_("town"), max_length=100, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    pupils = models.PositiveIntegerField(_("number of pupils"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        indexes = [models.Index(fields=["municipality", "name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["institution_number"],
                condition=~models.Q(institution_number=""),
                name="schools_school_institution_number_unique",
                violation_error_code="institution_number_taken",
                violation_error_message=_("Another school has this institution number."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # No position given: look it up from the address (geo.positions.locate).
        if (
            kwargs.get("update_fields") is None
            and (self.latitude is None or self.longitude is None)
            and self.postal_code
        ):
            self.latitude, self.longitude = positions.locate(
                self.address, self.postal_code, self.town
            ) or (None, None)
        super().save(*args, **kwargs)


class SchoolRole(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    PRINCIPAL = "principal", _("Principal")


class SchoolMembershipQuerySet(TenantQuerySet):
    municipality_lookup = "school__municipality"

    def approved(self):
        return self.filter(is_approved=True, user__is_active=True)

    def pending(self):
        return self.filter(is_approved=False)


class SchoolMembership(models.Model):
    """A person's role at a school. Staff accounts are screened before they act (see screening)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="school_memberships",
        verbose_name=_("user"),
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("school")
    )
    role = models.CharField(
        _("role"), max_length=20, choices=SchoolRole.choices, default=SchoolRole.TEACHER
    )
    is_approved = models.BooleanField(_("approved"), default=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SchoolMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("school membership")
        verbose_name_plural = _("school memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="schools_membership_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.school} ({self.get_role_display()})"

    @property
    def is_leader(self) -> bool:
        return self.role in (SchoolRole.DEPARTMENT_HEAD, SchoolRole.PRINCIPAL)


GRADE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]


class SchoolNeedQuerySet(TenantQuerySet):
    municipality_lookup = "school__municipality"

    def open(self):
        """Not closed, and the period has not ended (needs expire after their period)."""
        return self.filter(is_closed=False, period_end__gte=timezone.localdate())

    def for_school(self, school):
        return self.filter(school=school)


class SchoolNeed(models.Model):
    """What a school is looking for ("who needs what"): associations answer with an offer."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="needs", verbose_name=_("school")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(
        _("description"), max_length=3000, help_text=_("Never write pupils' names here.")
    )
    grade_min = models.PositiveSmallIntegerField(
        _("from grade"), validators=GRADE_VALIDATORS, default=0
    )
    grade_max = models.PositiveSmallIntegerField(
        _("to grade"), validators=GRADE_VALIDATORS, default=10
    )
    pupils = models.PositiveIntegerField(
        _("number of pupils"),
        null=True,
        blank=True,
        help_text=_("Only the number. Never write pupils' names."),
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"), help_text=_("The need expires after this day."))
    # One of associations.models.Domain (not imported: associations imports this module).
    domain = models.CharField(_("domain"), max_length=20, blank=True)
    subjects = models.ManyToManyField(
        "associations.Subject", blank=True, related_name="needs", verbose_name=_("school subjects")
    )
    budget = models.DecimalField(
        _("budget (DKK)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    is_closed = models.BooleanField(_("closed"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submit_key = submit_key_field()

    objects = SchoolNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("school need")
        verbose_name_plural = _("school needs")
        ordering = ["period_start", "title"]
        indexes = [
            models.Index(fields=["school", "period_end"], name="schools_need_school_end_idx"),
            models.Index(fields=["is_closed", "period_end"], name="schools_need_open_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade_min__lte=models.F("grade_max")),
                name="schools_need_grade_range",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="schools_need_period_order",
            ),
            submitted_once("created_by", "schools_need_submitted_once"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("schools:need_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.grade_min is not None
            and self.grade_max is not None
            and self.grade_min > self.grade_max
        ):
            errors["grade_max"] = _("The last grade must not be before the first grade.")
        if self.period_start and self.period_end and self.period_start > self.period_end:
            errors["period_end"] = _("The end must not be before the start.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return not self.is_closed and self.period_end >= timezone.localdate()

    @property
    def grade_range_display(self) -> str:
        if self.grade_min == self.grade_max:
            return f"{self.grade_min}."
        return f"{self.grade_min}.–{self.grade_max}."

    def get_domain_display(self) -> str:
        return Domain(self.domain).label if self.domain in Domain.values else ""


class NeedAnswer(models.Model):
    """An association's answer to a need: one of its offers, a message, or both."""

    need = models.ForeignKey(
        SchoolNeed, on_delete=models.CASCADE, related_name="answers", verbose_name=_("need")
    )
    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.CASCADE,
        related_name="need_answers",
        verbose_name=_("association"),
    )
    offer = models.ForeignKey(
        "associations.Offer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="need_answers",
        verbose_name=_("offer"),
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submit_key = submit_key_field()

    class Meta:
        verbose_name = _("answer to a need")
        verbose_name_plural = _("answers to needs")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(offer__isnull=False) | ~models.Q(message=""),
                name="schools_needanswer_offer_or_message",
            ),
            submitted_once("created_by", "schools_needanswer_submitted_once"),
        ]

    def __str__(self):
        return f"{self.association} → {self.need}"


# --- A school's own events, and the associations that offer to take part -----------------


class SchoolEvent(models.Model):
    """A school's own event in its school-year calendar, e.g. "Idrætsdag, grades 0–6"."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="events", verbose_name=_("school")
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True, max_length=3000)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    grade_min = models.PositiveSmallIntegerField(
        _("from grade"), validators=GRADE_VALIDATORS, default=0
    )
    grade_max = models.PositiveSmallIntegerField(
        _("to grade"), validators=GRADE_VALIDATORS, default=10
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submit_key = submit_key_field()

    class Meta:
        verbose_name = _("school event")
        verbose_name_plural = _("school events")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="schools_schoolevent_dates"
            ),
            models.CheckConstraint(
                condition=Q(grade_min__lte=F("grade_max")), name="schools_schoolevent_grades"
            ),
            submitted_once("created_by", "schools_schoolevent_submitted_once"),
        ]

    def __str__(self):
        return f"{self.title} ({self.school})"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day must not be before the first.")})
        if (
            self.grade_min is not None
            and self.grade_max is not None
            and self.grade_min > self.grade_max
        ):
            raise ValidationError({"grade_max": _("The last grade must not be before the first.")})


class EventSide(models.TextChoices):
    """The two parties of an offer to take part: who wrote a message."""

    SCHOOL = "school", _("School")
    ASSOCIATION = "association", _("Association")


class EventParticipation(models.Model):
    """An association offers to take part in a school's event; the school accepts or
    declines it with a message, and both sides write to each other (``EventMessage``)."""

    class State(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    event = models.ForeignKey(
        SchoolEvent,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("event"),
    )
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="+", verbose_name=_("association")
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offer"),
    )
    message = models.TextField(_("message"), max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    #: As for evaluations: one row per event and association (schools_participation_once);
    #: the key of the form last saved tells a repeat from a change.
    submit_key = submit_key_field()
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OFFERED
    )
    answer = models.TextField(_("the school's answer"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    #: The key of the school's answer form last saved: the same answer sent twice is one.
    answer_key = models.UUIDField(_("answer form key"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("offer to take part")
        verbose_name_plural = _("offers to take part")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "association"], name="schools_participation_once"
            )
        ]

    def __str__(self):
        return f"{self.association} → {self.event}"

    def get_absolute_url(self):
        return reverse("schools:participation_detail", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        return self.state != self.State.OFFERED


class EventMessage(ThreadMessage):
    """A message in the thread of an offer to take part, from the school or the association
    (as ``bookings.BookingMessage`` for a booking; the thread partial shows both)."""

    participation = models.ForeignKey(
        EventParticipation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("offer to take part"),
    )
    author_side = models.CharField(_("from"), max_length=15, choices=EventSide.choices)

    class Meta(ThreadMessage.Meta):
        verbose_name = _("message about an event")
        verbose_name_plural = _("messages about events")
        constraints = [submitted_once("author", "schools_eventmessage_submitted_once")]

    def __str__(self):
        return f"{self.participation_id} {self.created_at:%d.%m.%Y %H:%M}"
