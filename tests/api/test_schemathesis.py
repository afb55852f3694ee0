"""Schemathesis generates requests from the OpenAPI schema and checks every answer against it:
no server errors, documented status codes, content types and response schemas."""

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings

from associations.models import Subject
from portal.wsgi import application
from tests import factories as f


@pytest.fixture
def _keep_test_connection():
    """Like Django's test client: the WSGI app must not close the test's DB connection
    at the end of a request (PostgreSQL would lose the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(db, settings, _keep_test_connection):
    settings.API_RATE = "100000/min"  # the throttle is tested elsewhere
    municipality = f.MunicipalityFactory(slug="helsingor", code="217", name="Helsingør Kommune")
    association = f.AssociationFactory(municipalities=[municipality], domains=["sport", "music"])
    offer = f.OfferFactory(association=association, published=True, on_request=False)
    offer.subjects.add(*Subject.objects.all()[:2])
    f.OfferFactory(
        association=association,
        published=True,
        price_model="per_class",
        price_amount=250,
        domain="music",
    )
    f.OccasionFactory(offer=offer, starts_at=timezone.now() + timedelta(days=5))


# Generating the schema needs no database, so it can be loaded when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# A NUL byte in a query string is refused with 400 before any view (portal.middleware), which
# the schema's "type: string" cannot say; tests/security/test_hardening.py tests that refusal.
schema.config.generation.update(allow_x00=False)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, api_data):
    case.call_and_validate()
