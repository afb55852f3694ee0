"""A consultant uploads the municipality's areas in the admin: a valid GeoJSON file becomes an
area of their own municipality, an invalid or huge one is refused with its reason, and other
municipalities' areas are out of sight."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from geo import geojson
from geo.models import MapArea

pytestmark = pytest.mark.django_db

LIST = "/admin/geo/maparea/"
ADD = LIST + "add/"
SQUARE = [[12.58, 56.02], [12.62, 56.02], [12.62, 56.04], [12.58, 56.04], [12.58, 56.02]]
GEOMETRY = {"type": "MultiPolygon", "coordinates": [[SQUARE]]}


def upload(document, name="omraade.geojson"):
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, body, content_type="application/geo+json")


@pytest.fixture
def admin_client(client, consultant):
    client.force_login(consultant)
    return client


def test_consultant_uploads_an_area(admin_client, municipality, other_municipality):
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
    }
    data = {
        "name": "Vapnagård",
        "description": "Udsat boligområde",
        "is_public": "on",
        "upload": upload(feature),
        "municipality": other_municipality.pk,  # ignored: the consultant's own
    }
    response = admin_client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    area = MapArea.objects.get()
    assert area.municipality == municipality
    assert area.geometry == GEOMETRY
    assert area.outline == GEOMETRY  # what the map draws: a square keeps its corners
    assert area.is_public
    # A change without a new file keeps the area.
    response = admin_client.post(
        f"{LIST}{area.pk}/change/", {"name": "Vapnagård Nord", "description": ""}
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.name, area.geometry, area.is_public) == ("Vapnagård Nord", GEOMETRY, False)


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (None, "Vælg områdets GeoJSON-fil"),
        (upload(b"not json"), "ikke gyldig JSON"),
        (upload({"type": "Point", "coordinates": [12.6, 56.0]}), "Kun områder"),
        (
            upload({"type": "Polygon", "coordinates": [[[lat, lon] for lon, lat in SQUARE]]}),
            "ikke i Danmark",
        ),
        (upload(b" " * (geojson.MAX_BYTES + 1)), "for stor"),
        (upload(b"\x00\x01\x02"), "ikke GeoJSON-tekst"),
    ],
)
def test_invalid_uploads_are_refused_with_their_reason(admin_client, file, message):
    data = {"name": "Område", "description": ""}
    if file is not None:
        data["upload"] = file
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["upload"])
    assert not MapArea.objects.exists()


def test_a_name_is_unique_per_municipality(admin_client, municipality):
    MapArea.objects.create(municipality=municipality, name="Havnen", geometry=GEOMETRY)
    response = admin_client.post(ADD, {"name": "Havnen", "upload": upload(GEOMETRY)})
    assert response.status_code == 200
    assert "allerede et område" in str(response.context["adminform"].form.errors)


def test_other_municipalities_areas_are_out_of_sight(
    admin_client, other_municipality, municipality, other_consultant, client
):
    theirs = MapArea.objects.create(
        municipality=other_municipality, name="Deres", geometry=GEOMETRY
    )
    mine = MapArea.objects.create(municipality=municipality, name="Mit", geometry=GEOMETRY)
    response = admin_client.get(LIST)
    assert "Mit" in response.content.decode() and "Deres" not in response.content.decode()
    assert admin_client.get(f"{LIST}{theirs.pk}/change/").status_code == 302  # not found
    assert admin_client.post(f"{LIST}{theirs.pk}/change/", {"name": "X"}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.name == "Deres"
    # Consultants never delete (an operator does).
    assert admin_client.post(f"{LIST}{mine.pk}/delete/", {"post": "yes"}).status_code == 403
    assert MapArea.objects.filter(pk=mine.pk).exists()


def test_schools_and_associations_have_no_access(client, teacher, association_admin):
    for user in (teacher, association_admin):
        client.force_login(user)
        assert client.get(LIST).status_code == 302  # to the admin's log-in
