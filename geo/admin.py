"""Map areas in the admin: a consultant uploads a GeoJSON file for an area of their own
municipality (``TenantAdmin``: their rows only, the municipality set from the consultant).
The file is checked by ``geojson.parse`` (type, rings, positions in Denmark, size and vertex
limits) and refused with its message; an edit without a new file keeps the area."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from municipalities.admin import TenantAdmin

from . import geojson
from .models import MapArea


class MapAreaForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("GeoJSON file"),
        required=False,
        help_text=_(
            "A Polygon or MultiPolygon (or Features with them) in WGS 84 [longitude, latitude], "
            "at most 1 MB and 20,000 points. Leave empty to keep the current area."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )

    class Meta:
        model = MapArea
        fields = ["municipality", "name", "description", "is_public", "upload"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            if self.instance.pk is None:
                raise ValidationError(_("Choose the GeoJSON file of the area."))
            return None
        if upload.size > geojson.MAX_BYTES:
            raise ValidationError(
                _("The file is too large (at most %(limit)s kB)."),
                params={"limit": geojson.MAX_BYTES // 1000},
            )
        data = upload.read(geojson.MAX_BYTES + 1)
        self.instance.geometry = geojson.parse(data)
        return None


@admin.register(MapArea)
class MapAreaAdmin(TenantAdmin):
    form = MapAreaForm
    list_display = ["name", "is_public", "vertices", "municipality", "updated_at"]
    list_filter = ["is_public"]
    search_fields = ["name"]
    readonly_fields = ["vertices"]

    @admin.display(description=_("points"))
    def vertices(self, obj):
        return obj.vertices
