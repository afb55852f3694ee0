"""``portal.plans.planned_for_values``: queries run in it are not prepared (PostgreSQL plans
each for its values), queries outside keep their prepared statements, and the text searches
of the catalog, the embed, the calendar, the map and the API run in it. Checked in
PostgreSQL's own list of the session's prepared statements (``pg_prepared_statements``)."""

import pytest
from django.db import connection

from associations.models import Offer
from portal.plans import planned_for_values

pytestmark = pytest.mark.django_db

OPTIONS = connection.settings_dict.get("OPTIONS", {})
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql" or not OPTIONS.get("server_side_binding"),
    reason="statements are prepared only on PostgreSQL with server-side binding",
)
#: Runs after which psycopg has prepared a statement (it prepares on the run after the
#: threshold's).
RUNS = (OPTIONS.get("prepare_threshold") or 0) + 1


def prepared(part: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [sql for (sql,) in cursor.fetchall() if part in sql]


def run_a_query(title: str) -> None:
    for _ in range(RUNS):
        Offer.objects.filter(title=title).exists()


@on_postgres
def test_queries_in_the_block_are_not_prepared_and_those_after_it_are():
    with planned_for_values():
        run_a_query("in the block")
    assert not prepared('"title" = $')
    run_a_query("after the block")
    assert len(prepared('"title" = $')) == 1


@on_postgres
def test_a_statement_prepared_before_the_block_is_prepared_after_it():
    run_a_query("before the block")
    with planned_for_values():
        run_a_query("in the block")
        (statement,) = prepared('"title" = $')  # kept, not used in the block
    run_a_query("after the block")
    assert prepared('"title" = $') == [statement]


@on_postgres
def test_not_enabled_changes_nothing():
    with planned_for_values(enabled=False):
        run_a_query("prepared")
    assert len(prepared('"title" = $')) == 1


@on_postgres
def test_the_connection_prepares_again_after_an_error_in_the_block():
    with pytest.raises(ZeroDivisionError), planned_for_values():
        run_a_query("in the block")
        1 / 0  # noqa: B018
    run_a_query("after the block")
    assert len(prepared('"title" = $')) == 1


def test_the_block_runs_its_queries_on_any_database(published_offer):
    """On SQLite (and with prepared statements off) the block only runs its queries."""
    with planned_for_values():
        assert Offer.objects.filter(pk=published_offer.pk).exists()


@on_postgres
@pytest.mark.parametrize(
    "path",
    [
        "/offers/",
        "/embed/offers/",
        "/offers/calendar/",
        "/map/",
        "/api/municipalities/{slug}/offers/",
        "/api/municipalities/{slug}/occasions/",
    ],
)
def test_text_searches_are_planned_for_their_words(client, municipality, published_offer, path):
    url = path.format(slug=municipality.slug) + f"?municipality={municipality.slug}"
    for _ in range(RUNS):
        assert client.get(url + "&q=svømning").status_code == 200
    assert not prepared("@@")  # the search's queries (and its typo check)
    for _ in range(RUNS):
        assert client.get(url + "&grade=5").status_code == 200
    # The same filter without words keeps its prepared statement.
    assert prepared('"grade_min" <= $')
