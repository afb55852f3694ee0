"""The demo municipality's areas on the map (geo.MapArea): one public, one for consultants."""

import json

from geo import geojson
from geo.models import MapArea
from municipalities.models import Municipality

from . import data


def create_map_areas(municipality: Municipality) -> None:
    for name, description, public, outline in data.MAP_AREAS:
        MapArea.objects.update_or_create(
            municipality=municipality,
            name=name,
            defaults={
                "description": description,
                "is_public": public,
                # Through the upload's own check.
                "geometry": geojson.parse(
                    json.dumps({"type": "Polygon", "coordinates": [outline]})
                ),
            },
        )
