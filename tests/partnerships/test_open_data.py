"""The open data API (api/) does not expose partnerships: walking every link it gives, from
its index through the municipalities, their lists (every page) and the schema, finds nothing
of a partnership, its partner institution, resource person, grant, focus areas or plans."""

import json
import re
from datetime import date

import pytest
from django.core.cache import cache

from api import urls as api_urls
from partnerships import services
from partnerships.focus import create_defaults
from partnerships.models import Activity, FocusArea, Goal
from screening import services as screening_services
from screening.workflow import Transition
from tests import factories as f

from .conftest import make_partnership

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\"'`\s<>\\]+|(?<![\w/.])/api/[^\"'`\s<>\\]*")


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(municipality, consultant, association, school, club, association_member):
    create_defaults(municipality)
    f.OfferFactory(association=association, published=True)
    area = FocusArea.objects.get(municipality=municipality, name="Inddragelse af forældre")
    for partner in ({"association": association}, {"institution": club}):
        p = make_partnership(
            municipality,
            consultant,
            schools=[school],
            resource_name="Rasmus Ressourcesen",
            resource_email="rasmus@partner.example",
            yearly_grant=424242,
            starts_on=date(2026, 8, 1),
            ends_on=date(2029, 7, 31),
            **partner,
        )
        services.transition(p, "activate", by=consultant)
        plan = services.create_plan(p, title="Hemmelig handleplan Zylofon", focus_areas=[area])
        Goal.objects.create(
            plan=plan,
            focus_area=area,
            description="Målet Quixotisk",
            indicator="Indikatoren Xylograf",
            target="Målsætning Vexilla",
        )
        Activity.objects.create(
            plan=plan, focus_area=area, what="Aktiviteten Brombær", who="Hvem", when="Maj"
        )
        services.submit_plan(plan, by=association_member)
        screening_services.decide(plan, Transition.APPROVE, by=consultant)
    return municipality


def walk(client, slug: str, start="/api/") -> dict[str, str]:
    """Every API page reachable from ``start`` by the links in its answers, the schema's
    paths with the municipality's slug filled in: {url: body}."""
    seen, todo = {}, [start]
    while todo:
        url = todo.pop()
        path = re.sub(r"^https?://[^/]+", "", url).replace("{slug}", slug).rstrip(".,;:)")
        if path in seen or not path.startswith("/api/") or len(seen) > 200:
            continue
        response = client.get(path, HTTP_ACCEPT="application/json")
        assert response.status_code == 200, path
        body = response.content.decode()
        seen[path] = body
        todo += [link for link in LINK.findall(body) if "/api/" in link]
    return seen


def test_no_partnership_is_reachable_through_the_open_data_api(client, world, association):
    slug = world.slug
    pages = walk(client, slug)
    for expected in (
        "/api/municipalities/",
        f"/api/municipalities/{slug}/offers/",
        f"/api/municipalities/{slug}/associations/",
        "/api/schema/",
    ):
        assert any(p.startswith(expected) for p in pages), expected  # the walk went everywhere
    everything = json.dumps(pages, ensure_ascii=False).lower()
    assert association.name.lower() in everything  # the partner itself is open data
    for secret in [
        "partnership",
        "partnerskab",
        "handleplan",
        "action plan",
        "actionplan",
        "Hemmelig",
        "Zylofon",
        "Quixotisk",
        "Xylograf",
        "Vexilla",
        "Brombær",
        "Klub Nord",
        "Rasmus Ressourcesen",
        "rasmus@partner.example",
        "424242",
        "Inddragelse af forældre",
        "focus_area",
        "leisure",
    ]:
        assert secret.lower() not in everything, secret


def test_no_api_route_names_a_partnership():
    routes = [str(p.pattern) for p in api_urls.urlpatterns]
    assert len(routes) >= 5
    assert not [r for r in routes if "partner" in r or "plan" in r]


def test_guessed_partnership_urls_under_the_api_do_not_exist(client, world):
    for path in (
        f"/api/municipalities/{world.slug}/partnerships/",
        f"/api/municipalities/{world.slug}/plans/",
        "/api/partnerships/",
    ):
        assert client.get(path).status_code == 404, path
