"""GeoJSON areas in pure Python: read and check an upload, and ask whether a point lies inside
an area or how far from it (no PostGIS: a municipality has a handful of areas of a few
thousand vertices, and the map asks about a few hundred points).

An area is kept as one GeoJSON ``MultiPolygon`` geometry: ``{"type": "MultiPolygon",
"coordinates": [polygon, ...]}``, a polygon being a list of rings (the outline, then holes),
a ring a closed list of ``[longitude, latitude]`` positions (GeoJSON's order).
"""

import json
import math
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .positions import DENMARK, KM_PER_DEGREE_LAT, KM_PER_DEGREE_LON_EQUATOR

#: The largest upload read (bytes) and the most vertices an area may have.
MAX_BYTES = 1_000_000
MAX_VERTICES = 20_000
MAX_DEPTH = 20  # json nesting: a FeatureCollection of MultiPolygons is 7 deep

POLYGON_TYPES = ("Polygon", "MultiPolygon")

Point = tuple[float, float]  # (latitude, longitude), as the rest of the portal


def _error(message, **params):
    return ValidationError(message, params=params or None)


def parse(data: bytes | str) -> dict:
    """The upload as one MultiPolygon geometry, or a ``ValidationError`` saying what is wrong.

    Accepted: a Polygon or MultiPolygon geometry, a Feature with one, or a FeatureCollection
    of such features (merged into one area). Every position must lie in Denmark."""
    if len(data) > MAX_BYTES:
        raise _error(_("The file is too large (at most %(limit)s kB)."), limit=MAX_BYTES // 1000)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _error(_("The file is not GeoJSON text (UTF-8).")) from None
    if "\x00" in data:
        raise _error(_("The file is not GeoJSON text (UTF-8)."))
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        raise _error(_("The file is not valid JSON.")) from None
    if _depth(document) > MAX_DEPTH:
        raise _error(_("The file is not valid GeoJSON: it is nested too deeply."))
    found = [polygon for geometry in _geometries(document) for polygon in geometry]
    if not found:
        raise _error(_("The file has no polygon."))
    # A sliver (a hole or an islet flattened by simplification) is left out, not refused.
    polygons = [polygon for polygon in found if polygon]
    if not polygons:
        raise _error(_("The area encloses nothing: the positions of its polygons lie on one line."))
    vertices = sum(len(ring) for polygon in polygons for ring in polygon)
    if vertices > MAX_VERTICES:
        raise _error(
            _("The area has %(n)s points; at most %(limit)s are allowed. Simplify it first."),
            n=number_format(vertices, force_grouping=True),
            limit=number_format(MAX_VERTICES, force_grouping=True),
        )
    return {"type": "MultiPolygon", "coordinates": polygons}


def _depth(value, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def _geometries(document) -> Iterator[list]:
    """The polygons (lists of rings) of each geometry in the document."""
    if not isinstance(document, dict):
        raise _error(_("The file is not a GeoJSON object."))
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise _error(_("The FeatureCollection has no list of features."))
        for feature in features:
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise _error(_("The FeatureCollection holds something that is not a Feature."))
            yield from _geometries(feature)
    elif kind == "Feature":
        yield from _geometries(document.get("geometry"))
    elif kind in POLYGON_TYPES:
        coordinates = document.get("coordinates")
        polygons = [coordinates] if kind == "Polygon" else coordinates
        if not isinstance(polygons, list):
            raise _error(_("The %(type)s has no coordinates."), type=kind)
        yield [_polygon(p) for p in polygons]
    else:
        raise _error(
            _("Only areas can be uploaded: a Polygon or MultiPolygon, not %(type)s."),
            type=str(kind)[:40],
        )


def _polygon(rings) -> list:
    """The polygon's rings without those that enclose nothing; empty if its outer one does."""
    if not isinstance(rings, list) or not rings:
        raise _error(_("A polygon has no rings."))
    outer, *holes = [_ring(ring) for ring in rings]
    if not _encloses(outer):
        return []
    return [outer, *(hole for hole in holes if _encloses(hole))]


def _ring(ring) -> list:
    if not isinstance(ring, list) or len(ring) < 4:
        raise _error(_("A polygon's ring needs at least four positions."))
    positions = [_position(p) for p in ring]
    if positions[0] != positions[-1]:
        raise _error(_("A polygon's ring must end where it starts."))
    return positions


#: Less than this (in square degrees, about a hundredth of a square metre) encloses nothing.
MIN_TWICE_AREA = 1e-12


def _encloses(ring: list) -> bool:
    """Whether the ring encloses an area (the shoelace formula, measured from its first
    position so that the rounding of large coordinates stays far below the limit)."""
    x0, y0 = ring[0]
    twice = sum(
        (a[0] - x0) * (b[1] - y0) - (b[0] - x0) * (a[1] - y0)
        for a, b in zip(ring, ring[1:], strict=False)
    )
    return abs(twice) >= MIN_TWICE_AREA


def _is_number(value) -> bool:
    """A finite JSON number (an integer too large for a float is not one)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _position(position) -> list[float]:
    if (
        not isinstance(position, list)
        or len(position) < 2
        or not all(_is_number(v) for v in position[:2])
    ):
        raise _error(_("A position is not a pair of numbers [longitude, latitude]."))
    lon, lat = float(position[0]), float(position[1])
    if not DENMARK.contains(lat, lon):
        raise _error(
            _(
                "The position [%(lon)s, %(lat)s] is not in Denmark. GeoJSON gives "
                "[longitude, latitude] in WGS 84 (degrees), e.g. [12.6, 56.03]."
            ),
            lon=round(lon, 5),
            lat=round(lat, 5),
        )
    return [lon, lat]


def vertex_count(geometry: dict) -> int:
    return sum(len(ring) for polygon in geometry["coordinates"] for ring in polygon)


# Where a point lies -----------------------------------------------------------------------


def _in_ring(lat: float, lon: float, ring: list) -> bool:
    """Ray casting: does a ray from the point cross the ring an odd number of times?"""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > lat) != (y2 > lat):
            x = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < x:
                inside = not inside
    return inside


def contains(geometry: dict, point: Point) -> bool:
    """Inside one of the polygons: in its outline and in none of its holes."""
    lat, lon = point
    for outline, *holes in geometry["coordinates"]:
        if _in_ring(lat, lon, outline) and not any(_in_ring(lat, lon, h) for h in holes):
            return True
    return False


def distance_km(geometry: dict, point: Point) -> float:
    """0 inside the area, else the distance (km) to its nearest edge. On a plane around the
    point (equirectangular), well under 1 % off at a municipality's distances."""
    if contains(geometry, point):
        return 0.0
    lat0, lon0 = point
    km_lon = KM_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(lat0))
    best = math.inf
    for polygon in geometry["coordinates"]:
        for ring in polygon:
            xy = [((lon - lon0) * km_lon, (lat - lat0) * KM_PER_DEGREE_LAT) for lon, lat in ring]
            for (ax, ay), (bx, by) in zip(xy, xy[1:], strict=False):
                best = min(best, _to_segment(ax, ay, bx, by))
    return best


def _to_segment(ax: float, ay: float, bx: float, by: float) -> float:
    """The distance from the origin to the segment a–b."""
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
    return math.hypot(ax + t * dx, ay + t * dy)


def near(geometry: dict, point: Point, km: float) -> bool:
    """Inside the area or at most ``km`` from it."""
    return distance_km(geometry, point) <= km


# What a map draws -----------------------------------------------------------------------------


def outline(geometry: dict, metres: float = 10.0) -> dict:
    """The area as a map draws it: each ring without the points that move its line by less
    than ``metres`` (Douglas–Peucker), positions rounded to about a metre. An official
    boundary of 20,000 points becomes a few thousand; what lies inside is still decided on
    the full geometry."""
    tolerance_km = metres / 1000
    return {
        "type": "MultiPolygon",
        "coordinates": [
            [_simplified(ring, tolerance_km) for ring in polygon]
            for polygon in geometry["coordinates"]
        ],
    }


def _simplified(ring: list, tolerance_km: float) -> list:
    lat0 = ring[0][1]
    km_lon = KM_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(lat0))
    xy = [(lon * km_lon, lat * KM_PER_DEGREE_LAT) for lon, lat in ring]
    keep = {0, len(ring) - 1}
    spans = [(0, len(ring) - 1)]
    while spans:
        first, last = spans.pop()
        (ax, ay), (bx, by) = xy[first], xy[last]
        farthest, index = tolerance_km, None
        for i in range(first + 1, last):
            x, y = xy[i]
            distance = _to_segment(ax - x, ay - y, bx - x, by - y)
            if distance > farthest:
                farthest, index = distance, i
        if index is not None:
            keep.add(index)
            spans += [(first, index), (index, last)]
    # A ring too small to keep its shape stays as it was (a ring needs four positions).
    kept = sorted(keep) if len(keep) >= 4 else range(len(ring))
    return [[round(ring[i][0], 5), round(ring[i][1], 5)] for i in kept]
