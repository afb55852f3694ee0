import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from associations.models import Association, Offer
from municipalities.models import Municipality
from municipalities.tenancy import TenantQuerySet
from portal.formatting import money
from portal.submitkeys import submit_key_field, submitted_once
from portal.threads import ThreadMessage
from schools.models import GRADE_VALIDATORS, School

from .states import OPEN_STATES, WAITING_FOR, WAITING_STATES, Actor, BookingState


class CapacityUnit(models.TextChoices):
    CLASSES = "classes", _("classes")
    PUPILS = "pupils", _("pupils")


def places_text(unit: str, count: int, capacity: int, *, booked: bool) -> str:
    """ "2 of 3 classes free", "1 of 1 class booked": the unit's plural form follows the
    capacity in every language (never "1 classes")."""
    values = {"count": count, "capacity": capacity}
    if unit == CapacityUnit.PUPILS:
        if booked:
            return (
                ngettext(
                    "%(count)s of %(capacity)s pupil booked",
                    "%(count)s of %(capacity)s pupils booked",
                    capacity,
                )
                % values
            )
        return (
            ngettext(
                "%(count)s of %(capacity)s pupil free",
                "%(count)s of %(capacity)s pupils free",
                capacity,
            )
            % values
        )
    if booked:
        return (
            ngettext(
                "%(count)s of %(capacity)s class booked",
                "%(count)s of %(capacity)s classes booked",
                capacity,
            )
            % values
        )
    return (
        ngettext(
            "%(count)s of %(capacity)s class free",
            "%(count)s of %(capacity)s classes free",
            capacity,
        )
        % values
    )


class OccasionQuerySet(TenantQuerySet):
    municipality_lookup = "offer__association__municipalities"
    municipality_is_multi = True

    def upcoming(self, now=None):
        """Dates not cancelled that start from ``now`` (this moment; ``Now()`` lets the
        database take the time, for a query that is built once and run later)."""
        return self.filter(starts_at__gte=now or timezone.now(), is_cancelled=False)

    def bookable(self):
        return self.upcoming().filter(offer__revision_of__isnull=True)


class Occasion(models.Model):
    """A fixed date of an offer, with a capacity that bookings reserve under a row lock.

    A multi-session course is one occasion: its first session is ``starts_at``–``ends_at``,
    the following ones are ``OccasionSession`` rows; a school books the whole series.
    """

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="occasions", verbose_name=_("offer")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    capacity_unit = models.CharField(
        _("capacity in"), max_length=10, choices=CapacityUnit.choices, default=CapacityUnit.CLASSES
    )
    reserved = models.PositiveSmallIntegerField(_("reserved"), default=0)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    waiting_offer_hours = models.PositiveSmallIntegerField(
        _("hours a waiting school has to accept a freed place"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )

    allocation_deadline = models.DateTimeField(
        _("requests collected until"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. Collect requests until this time, then allocate fairly: one class per "
            "school first, then by lot."
        ),
    )
    confirm_on_booking = models.BooleanField(
        _("confirmed on booking"),
        default=False,
        help_text=_(
            "A booking within the free places is confirmed at once, like a ticket: the school "
            "and the association get the confirmation straight away."
        ),
    )
    allocated_at = models.DateTimeField(_("allocated"), null=True, blank=True)
    allocation_seed = models.CharField(_("seed of the draw"), max_length=32, blank=True)
    submit_key = submit_key_field()

    objects = OccasionQuerySet.as_manager()

    class Meta:
        verbose_name = _("occasion")
        verbose_name_plural = _("occasions")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["offer", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="bookings_occasion_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("capacity")),
                name="bookings_occasion_capacity_not_exceeded",
            ),
            # An occasion records no creator: the key counts per offer, which only the
            # offer's association members may add dates to (offer_for_member). Another
            # member of the same association sending the same key is shown the date it
            # added, which they may see and edit anyway.
            submitted_once("offer", "bookings_occasion_submitted_once"),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.offer} {local:%d.%m.%Y %H:%M}"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})
        if (
            self.allocation_deadline
            and self.starts_at
            and self.allocation_deadline >= (self.starts_at)
        ):
            raise ValidationError(
                {"allocation_deadline": _("The allocation must be before the date.")}
            )
        if self.capacity is not None and self.reserved > self.capacity:
            raise ValidationError(
                {"capacity": _("The capacity cannot be lower than the places already booked.")}
            )

    @property
    def free(self) -> int:
        return max(self.capacity - self.reserved, 0)

    def booked_text(self) -> str:
        return places_text(self.capacity_unit, self.reserved, self.capacity, booked=True)

    def free_text(self) -> str:
        return places_text(self.capacity_unit, self.free, self.capacity, booked=False)

    def collects_requests(self, now=None) -> bool:
        """True while requests are collected for a fair allocation at the deadline."""
        now = now or timezone.now()
        return self.awaits_allocation and now < self.allocation_deadline

    @property
    def awaits_allocation(self) -> bool:
        """Its places go to the fair allocation: while requests are collected, and after the
        deadline until the allocation has run (``allocate_due``, every few minutes). No one
        books them directly before the draw."""
        return bool(self.allocation_deadline and not self.allocated_at)

    @property
    def all_sessions(self) -> list[tuple]:
        first = [(self.starts_at, self.ends_at)]
        if not self.pk:
            return first
        return first + [(s.starts_at, s.ends_at) for s in self.sessions.all()]

    @property
    def session_count(self) -> int:
        return len(self.all_sessions)


