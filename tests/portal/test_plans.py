"""``portal.plans.planned_for_values``: queries run in it are not prepared (PostgreSQL plans
each for its values), queries outside keep their prepared statements, and the catalog's, the
embed's and the API's text searches run in it. Checked in PostgreSQL's own list of the
session's prepared statements (``pg_prepared_statements``)."""

import pytest
from django.db import connection

from associations.models import Offer
from portal.plans import planned_for_values

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def prepared(part: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [sql for (sql,) in cursor.fetchall() if part in sql]


def run_three_times(title: str) -> None:
    for _ in range(3):  # psycopg prepares a statement on its second run (the settings)
        Offer.objects.filter(title=title).exists()


@on_postgres
def test_queries_in_the_block_are_not_prepared_and_those_after_it_are():
    with planned_for_values():
        run_three_times("in the block")
    assert not prepared('"title" = $')
    run_three_times("after the block")
    assert len(prepared('"title" = $')) == 1


@on_postgres
def test_not_enabled_changes_nothing():
    with planned_for_values(enabled=False):
        run_three_times("prepared")
    assert len(prepared('"title" = $')) == 1


@on_postgres
def test_the_connection_prepares_again_after_an_error_in_the_block():
    with pytest.raises(ZeroDivisionError), planned_for_values():
        run_three_times("in the block")
        1 / 0  # noqa: B018
    run_three_times("after the block")
    assert len(prepared('"title" = $')) == 1


def test_the_block_runs_its_queries_on_any_database(published_offer):
    """On SQLite (and with prepared statements off) the block only runs its queries."""
    with planned_for_values():
        assert Offer.objects.filter(pk=published_offer.pk).exists()


@on_postgres
@pytest.mark.parametrize(
    "path",
    [
        "/offers/?q=svømning",
        "/embed/offers/?q=svømning",
        "/api/municipalities/{slug}/offers/?q=svøm",
    ],
)
def test_text_searches_are_planned_for_their_words(client, municipality, published_offer, path):
    url = path.format(slug=municipality.slug) + f"&municipality={municipality.slug}"
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert not prepared("@@")  # the search's queries
    for _ in range(3):
        assert client.get(url.replace("q=", "grade=5&was=")).status_code == 200
    assert prepared("grade_min")  # a search without words keeps its prepared statement
