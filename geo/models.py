"""Areas on the map: polygons a consultant uploads for the municipality's focus areas
(vulnerable neighbourhoods, say), kept as one GeoJSON MultiPolygon each (``geojson.py``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality
from municipalities.tenancy import TenantQuerySet

from . import geojson


class MapAreaQuerySet(TenantQuerySet):
    def visible_to(self, user, municipality):
        """The municipality's areas a visitor may see: the public ones, and all of them for
        the municipality's consultants (and operators)."""
        if municipality is None:
            return self.none()
        areas = self.for_municipality(municipality)
        if getattr(user, "is_superuser", False) or (
            getattr(user, "is_authenticated", False)
            and user.consultant_municipality == municipality
        ):
            return areas
        return areas.filter(is_public=True)


class MapArea(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="map_areas",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    #: One GeoJSON MultiPolygon ([longitude, latitude] positions), checked by geojson.parse.
    geometry = models.JSONField(_("area"), editable=False)
    #: The geometry as the map draws it (``geojson.outline``), set on every save.
    outline = models.JSONField(_("outline on the map"), editable=False, null=True)
    is_public = models.BooleanField(
        _("shown on the public map"),
        default=False,
        help_text=_("Otherwise only the municipality's consultants see the area."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MapAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("map area")
        verbose_name_plural = _("map areas")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="geo_maparea_unique_name",
                violation_error_message=_("The municipality already has an area of that name."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.geometry:
            self.outline = geojson.outline(self.geometry)
        super().save(*args, **kwargs)

    @property
    def vertices(self) -> int:
        return geojson.vertex_count(self.geometry) if self.geometry else 0

    def contains(self, point) -> bool:
        return geojson.contains(self.geometry, point)

    def distance_km(self, point) -> float:
        return geojson.distance_km(self.geometry, point)
