from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality
from municipalities.tenancy import TenantQuerySet

postal_code_validator = RegexValidator(r"^\d{4}$", _("A Danish postal code has four digits."))


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

    def __str__(self):
        return self.name


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