class OccasionSession(models.Model):
    """A further session of a course occasion (the first one is the occasion itself)."""

    occasion = models.ForeignKey(
        Occasion, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("occasion")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("course session")
        verbose_name_plural = _("course sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="bookings_session_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"


class BookingQuerySet(TenantQuerySet):
    municipality_lookup = "school__municipality"

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def waiting(self):
        return self.filter(state__in=WAITING_STATES)

    def waiting_for(self, actor: str):
        """Bookings waiting for ``actor``'s answer (``Actor.SCHOOL`` or ``Actor.ASSOCIATION``)."""
        return self.filter(state__in=[s for s, who in WAITING_FOR.items() if who == actor])

    def waiting_for_other_side(self, actor: str):
        """Bookings that ``actor`` waits on: the other side has to answer."""
        return self.filter(state__in=[s for s, who in WAITING_FOR.items() if who != actor])

    def upcoming(self):
        return self.filter(state=BookingState.CONFIRMED, starts_at__gte=timezone.now())

    def past(self):
        return self.filter(
            Q(state=BookingState.COMPLETED)
            | Q(state=BookingState.CONFIRMED, starts_at__lt=timezone.now())
            | Q(
                state__in=[
                    BookingState.NOT_APPROVED,
                    BookingState.DECLINED,
                    BookingState.EXPIRED,
                    BookingState.CANCELLED,
                ]
            )
        )

    def for_school(self, school):
        return self.filter(school=school)

    def for_association(self, association):
        """The association's bookings: those sent to it (never one still waiting for, or
        refused by, the school's leader)."""
        return self.filter(offer__association=association, sent_to_association=True)

    def awaiting_approval(self):
        return self.filter(state=BookingState.AWAITING_APPROVAL)

    def visible_to(self, user):
        """Bookings the user may open: own schools', own associations', own municipality's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        q = Q(school__memberships__user=user, school__memberships__is_approved=True)
        q |= Q(offer__association__memberships__user=user, sent_to_association=True)
        if user.consultant_municipality is not None:
            q |= Q(school__municipality=user.consultant_municipality)
        return self.filter(q).distinct()


class Booking(models.Model):
    """A school's booking of an offer: one occasion (or series), or an on-request date."""

    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("offer")
    )
    occasion = models.ForeignKey(
        Occasion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("occasion"),
    )
    # Indexed by (school, starts_at) below; a second index on school alone would only slow
    # down every booking written.
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("school"),
        db_index=False,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    contact_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings_as_contact",
        verbose_name=_("contact teacher"),
    )
    state = models.CharField(  # indexed by (state, answer_deadline) below
        _("state"),
        max_length=25,
        choices=BookingState.choices,
        default=BookingState.REQUESTED,
    )
    # When it takes place: the occasion's first session, or the first preferred date
    # (on request) until the association confirms or proposes another.
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    preferred_dates = models.JSONField(_("preferred dates"), default=list, blank=True)
    proposed_starts_at = models.DateTimeField(_("proposed start"), null=True, blank=True)
    proposed_ends_at = models.DateTimeField(_("proposed end"), null=True, blank=True)
    # The occasion's place, kept when an accepted new date moves the booking off its occasion
    # (while it has one, the occasion's place is shown).
    place = models.CharField(_("place"), max_length=200, blank=True)
    answer_deadline = models.DateTimeField(_("answer deadline"))

    classes = models.CharField(
        _("classes"), max_length=100, help_text=_("For example 5.A and 5.B.")
    )
    class_count = models.PositiveSmallIntegerField(
        _("number of classes"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    grade = models.PositiveSmallIntegerField(_("grade"), validators=GRADE_VALIDATORS)
    pupils = models.PositiveSmallIntegerField(
        _("number of pupils"),
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("Only the number. Never write pupils' names."),
    )
    places = models.PositiveSmallIntegerField(_("places reserved"), default=0)
    sessions = models.PositiveSmallIntegerField(_("sessions"), default=1)
    special_needs = models.TextField(_("special needs"), blank=True, max_length=2000)
    message = models.TextField(
        _("message"), blank=True, max_length=3000, help_text=_("Never write pupils' names here.")
    )

    price_total = models.DecimalField(
        _("expected price (DKK)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    subsidy_pool = models.ForeignKey(
        "SubsidyPool",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("subsidy pool"),
    )
    municipality_share = models.DecimalField(
        _("municipality's share (DKK)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    school_share = models.DecimalField(
        _("school's share (DKK)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    #: False while a booking waits for (or was refused) its school leader's approval: the
    #: association neither sees it nor hears of it (``BookingQuerySet.for_association``).
    sent_to_association = models.BooleanField(_("sent to the association"), default=True)
    cancel_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    submit_key = submit_key_field()

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["state", "answer_deadline"]),
            models.Index(fields=["school", "starts_at"]),
            # "My school": a school's requests by state, first deadline first, without
            # combining the state index's tens of thousands of rows with the school's.
            models.Index(fields=["school", "state", "answer_deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="bookings_booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(municipality_share__lte=F("price_total")),
                name="bookings_booking_share_within_price",
            ),
            submitted_once("requested_by", "bookings_booking_submitted_once"),
        ]

    def __str__(self):
        return f"{self.offer} – {self.school} ({timezone.localtime(self.starts_at):%d.%m.%Y})"

    @property
    def where(self) -> str:
        """The place: the occasion's while the booking has one, else the place it kept."""
        return (self.occasion.place if self.occasion_id else "") or self.place

    @property
    def municipality(self):
        return self.school.municipality

    @property
    def association(self):
        return self.offer.association

    @property
    def is_waiting(self) -> bool:
        return self.state in WAITING_STATES


class BookingEvent(models.Model):
    """Every change of a booking: who, when, from, to, note."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="events", verbose_name=_("booking")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_role = models.CharField(_("as"), max_length=15, choices=Actor.choices)
    transition = models.CharField(_("action"), max_length=30, blank=True)
    from_state = models.CharField(_("from"), max_length=25, blank=True)
    to_state = models.CharField(_("to"), max_length=25, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("booking event")
        verbose_name_plural = _("booking events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.booking_id}: {self.from_state} → {self.to_state}"

    @property
    def from_label(self) -> str:
        return BookingState(self.from_state).label if self.from_state else ""

    @property
    def to_label(self) -> str:
        return BookingState(self.to_state).label if self.to_state else ""


class WaitingListEntry(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Place offered")
        ACCEPTED = "accepted", _("Accepted")
        LAPSED = "lapsed", _("Offer lapsed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        #: Won in the draw but could not be booked (``allocation_note`` says why).
        REFUSED = "refused", _("Could not be booked")

    occasion = models.ForeignKey(
        Occasion, on_delete=models.CASCADE, related_name="waiting_list", verbose_name=_("occasion")
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="waiting_entries", verbose_name=_("school")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    places = models.PositiveSmallIntegerField(_("places needed"), validators=[MinValueValidator(1)])
    classes = models.CharField(_("classes"), max_length=100)
    class_count = models.PositiveSmallIntegerField(_("number of classes"), default=1)
    grade = models.PositiveSmallIntegerField(_("grade"), validators=GRADE_VALIDATORS)
    pupils = models.PositiveSmallIntegerField(_("number of pupils"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING
    )
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    booking = models.OneToOneField(
        Booking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waiting_entry",
        verbose_name=_("booking"),
    )
    contact_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact teacher"),
    )
    for_allocation = models.BooleanField(_("request for the fair allocation"), default=False)
    #: Place in line after a fair allocation (the draw); otherwise the order of joining counts.
    rank = models.PositiveIntegerField(_("place in line"), null=True, blank=True)
    allocation_note = models.TextField(_("how the places were allocated"), blank=True)
    created_at = models.DateTimeField(_("joined"), default=timezone.now)
    submit_key = submit_key_field()

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting-list entries")
        ordering = [F("rank").asc(nulls_last=True), "created_at", "id"]
        constraints = [submitted_once("requested_by", "bookings_waiting_submitted_once")]

    def __str__(self):
        return f"{self.school} – {self.occasion}"


class SubsidyPool(models.Model):
    """The municipality's co-financing for one school year. Never overspent (row lock)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="subsidy_pools",
        verbose_name=_("municipality"),
    )
    school_year = models.PositiveSmallIntegerField(
        _("school year (starting year)"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("2026 means the school year 2026/27."),
    )
    amount = models.DecimalField(
        _("amount (DKK)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    municipality_share_percent = models.PositiveSmallIntegerField(
        _("municipality's share (%)"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    cap_per_school = models.DecimalField(
        _("cap per school (DKK)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    cap_per_booking = models.DecimalField(
        _("cap per booking (DKK)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_hourly_rate = models.DecimalField(
        _("highest subsidised hourly rate (DKK)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For example 250 DKK: a higher hourly fee is subsidised only up to this."),
    )
    reserved = models.DecimalField(
        _("reserved (DKK)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    spent = models.DecimalField(
        _("spent (DKK)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("subsidy pool")
        verbose_name_plural = _("subsidy pools")
        ordering = ["-school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "school_year"], name="bookings_pool_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0) & Q(spent__gte=0),
                name="bookings_pool_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=F("reserved") + F("spent")),
                name="bookings_pool_not_overspent",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} {self.school_year}/{(self.school_year + 1) % 100:02d}"

    def clean(self):
        super().clean()
        used = self.reserved + self.spent
        if self.amount is not None and self.amount < used:
            raise ValidationError(
                {
                    "amount": _(
                        "%(used)s DKK of the pool is reserved or spent already: the amount "
                        "cannot be lower."
                    )
                    % {"used": money(used)}
                }
            )

    @property
    def left(self) -> Decimal:
        return self.amount - self.reserved - self.spent


class BookingMessage(ThreadMessage):
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="messages", verbose_name=_("booking")
    )
    author_side = models.CharField(_("from"), max_length=15, choices=Actor.choices)

    class Meta(ThreadMessage.Meta):
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [submitted_once("author", "bookings_message_submitted_once")]

    def __str__(self):
        return f"{self.booking_id} {self.created_at:%d.%m.%Y %H:%M}"


class Evaluation(models.Model):
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("booking")
    )
    side = models.CharField(
        _("from"),
        max_length=15,
        choices=[(Actor.SCHOOL, Actor.SCHOOL.label), (Actor.ASSOCIATION, Actor.ASSOCIATION.label)],
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    rating = models.PositiveSmallIntegerField(
        _("rating (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(
        _("comment"), blank=True, max_length=3000, help_text=_("Never write pupils' names here.")
    )
    took_place = models.BooleanField(_("it took place"), default=True)
    pupils_reached = models.PositiveSmallIntegerField(_("pupils reached"), null=True, blank=True)
    pupils_joined = models.PositiveSmallIntegerField(
        _("pupils who later joined the association"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    #: The key of the form last saved. One evaluation per booking and side already makes a
    #: second insert fail (bookings_evaluation_once); the key tells a repeat from an edit.
    submit_key = submit_key_field()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["booking", "side"], name="bookings_evaluation_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="bookings_evaluation_rating"
            ),
        ]

    def __str__(self):
        return f"{self.booking_id} {self.side} {self.rating}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private calendar feed URL for a school or an association (secret, revocable)."""

    school = models.OneToOneField(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feed",
        verbose_name=_("school"),
    )
    association = models.OneToOneField(
        Association,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feed",
        verbose_name=_("association"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=(Q(school__isnull=False) & Q(association__isnull=True))
                | (Q(school__isnull=True) & Q(association__isnull=False)),
                name="bookings_feed_one_owner",
            )
        ]

    def __str__(self):
        return str(self.school or self.association)
