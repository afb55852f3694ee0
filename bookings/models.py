from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Offer
from municipalities.tenancy import TenantQuerySet


class CapacityUnit(models.TextChoices):
    CLASSES = "classes", _("classes")
    PUPILS = "pupils", _("pupils")


class OccasionQuerySet(TenantQuerySet):
    municipality_lookup = "offer__association__municipalities"
    municipality_is_multi = True

    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now(), is_cancelled=False)


class Occasion(models.Model):
    """A fixed date of an offer, with a capacity that bookings reserve under a row lock."""

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
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.offer} {local:%d.%m.%Y %H:%M}"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})

    @property
    def free(self) -> int:
        return max(self.capacity - self.reserved, 0)
