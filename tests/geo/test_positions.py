"""Positions from addresses. The address service is an outside service: these tests give
``lookup_address`` a stand-in HTTP server on 127.0.0.1 that answers as DAWA does (never the
real one: the test settings leave GEOCODER_URL empty). Without it, or when it fails, a save
still goes through with the postal code's centre from the positions the portal knows."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from associations.models import Offer
from geo import positions
from tests import factories as f

pytestmark = pytest.mark.django_db


class StandIn(BaseHTTPRequestHandler):
    """DAWA's /adresser?q=…&struktur=mini: a list of hits with x (longitude), y (latitude)."""

    answer: tuple[int, bytes] = (200, b"[]")
    queries: list = []

    def do_GET(self):  # noqa: N802
        url = urlsplit(self.path)
        type(self).queries.append((url.path, parse_qs(url.query)))
        status, body = type(self).answer
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def stand_in(settings):
    StandIn.queries = []
    StandIn.answer = (200, b"[]")
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_address[1]}/"
    settings.GEOCODER_TIMEOUT = 2
    yield StandIn
    server.shutdown()
    server.server_close()


def test_the_test_suite_never_calls_the_real_service():
    assert settings.GEOCODER_URL == ""
    assert settings.MAP_TILE_URL == ""


def test_the_address_service_gives_the_position(stand_in):
    stand_in.answer = (200, json.dumps([{"x": 12.6141, "y": 56.0363, "id": "a"}]).encode())
    association = f.AssociationFactory(address="Stengade 1", postal_code="3000", town="Helsingør")
    assert (association.latitude, association.longitude) == (56.0363, 12.6141)
    path, query = stand_in.queries[0]
    assert path == "/adresser"
    assert query["q"] == ["Stengade 1, 3000 Helsingør"]
    assert query["struktur"] == ["mini"]


@pytest.mark.parametrize(
    "answer",
    [
        (500, b"oops"),
        (200, b"not json"),
        (200, b'{"x": 1}'),
        (200, b'[{"x": "a", "y": 56}]'),
        (200, b'[{"y": 56}]'),
        (200, b'[{"x": -73.9, "y": 40.7}]'),  # not in Denmark
        (200, b"[]"),  # unknown address
    ],
)
def test_a_failing_service_falls_back_to_the_postal_code_centre(stand_in, answer):
    f.SchoolFactory(postal_code="3000", latitude=56.0, longitude=12.5)
    f.SchoolFactory(postal_code="3000", latitude=56.1, longitude=12.7)
    stand_in.answer = answer
    association = f.AssociationFactory(address="Ukendt 1", postal_code="3000")
    assert association.pk  # the save went through
    assert association.latitude == pytest.approx(56.05)
    assert association.longitude == pytest.approx(12.6)
    assert stand_in.queries


def test_an_unreachable_service_does_not_break_a_save(settings):
    settings.GEOCODER_URL = "http://127.0.0.1:9/"  # the discard port: nothing listens
    settings.GEOCODER_TIMEOUT = 0.5
    association = f.AssociationFactory(postal_code="9999")
    assert association.pk and association.latitude is None


def test_without_the_service_the_postal_code_centre_counts_every_known_position():
    f.SchoolFactory(postal_code="3100", latitude=56.09, longitude=12.46)
    f.AssociationFactory(postal_code="3100", latitude=56.07, longitude=12.44)
    f.SchoolFactory(postal_code="3100", latitude=None, longitude=None, address="")  # unknown
    centre = positions.postal_code_centre("3100")
    assert centre == pytest.approx((56.08, 12.45))
    assert positions.postal_code_centre("") is None
    assert positions.postal_code_centre("31x0") is None
    assert positions.postal_code_centre("4000") is None
    association = f.AssociationFactory(postal_code="3100")
    assert (association.latitude, association.longitude) == pytest.approx((56.08, 12.45))


def test_an_offer_elsewhere_gets_the_position_of_its_place(stand_in):
    stand_in.answer = (200, b'[{"x": 12.55, "y": 56.05}]')
    association = f.AssociationFactory(latitude=56.0, longitude=12.6)
    offer = f.OfferFactory(
        association=association,
        location="elsewhere",
        location_address="Skoven 1",
        location_postal_code="3000",
    )
    assert offer.place_position == (56.05, 12.55)
    at_school = f.OfferFactory(association=association, location="school")
    assert at_school.place_position is None and at_school.location_latitude is None
    offer.location = "association"
    offer.save()
    offer.refresh_from_db()
    assert offer.location_latitude is None
    assert Offer.objects.filter(location_latitude__isnull=False).count() == 0


def test_a_given_position_is_kept(stand_in):
    association = f.AssociationFactory(latitude=56.01, longitude=12.51)
    assert (association.latitude, association.longitude) == (56.01, 12.51)
    assert not stand_in.queries


def test_locate_positions_fills_what_has_none(stand_in):
    import io

    from django.core.management import call_command

    school = f.SchoolFactory(
        address="Skolevej 1", postal_code="3000", latitude=None, longitude=None
    )
    association = f.AssociationFactory(postal_code="3000")
    assert school.latitude is None and association.latitude is None  # the service knew nothing
    stand_in.answer = (200, b'[{"x": 12.6, "y": 56.03}]')
    out = io.StringIO()
    call_command("locate_positions", stdout=out)
    school.refresh_from_db()
    association.refresh_from_db()
    assert (school.latitude, association.latitude) == (56.03, 56.03)
    assert "schools.School: 1 positions found" in out.getvalue()
