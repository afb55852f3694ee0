"""Reference data kept per process (``portal.generations.kept``): the catalog's municipality
picker and subject options come from memory, and a change of a municipality or a subject
shows on the very next request after it commits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from associations.models import Subject
from municipalities.models import Municipality
from tests import factories as f

# Real commits: a change counts for the caches when its transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _kept_on(settings):
    settings.REFERENCE_CACHE_ENABLED = True


def catalog(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("catalog:offer_list")).content.decode()
    return html, [q["sql"] for q in ctx.captured_queries]


def test_municipalities_and_subjects_come_from_memory_until_they_change(
    client, municipality, other_municipality
):
    Subject.objects.create(name="Testfag et", slug="testfag-et")
    html, _ = catalog(client)
    assert "Testfag et" in html and other_municipality.name in html
    html, queries = catalog(client)
    assert not [q for q in queries if "municipalities_municipality" in q.split("WHERE")[0]]
    assert not [q for q in queries if "associations_subject" in q]

    Subject.objects.create(name="Testfag to", slug="testfag-to")
    other_municipality.name = "Nye Fredensborg"
    other_municipality.save()
    html, _ = catalog(client)
    assert "Testfag to" in html and "Nye Fredensborg" in html

    Municipality.objects.filter(pk=other_municipality.pk).update(is_active=False)
    html, _ = catalog(client)
    assert "Nye Fredensborg" in html  # update() sends no signal: bump by hand
    Municipality.objects.get(pk=other_municipality.pk).save()  # a save bumps
    html, _ = catalog(client)
    assert "Nye Fredensborg" not in html


def test_a_new_municipality_is_offered_at_once(client, municipality):
    catalog(client)
    f.MunicipalityFactory(name="Gribskov", slug="gribskov")
    html, _ = catalog(client)
    assert "Gribskov" in html
