from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantQuerySet


class Municipality(models.Model):
    """A tenant. Schools belong to one; associations offer in one or more."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    code = models.CharField(
        _("municipality code"),
        max_length=3,
        unique=True,
        help_text=_("The three-digit Danish municipality code, e.g. 217 for Helsingør."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    # Rules the municipality sets for itself.
    child_certificate_max_age_months = models.PositiveSmallIntegerField(
        _("child certificate valid for (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    approval_valid_days = models.PositiveSmallIntegerField(
        _("approval valid for (days)"),
        default=365,
        validators=[MinValueValidator(30), MaxValueValidator(1500)],
    )
    booking_answer_days = models.PositiveSmallIntegerField(
        _("days an association has to answer a request"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    cancellation_cutoff_days = models.PositiveSmallIntegerField(
        _("cancellation cut-off (days before the date)"),
        default=7,
        validators=[MaxValueValidator(90)],
    )
    leader_approval_above = models.DecimalField(
        _("leader approval when the school pays more than (DKK)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Optional. A booking whose share for the school (after the co-financing) is higher "
            "waits for the approval of a principal or department head of the school before "
            "the association receives it. Empty: no approval."
        ),
    )
    embed_allowed_origins = models.TextField(
        _("origins allowed to embed the catalog"),
        blank=True,
        help_text=_("One origin per line, e.g. https://intranet.skole.dk"),
    )
    school_email_domains = models.TextField(
        _("school e-mail domains"),
        blank=True,
        help_text=_("One domain per line. Staff with such an address are approved at once."),
    )
    show_public_key_figures = models.BooleanField(_("show public key figures"), default=False)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def embed_origins(self) -> list[str]:
        return [o.rstrip("/") for o in self._lines(self.embed_allowed_origins)]

    @property
    def school_domains(self) -> list[str]:
        return [d.lower().lstrip("@") for d in self._lines(self.school_email_domains)]

    def needs_leader_approval(self, school_share: Decimal) -> bool:
        """Does a booking whose school pays ``school_share`` wait for a school leader?"""
        return self.leader_approval_above is not None and school_share > self.leader_approval_above

    @property
    def child_certificate_max_age(self) -> timedelta:
        # Months as 30.44 days; the rule is about "roughly two years", not calendar precision.
        return timedelta(days=round(self.child_certificate_max_age_months * 30.44))


class ConsultantQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)


class Consultant(models.Model):
    """A municipal consultant: screens profiles and follows the numbers, in one municipality."""

    class DigestChoice(models.TextChoices):
        EACH = "each", _("An e-mail for each submission")
        DAILY = "daily", _("One daily digest")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consultant",
        verbose_name=_("user"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="consultants",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    submission_emails = models.CharField(
        _("submission e-mails"),
        max_length=10,
        choices=DigestChoice.choices,
        default=DigestChoice.EACH,
    )

    objects = ConsultantQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultant")
        verbose_name_plural = _("consultants")

    def __str__(self):
        return f"{self.user} ({self.municipality})"


class SchoolYearSettings(models.Model):
    """The municipality's school-year rules (winter holiday week 7 or 8)."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="school_year_settings",
        verbose_name=_("municipality"),
    )
    winter_holiday_week = models.PositiveSmallIntegerField(
        _("winter holiday week"), default=7, choices=[(7, _("Week 7")), (8, _("Week 8"))]
    )

    class Meta:
        verbose_name = _("school-year settings")
        verbose_name_plural = _("school-year settings")

    def __str__(self):
        return str(self.municipality)
