from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from associations.models import Offer


class Favourite(models.Model):
    """An offer a school staff member has marked to find again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="catalog_favourites",
        verbose_name=_("user"),
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="favourites", verbose_name=_("offer")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "offer"], name="catalog_favourite_unique")
        ]

    def __str__(self):
        return f"{self.user} ♥ {self.offer}"


class CatalogVisit(models.Model):
    """When a user last opened the catalog, for "new since my last visit"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="catalog_visit",
        verbose_name=_("user"),
    )
    previous_visit_at = models.DateTimeField(_("previous visit"), null=True, blank=True)
    last_visit_at = models.DateTimeField(_("last visit"))

    class Meta:
        verbose_name = _("catalog visit")
        verbose_name_plural = _("catalog visits")

    def __str__(self):
        return f"{self.user}: {self.last_visit_at:%Y-%m-%d}"
