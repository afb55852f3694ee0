"""The offer page's good examples: the offers that have any are kept per process
(``knowledge.services.offers_with_examples``), so the page of an offer without examples runs
no query for them, and a newly published example shows on the very next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledge.models import Kind
from screening import services as screening_services
from screening.workflow import Transition
from tests.knowledge.conftest import make_item

# Real commits: a change counts for the kept list when its transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _kept_on(settings):
    settings.REFERENCE_CACHE_ENABLED = True


def offer_page(client, offer) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(offer.get_absolute_url()).content.decode()
    return html, [q["sql"] for q in ctx.captured_queries]


def test_examples_show_at_once_and_cost_nothing_when_there_are_none(
    client, municipality, consultant, published_offer
):
    offer_page(client, published_offer)
    html, queries = offer_page(client, published_offer)
    assert "good-examples-heading" not in html
    assert not [q for q in queries if "knowledge_item" in q]

    example = make_item(
        municipality,
        consultant,
        kind=Kind.EXAMPLE,
        title="Idrætsdag med pigerne",
        offer=published_offer,
    )
    html, _ = offer_page(client, published_offer)
    assert "Idrætsdag med pigerne" in html

    screening_services.decide(example, Transition.SUSPEND, by=consultant)
    html, queries = offer_page(client, published_offer)
    assert "Idrætsdag med pigerne" not in html
    # The list of offers with examples is read again, the offer's own examples not.
    assert not [q for q in queries if '"knowledge_item"."title"' in q]
