"""GeoJSON areas: what an upload may be (and the clear message when it may not), and where a
point lies against an area (inside, in a hole, how far)."""

import json
import math

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from geo import geojson

# A square around Helsingør's centre, about 2.2 km × 2.5 km, with a hole in its middle.
SQUARE = [[12.58, 56.02], [12.62, 56.02], [12.62, 56.04], [12.58, 56.04], [12.58, 56.02]]
HOLE = [[12.595, 56.028], [12.605, 56.028], [12.605, 56.032], [12.595, 56.032], [12.595, 56.028]]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the messages in their source language
        yield


def polygon(*rings):
    return {"type": "Polygon", "coordinates": list(rings)}


def message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def test_a_polygon_becomes_a_multipolygon():
    area = geojson.parse(json.dumps(polygon(SQUARE)))
    assert area == {"type": "MultiPolygon", "coordinates": [[SQUARE]]}
    assert geojson.vertex_count(area) == 5


def test_features_and_collections_are_merged():
    feature = {"type": "Feature", "properties": {"navn": "A"}, "geometry": polygon(SQUARE)}
    multi = {"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE, HOLE]]}
    collection = {
        "type": "FeatureCollection",
        "features": [feature, {"type": "Feature", "properties": None, "geometry": multi}],
    }
    area = geojson.parse(json.dumps(collection).encode("utf-8"))
    assert len(area["coordinates"]) == 3
    assert area["coordinates"][2] == [SQUARE, HOLE]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (b"\xff\xfe", "not GeoJSON text"),
        ("{nope", "not valid JSON"),
        ("[1, 2]", "not a GeoJSON object"),
        (json.dumps({"type": "Point", "coordinates": [12.6, 56.0]}), "not Point"),
        (json.dumps({"type": "LineString", "coordinates": SQUARE}), "not LineString"),
        (json.dumps({"type": "Polygon", "coordinates": []}), "no rings"),
        (json.dumps({"type": "Polygon"}), "no rings"),
        (json.dumps(polygon(SQUARE[:3])), "at least four"),
        (json.dumps(polygon([*SQUARE[:-1], [12.5, 56.0]])), "end where it starts"),
        (json.dumps(polygon([["a", 56.0], *SQUARE[1:]])), "pair of numbers"),
        (json.dumps(polygon([[True, 56.0], *SQUARE[1:]])), "pair of numbers"),
        ('{"type": "Polygon", "coordinates": [[[NaN, 56], [1, 2], [3, 4], [NaN, 56]]]}', "pair"),
        # An integer too large for a float (JSON numbers have no limit).
        (json.dumps(polygon([[10**400, 56.0], *SQUARE[1:-1], [10**400, 56.0]])), "pair"),
        # Swapped latitude and longitude: the most common mistake gets its own hint.
        (json.dumps(polygon([[lat, lon] for lon, lat in SQUARE])), "[longitude, latitude]"),
        (
            json.dumps(polygon([[-73.9, 40.7], [-73.8, 40.7], [-73.8, 40.8], [-73.9, 40.7]])),
            "not in Denmark",
        ),
        (json.dumps({"type": "FeatureCollection", "features": []}), "no polygon"),
        (
            json.dumps({"type": "FeatureCollection", "features": [{"type": "Point"}]}),
            "not a Feature",
        ),
        (json.dumps({"type": "FeatureCollection"}), "no list of features"),
        ("[" * 50 + "]" * 50, "nested too deeply"),
        ("[" * 100000 + "]" * 100000, "not valid JSON"),
        ('{"type": "Polygon", "coordinates": [[[12.6, 56.0, "\\u0000"]]]}', "at least four"),
        ("\x00{}", "not GeoJSON text"),
        # An area that encloses nothing: one point four times, points on one line.
        (json.dumps(polygon([[12.6, 56.03]] * 4)), "encloses nothing"),
        (
            json.dumps(polygon([[12.6, 56.03], [12.61, 56.03], [12.62, 56.03], [12.6, 56.03]])),
            "encloses nothing",
        ),
    ],
)
def test_invalid_uploads_are_refused_with_a_reason(document, expected):
    with pytest.raises(ValidationError) as exc:
        geojson.parse(document)
    assert expected in message(exc.value)


def test_slivers_are_left_out_of_an_area():
    """A hole or an islet that encloses nothing (flattened by a simplification) is left out;
    the rest of the file is the area."""
    sliver = [[12.61, 56.03], [12.612, 56.03], [12.611, 56.03], [12.61, 56.03]]
    multi = {"type": "MultiPolygon", "coordinates": [[SQUARE, sliver], [sliver]]}
    assert geojson.parse(json.dumps(multi)) == {"type": "MultiPolygon", "coordinates": [[SQUARE]]}


