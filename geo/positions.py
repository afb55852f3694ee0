"""Positions from addresses: where an association, an offer's place or a school is.

``locate(address, postal_code, town)`` is the one call. When ``settings.GEOCODER_URL`` names
the Danish public address service (DAWA, ``https://api.dataforsyningen.dk``) the address is
looked up there (``lookup_address``, the only code that leaves the portal; tests give it a
stand-in server, never the real one). Otherwise, or when the service fails or does not know
the address, the answer is the centre of the postal code: the mean position of what the
portal already knows there (schools, associations, places of offers). Those models are in
higher apps, so each registers itself here in its ``AppConfig.ready()``
(``register_source``). A failing service never fails a save: ``locate`` answers ``None``.
"""

import logging
import math
from dataclasses import dataclass

import requests
from django.apps import apps
from django.conf import settings

from portal.forms import is_digits

logger = logging.getLogger(__name__)

#: Kilometres per degree; longitude shrinks with the cosine of the latitude.
KM_PER_DEGREE_LAT = 110.57
KM_PER_DEGREE_LON_EQUATOR = 111.32

Point = tuple[float, float]  # (latitude, longitude)


@dataclass(frozen=True)
class BoundingBox:
    south: float
    north: float
    west: float
    east: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


#: Denmark without the Faroe Islands and Greenland, Bornholm and Skagen included.
DENMARK = BoundingBox(south=54.0, north=58.0, west=8.0, east=15.5)


def valid_point(lat, lon) -> bool:
    return (
        isinstance(lat, int | float)
        and isinstance(lon, int | float)
        and math.isfinite(lat)
        and math.isfinite(lon)
        and DENMARK.contains(lat, lon)
    )


# Known positions per postal code, from the apps that store them --------------------------

#: (model label, postal code field, latitude field, longitude field)
_SOURCES: list[tuple[str, str, str, str]] = []


def register_source(label: str, postal_code: str, latitude: str, longitude: str) -> None:
    """A model whose stored positions count towards its postal code's centre."""
    source = (label, postal_code, latitude, longitude)
    if source not in _SOURCES:
        _SOURCES.append(source)


def sources() -> list[tuple[str, str, str, str]]:
    return list(_SOURCES)


def postal_code_centre(postal_code: str) -> Point | None:
    """The mean of the positions the portal knows in the postal code (one query), or None."""
    if not postal_code or not is_digits(postal_code) or len(postal_code) != 4 or not _SOURCES:
        return None
    querysets = []
    for label, code_field, lat_field, lon_field in _SOURCES:
        model = apps.get_model(label)
        querysets.append(
            model._default_manager.filter(
                **{
                    code_field: postal_code,
                    f"{lat_field}__isnull": False,
                    f"{lon_field}__isnull": False,
                }
            )
            .order_by()
            .values_list(lat_field, lon_field)
        )
    first, *rest = querysets
    points = [p for p in first.union(*rest, all=True) if valid_point(*p)]
    if not points:
        return None
    return (
        sum(p[0] for p in points) / len(points),
        sum(p[1] for p in points) / len(points),
    )


# The address service (the edge) --------------------------------------------------------


def lookup_address(address: str, postal_code: str, town: str = "") -> Point | None:
    """The position of a Danish address from DAWA's address search (``/adresser?q=``, the
    first hit, ``struktur=mini``: ``x`` is the longitude, ``y`` the latitude, WGS 84).
    Raises on network and format errors; ``locate`` catches them."""
    base = settings.GEOCODER_URL.rstrip("/")
    query = " ".join(part for part in (f"{address},", postal_code, town) if part).strip(" ,")
    response = requests.get(
        f"{base}/adresser",
        params={"q": query, "struktur": "mini", "per_side": 1},
        timeout=settings.GEOCODER_TIMEOUT,
        headers={"Accept": "application/json"},
    )
    response.raise_for_status()
    hits = response.json()
    if not isinstance(hits, list) or not hits:
        return None
    hit = hits[0]
    lat, lon = float(hit["y"]), float(hit["x"])
    return (lat, lon) if valid_point(lat, lon) else None


def locate(address: str, postal_code: str, town: str = "") -> Point | None:
    """Where an address is: the address service when configured, else (or when it fails
    or does not know the address) the centre of the postal code; None when nothing is known.
    """
    if settings.GEOCODER_URL and address and postal_code:
        try:
            point = lookup_address(address, postal_code, town)
        except (requests.RequestException, ValueError, KeyError, TypeError, IndexError) as exc:
            logger.warning("Address lookup failed for postal code %s: %s", postal_code, exc)
            point = None
        if point is not None:
            return point
    return postal_code_centre(postal_code)
