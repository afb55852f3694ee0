from datetime import date

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo import positions
from municipalities.models import Municipality
from municipalities.tenancy import TenantQuerySet
from municipalities.validators import postal_code_validator
from portal.submitkeys import submit_key_field, submitted_once
from portal.uploads import random_upload_path, validate_image
from screening.models import Screenable
from screening.workflow import EDITABLE_STATES, ScreeningState

from .cvr import validate_cvr  # migrations name it associations.models.validate_cvr

GRADES = [MinValueValidator(0), MaxValueValidator(10)]


def choice_label(choices: type[models.TextChoices], value: str):
    """The label of one choice (the value itself if it is not one of them)."""
    try:
        return choices(value).label
    except ValueError:
        return value


class Domain(models.TextChoices):
    SPORT = "sport", _("Sport")
    SCOUTING = "scouting", _("Scouting")
    CULTURE = "culture", _("Culture and art")
    MUSIC = "music", _("Music")
    NATURE = "nature", _("Nature and outdoor life")
    SCIENCE = "science", _("Science and technology")
    SOCIAL = "social", _("Social and health")
    OTHER = "other", _("Other")


class Subject(models.Model):
    """A folkeskole subject. Data, editable by operators in the admin."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class AssociationQuerySet(TenantQuerySet):
    municipality_lookup = "municipalities"
    municipality_is_multi = True

    def live(self):
        """Live rows, not pending edits."""
        return self.filter(revision_of__isnull=True)

    def published(self):
        return self.live().filter(state=ScreeningState.APPROVED)

    def for_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class Association(Screenable):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    cvr = models.CharField(_("CVR number"), max_length=8, validators=[validate_cvr])
    domains = models.JSONField(_("domains"), default=list, blank=True)
    description = models.TextField(_("short description"), max_length=2000)
    address = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(
        _("postal code"), max_length=4, validators=[postal_code_validator]
    )
    town = models.CharField(_("town"), max_length=100)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_role = models.CharField(_("contact person's role"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    contact_email = models.EmailField(_("contact e-mail"))
    members_under_18 = models.PositiveIntegerField(_("members under 18"), default=0)
    members_under_25 = models.PositiveIntegerField(_("members under 25"), default=0)
    municipalities = models.ManyToManyField(
        Municipality,
        related_name="associations",
        verbose_name=_("offers in"),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to=random_upload_path("logos"),
        blank=True,
        validators=[validate_image],
    )

    objects = AssociationQuerySet.as_manager()

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(members_under_25__gte=models.F("members_under_18")),
                name="associations_members_under_25_includes_under_18",
                violation_error_message=_(
                    "Members under 25 include those under 18, so it cannot be smaller."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:association_detail", args=[self.live.slug])

    def save(self, *args, **kwargs):
        # No position given (or the form cleared it when the address changed): look it up.
        if kwargs.get("update_fields") is None and (
            self.latitude is None or self.longitude is None
        ):
            self.latitude, self.longitude = positions.locate(
                self.address, self.postal_code, self.town
            ) or (None, None)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.members_under_25 < self.members_under_18:
            raise ValidationError(
                {
                    "members_under_25": _(
                        "Members under 25 include those under 18, so it cannot be smaller."
                    )
                }
            )
        # A list of known names: the admin's JSON field also takes 5, 0, null or [["sport"]].
        if self.domains is None:
            self.domains = []
        domains = self.domains
        names = isinstance(domains, list) and all(isinstance(d, str) for d in domains)
        if not names or not set(domains) <= set(Domain.values):
            raise ValidationError({"domains": _("Unknown domain.")})

    def after_revision_applied(self) -> None:
        """An approved edit may change the municipalities and so the certificate limit."""
        from .services import refresh_association_certificates

        refresh_association_certificates(self)

    def get_domains_display(self) -> list[str]:
        known = Domain.values  # a new list on every read
        return [Domain(d).label for d in self.domains or [] if d in known]

    # Screening (``screening.models.Screenable``): the association answers for itself.

    def screening_municipalities(self) -> list:
        return list(self.live.municipalities.all())

    def screening_owner(self):
        return self.live

    def screening_owner_url(self) -> str:
        return reverse("associations:mine")

    def screening_sender_hears(self, user) -> bool:
        return self.live.memberships.filter(user=user).exists()


class AssociationRole(models.TextChoices):
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Administrator")


class AssociationMembership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user")
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("association"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=AssociationRole.choices, default=AssociationRole.MEMBER
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("association membership")
        verbose_name_plural = _("association memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "association"], name="associations_membership_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.association} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role == AssociationRole.ADMIN


class Instructor(models.Model):
    """A person who meets pupils. Only the date of the child certificate and a yes are stored."""

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="instructors",
        verbose_name=_("association"),
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=100, blank=True)
    school_experience = models.TextField(
        _("experience with school life"),
        blank=True,
        max_length=1000,
    )
    child_certificate_confirmed = models.BooleanField(
        _("child certificate obtained"),
        default=False,
        help_text=_(
            "Danish law requires a child certificate (børneattest) for people who "
            "work with children under 15."
        ),
    )
    child_certificate_date = models.DateField(_("child certificate date"), null=True, blank=True)

    class Meta:
        verbose_name = _("instructor")
        verbose_name_plural = _("instructors")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.child_certificate_confirmed and not self.child_certificate_date:
            raise ValidationError({"child_certificate_date": _("Give the certificate's date.")})
        if self.child_certificate_date and self.child_certificate_date > timezone.localdate():
            raise ValidationError(
                {"child_certificate_date": _("The date cannot be in the future.")}
            )


class OfferFormat(models.TextChoices):
    EVENT = "event", _("Event at a sports day or theme day")
    THEME_WEEK = "theme_week", _("Theme week")
    VISIT = "visit", _("Single visit")
    COURSE = "course", _("Course over several weeks")
    OTHER = "other", _("Other")


class Location(models.TextChoices):
    AT_SCHOOL = "school", _("At the school")
    AT_ASSOCIATION = "association", _("At the association")
    ELSEWHERE = "elsewhere", _("Elsewhere")


class PriceModel(models.TextChoices):
    FREE = "free", _("Free")
    MATERIALS = "materials", _("Materials only")
    HOURLY = "hourly", _("Hourly instructor fee")
    PER_CLASS = "per_class", _("Fixed price per class")
    PER_SESSION = "per_session", _("Fixed price per session")


def _shown_offer() -> dict:
    """The offer's own half of ``OfferQuerySet.published()``: approved, not paused,
    certificates valid today."""
    return {
        "state": ScreeningState.APPROVED,
        "is_paused": False,
        "certificates_valid_until__gte": timezone.localdate(),
    }


class OfferQuerySet(TenantQuerySet):
    municipality_lookup = "association__municipalities"
    municipality_is_multi = True

    def live(self):
        return self.filter(revision_of__isnull=True)

    def published(self):
        """What schools may see: approved, not paused, association approved, certificates valid."""
        return self.live().filter(
            **_shown_offer(),
            association__state=ScreeningState.APPROVED,
            association__revision_of__isnull=True,
        )

    def shown(self):
        """The offer's own half of ``published()``, for callers that have read the
        association with ``Association.objects.published()``: the query needs no join."""
        return self.live().filter(**_shown_offer())

    def for_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(association__memberships__user=user)

    def hidden_by_certificates(self, today: date | None = None):
        """Live offers that were approved and that schools no longer see because a child
        certificate ran out: still approved (the nightly check has not run yet) or expired
        by it (``associations.services.expire_certificates``)."""
        return self.live().filter(
            state__in=[ScreeningState.APPROVED, ScreeningState.EXPIRED],
            certificates_valid_until__lt=today or timezone.localdate(),
        )

    def once_published(self):
        """Live offers schools could see once and may see again: approved, or taken off the
        portal for a while (expired, suspended). Their old links lead to a friendly page."""
        return self.live().filter(
            approved_at__isnull=False,
            state__in=[ScreeningState.APPROVED, ScreeningState.EXPIRED, ScreeningState.SUSPENDED],
        )


class Offer(Screenable):
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="offers", verbose_name=_("association")
    )
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    summary = models.CharField(_("one-line summary"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    subjects = models.ManyToManyField(
        Subject, blank=True, related_name="offers", verbose_name=_("school subjects")
    )
    grade_min = models.PositiveSmallIntegerField(_("from grade"), validators=GRADES, default=0)
    grade_max = models.PositiveSmallIntegerField(_("to grade"), validators=GRADES, default=10)
    format = models.CharField(_("format"), max_length=20, choices=OfferFormat.choices)
    location = models.CharField(_("where"), max_length=20, choices=Location.choices)
    location_address = models.CharField(_("address"), max_length=200, blank=True)
    location_postal_code = models.CharField(
        _("postal code"), max_length=4, blank=True, validators=[postal_code_validator]
    )
    #: Where an offer that takes place elsewhere happens (its place on the map): looked up
    #: from its address on save (``geo.positions.locate``); empty for the other locations.
    location_latitude = models.FloatField(_("latitude of the place"), null=True, blank=True)
    location_longitude = models.FloatField(_("longitude of the place"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        null=True,  # a draft may leave it empty; it is required to submit
        blank=True,
        validators=[MinValueValidator(15), MaxValueValidator(60 * 12)],
    )
    pupils_min = models.PositiveSmallIntegerField(_("minimum pupils per session"), default=1)
    pupils_max = models.PositiveSmallIntegerField(_("maximum pupils per session"), default=30)
    sessions_per_week = models.PositiveSmallIntegerField(
        _("sessions possible per week"), default=1, validators=[MaxValueValidator(50)]
    )
    # When it can take place: ISO weeks (the range may wrap over New Year) and weekdays "12345".
    season_start_week = models.PositiveSmallIntegerField(
        _("from week"), default=33, validators=[MinValueValidator(1), MaxValueValidator(53)]
    )
    season_end_week = models.PositiveSmallIntegerField(
        _("to week"), default=26, validators=[MinValueValidator(1), MaxValueValidator(53)]
    )
    # Nothing is chosen for the association: no weekday and no "on request" until it says so.
    weekdays = models.CharField(_("weekdays"), max_length=5, default="", blank=True)
    on_request = models.BooleanField(
        _("on request"),
        default=False,
        help_text=_("Schools propose dates. Otherwise the offer has fixed occasions."),
    )
    price_model = models.CharField(
        _("price model"), max_length=20, choices=PriceModel.choices, default=PriceModel.FREE
    )
    price_amount = models.DecimalField(
        _("price (DKK)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    learning_goals = models.TextField(_("learning goals it supports"), blank=True, max_length=3000)
    faelles_maal_url = models.URLField(_("link to Fælles Mål"), blank=True)
    what_to_bring = models.TextField(_("what pupils bring"), blank=True, max_length=1000)
    accessibility = models.TextField(
        _("accessibility for pupils with disabilities"), blank=True, max_length=1000
    )
    weather = models.TextField(_("weather"), blank=True, max_length=500)
    transport = models.TextField(_("transport"), blank=True, max_length=500)
    instructor_experience = models.TextField(
        _("the instructors' experience with school life"), blank=True, max_length=2000
    )
    instructors = models.ManyToManyField(
        Instructor, blank=True, related_name="offers", verbose_name=_("instructors")
    )
    is_paused = models.BooleanField(_("paused"), default=False)
    # Denormalised from the instructors' child certificates (see associations.services).
    #: The Danish full-text document of the offer (title, association name, summary,
    #: description, by weight), kept by the database itself on PostgreSQL: a trigger
    #: rewrites it on every insert and on updates of those fields (migration 0004), and a
    #: GIN index finds matches without reading the text. Empty on other databases, where
    #: the catalog searches with LIKE (catalog.search).
    search_document = SearchVectorField(null=True, editable=False)
    certificates_valid_until = models.DateField(
        _("child certificates valid until"), null=True, blank=True, db_index=True
    )
    #: The key of the offer form that created it (a double click creates one draft).
    submit_key = submit_key_field()

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-approved_at", "title"]
        indexes = [
            models.Index(
                fields=["state", "is_paused", "certificates_valid_until"],
                name="offers_published_idx",
            ),
            models.Index(fields=["domain"], name="offers_domain_idx"),
            models.Index(fields=["grade_min", "grade_max"], name="offers_grades_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade_min__lte=models.F("grade_max")),
                name="associations_offer_grade_range",
            ),
            models.CheckConstraint(
                condition=Q(pupils_min__lte=models.F("pupils_max")),
                name="associations_offer_pupils_range",
            ),
            # A draft may name a price model before it knows the price.
            models.CheckConstraint(
                condition=Q(price_model__in=["free"])
                | Q(price_amount__isnull=False)
                | Q(state__in=["draft", "changes_requested"]),
                name="associations_offer_price_for_paid_model",
            ),
            # One new offer per form sent (``portal.submitkeys``); edits copy the key.
            models.UniqueConstraint(
                fields=["association", "submit_key"],
                condition=Q(submit_key__isnull=False, revision_of__isnull=True),
                name="associations_offer_one_per_form_key",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalog:offer_detail", args=[self.live.slug])

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None:
            if self.location != Location.ELSEWHERE or not self.location_address:
                self.location_latitude = self.location_longitude = None
            elif self.location_latitude is None or self.location_longitude is None:
                self.location_latitude, self.location_longitude = positions.locate(
                    self.location_address, self.location_postal_code
                ) or (None, None)
        super().save(*args, **kwargs)

    @property
    def place_position(self) -> tuple[float, float] | None:
        """Where it happens when that is its own place (not the school or the association)."""
        if self.location == Location.ELSEWHERE and self.location_latitude is not None:
            return (self.location_latitude, self.location_longitude)
        return None

    def in_season(self, day: date) -> bool:
        """Is ``day`` in the offer's season, from week to week (ISO weeks, the range may wrap
        over New Year: 33 to 26 is a school year)? The catalog's week filter reads it alike."""
        week = day.isocalendar().week
        first, last = self.season_start_week, self.season_end_week
        if first <= last:
            return first <= week <= last
        return week >= first or week <= last

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.grade_min is not None
            and self.grade_max is not None
            and self.grade_min > self.grade_max
        ):
            errors["grade_max"] = _("The last grade must not be before the first grade.")
        if (
            self.pupils_min is not None
            and self.pupils_max is not None
            and self.pupils_min > self.pupils_max
        ):
            errors["pupils_max"] = _("The maximum must be at least the minimum.")
        if self.weekdays and (not set(self.weekdays) <= set("12345")):
            errors["weekdays"] = _("Choose weekdays from Monday to Friday.")
        if self.state not in EDITABLE_STATES:
            # Only a draft may lack a price or an address (the offer form saves drafts step by
            # step); the rest of what submitting asks for is checked by the submission.
            missing = self.missing_for_submission()
            errors.update(
                {k: missing[k] for k in ("price_amount", "location_address") if k in missing}
            )
        if errors:
            raise ValidationError(errors)

    #: Fields a draft may leave empty that must be filled in to submit it, and what to say.
    REQUIRED_TO_SUBMIT = {
        "title": _("Give the offer a title."),
        "summary": _("Write the one-line summary."),
        "description": _("Describe what the pupils do."),
        "domain": _("Choose the domain."),
        "format": _("Choose the format."),
        "location": _("Choose where it takes place."),
        "duration_minutes": _("Give the duration in minutes."),
    }

    def missing_for_submission(self) -> dict[str, str]:
        """Field name -> message for what must be filled in before screening."""
        missing = {
            name: str(message)
            for name, message in self.REQUIRED_TO_SUBMIT.items()
            if getattr(self, name) in (None, "")
        }
        if self.location == Location.ELSEWHERE and not self.location_address:
            missing["location_address"] = _("Give the address where it takes place.")
        if not self.weekdays:
            missing["weekdays"] = _("Choose at least one weekday.")
        if self.price_model != PriceModel.FREE and self.price_amount is None:
            missing["price_amount"] = _("Give the price for this price model.")
        return missing

    def after_revision_applied(self) -> None:
        """An approved edit may name other instructors: recompute the certificate validity."""
        from .services import refresh_certificate_validity

        refresh_certificate_validity(self)

    # Screening (``screening.models.Screenable``): an offer is screened for its association.

    def screening_municipalities(self) -> list:
        return self.association.screening_municipalities()

    def screening_owner(self):
        return self.association.live

    def screening_owner_url(self) -> str:
        return reverse("associations:mine")

    def screening_sender_hears(self, user) -> bool:
        return self.association.live.memberships.filter(user=user).exists()

    def is_hidden_by_certificates(self, today: date | None = None) -> bool:
        """The rule of ``OfferQuerySet.hidden_by_certificates`` for one offer."""
        return (
            not self.is_revision
            and self.state in (ScreeningState.APPROVED, ScreeningState.EXPIRED)
            and self.certificates_valid_until is not None
            and self.certificates_valid_until < (today or timezone.localdate())
        )

    @classmethod
    def screening_alerts(cls, queryset) -> list[tuple[str, int, str]]:
        """Approved offers schools no longer see because a child certificate ran out (the
        admin list filter ``certificates=expired`` shows them)."""
        count = queryset.hidden_by_certificates().count()
        label = _("Offers hidden from schools: a child certificate has expired")
        return [(label, count, "?certificates=expired")]

    def automatic_checks(self) -> list:
        from .services import certificate_check

        return [certificate_check(self)]

    # One translated label per call: Django's own get_FOO_display translates every choice of
    # the field to find one, and the catalog shows these on every card.
    def get_domain_display(self) -> str:
        return choice_label(Domain, self.domain)

    def get_format_display(self) -> str:
        return choice_label(OfferFormat, self.format)

    def get_location_display(self) -> str:
        return choice_label(Location, self.location)

    def get_price_model_display(self) -> str:
        return choice_label(PriceModel, self.price_model)

    @property
    def priced_per_pupil(self) -> bool:
        """Materials are paid per pupil: pages show the amount per pupil, and a booking
        costs it times its pupils (``bookings`` pricing)."""
        return self.price_model == PriceModel.MATERIALS

    @property
    def grade_range_display(self) -> str:
        if self.grade_min == self.grade_max:
            return f"{self.grade_min}."
        return f"{self.grade_min}.–{self.grade_max}."


class OfferPhoto(models.Model):
    MAX_PER_OFFER = 5
    #: An edit of an approved offer carries its own photos; approving it replaces the live ones.
    FOLLOWS_REVISIONS = True

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="photos", verbose_name=_("offer")
    )
    image = models.ImageField(
        _("photo"), upload_to=random_upload_path("offers"), validators=[validate_image]
    )
    alt_text = models.CharField(
        _("description of the photo"),
        max_length=200,
        help_text=_("Describe the photo for blind users."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    submit_key = submit_key_field()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "id"]
        constraints = [submitted_once("offer", "associations_offerphoto_submitted_once")]

    def __str__(self):
        return self.alt_text


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """An admin invites a colleague by e-mail; the link carries a signed token with this id."""

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("association"),
    )
    email = models.EmailField(_("e-mail address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.association}"


class JoinRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(decided_at__isnull=True)


class JoinRequest(models.Model):
    """A signed-up user asks to join an association; one of its admins decides."""

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("association"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="association_join_requests",
        verbose_name=_("user"),
    )
    message = models.TextField(_("message"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    approved = models.BooleanField(_("approved"), null=True, blank=True)

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "user"],
                condition=Q(decided_at__isnull=True),
                name="associations_one_pending_join_request",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.association}"