def test_a_small_but_real_ring_far_from_the_origin_is_kept():
    """About 10 x 10 m: its area is measured from its own first position, so the rounding of
    coordinates around (12.6, 56.0) does not flatten it."""
    d = 0.0001
    ring = [[12.6, 56.03], [12.6 + d, 56.03], [12.6 + d, 56.03 + d], [12.6, 56.03 + d]]
    area = geojson.parse(json.dumps(polygon([*ring, ring[0]])))
    assert len(area["coordinates"]) == 1


def test_huge_files_and_too_many_points_are_refused():
    with pytest.raises(ValidationError) as exc:
        geojson.parse(b" " * (geojson.MAX_BYTES + 1))
    assert "too large" in message(exc.value)
    steps = geojson.MAX_VERTICES
    ring = [
        [
            12.6 + 0.01 * math.cos(2 * math.pi * i / steps),
            56.03 + 0.01 * math.sin(2 * math.pi * i / steps),
        ]
        for i in range(steps)
    ]
    ring.append(ring[0])
    with pytest.raises(ValidationError) as exc:
        geojson.parse(json.dumps(polygon(ring)))
    assert "Simplify" in message(exc.value)
    with translation.override("da"):
        with pytest.raises(ValidationError) as exc:
            geojson.parse(json.dumps(polygon(ring)))
        assert "20.001 punkter; højst 20.000" in " ".join(exc.value.messages)  # Danish numbers


def test_point_in_polygon_respects_holes():
    area = geojson.parse(json.dumps(polygon(SQUARE, HOLE)))
    assert geojson.contains(area, (56.025, 12.59))  # inside, outside the hole
    assert not geojson.contains(area, (56.03, 12.60))  # in the hole
    assert not geojson.contains(area, (56.05, 12.60))  # north of it
    assert geojson.distance_km(area, (56.025, 12.59)) == 0


def test_distance_to_an_area():
    area = geojson.parse(json.dumps(polygon(SQUARE)))
    # 0.01° north of the northern edge is about 1.1 km.
    north = geojson.distance_km(area, (56.05, 12.60))
    assert 1.05 < north < 1.16
    # East of the eastern edge: 0.01° of longitude at 56° N is about 0.62 km.
    east = geojson.distance_km(area, (56.03, 12.63))
    assert 0.58 < east < 0.66
    assert geojson.near(area, (56.05, 12.60), 1.2)
    assert not geojson.near(area, (56.05, 12.60), 1.0)


def _wiggly_ring(n: int) -> list:
    """A round area about 4 km across with ``n`` points that wiggle by half a metre, as a
    surveyed boundary does."""
    ring = []
    for i in range(n - 1):
        angle = 2 * math.pi * i / (n - 1)
        wiggle = 1 + (i % 2) * 0.00025  # 0.5 m of 2 km
        ring.append(
            [12.6 + 0.032 * math.cos(angle) * wiggle, 56.03 + 0.018 * math.sin(angle) * wiggle]
        )
    return [*ring, ring[0]]


def test_the_map_draws_a_lighter_outline_within_ten_metres():
    ring = _wiggly_ring(geojson.MAX_VERTICES - len(HOLE))
    area = geojson.parse(json.dumps(polygon(ring, HOLE)))
    drawn = geojson.outline(area)
    outline, hole = drawn["coordinates"][0]
    assert len(outline) < len(ring) / 10  # an official boundary's 20,000 points: a few hundred
    assert outline[0] == outline[-1] and len(outline) >= 4
    assert hole == HOLE  # a square keeps its corners
    # Every point of the full boundary lies within ten metres of the line drawn.
    lat0 = 56.03
    km_lon = 111.32 * math.cos(math.radians(lat0))
    segments = list(zip(outline, outline[1:], strict=False))
    for lon, lat in ring[::97]:
        nearest = min(
            geojson._to_segment(
                (ax - lon) * km_lon, (ay - lat) * 111.32, (bx - lon) * km_lon, (by - lat) * 111.32
            )
            for (ax, ay), (bx, by) in segments
        )
        assert nearest < 0.011
    assert len(json.dumps(drawn)) < len(json.dumps(area)) / 10


def test_a_small_ring_keeps_its_shape():
    tiny = [[12.6, 56.03], [12.60001, 56.03], [12.60001, 56.03001], [12.6, 56.03]]
    assert geojson.outline({"type": "MultiPolygon", "coordinates": [[tiny]]}) == {
        "type": "MultiPolygon",
        "coordinates": [[tiny]],
    }
