"""A query compiled once (``portal.compiled``) gives the rows its queryset gives, with each
run's own values in every place of its marks, and refuses a mark it cannot place."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from associations.models import Association, Offer
from portal.compiled import ID_MARK, MARK, Compiled, id_marks
from tests import factories as f

pytestmark = pytest.mark.django_db

#: Columns whose values the ORM converts on some database: a date, a decimal, a boolean,
#: JSON (SQLite gives text, integers and strings for them).
COLUMNS = ("pk", "title", "price_amount", "on_request", "certificates_valid_until", "weekdays")


def test_rows_are_those_of_the_queryset_for_each_value(association):
    cheap = f.OfferFactory(
        association=association, published=True, price_amount=Decimal("12.50"), on_request=True
    )
    dear = f.OfferFactory(
        association=association, published=True, price_amount=Decimal("900"), on_request=False
    )
    query = Compiled(Offer.objects.filter(slug=MARK).values_list(*COLUMNS), MARK)
    for offer in (cheap, dear, cheap):
        expected = list(Offer.objects.filter(slug=offer.slug).values_list(*COLUMNS))
        assert query.rows(offer.slug) == expected
        (row,) = expected
        assert isinstance(row[2], Decimal) and isinstance(row[3], bool)
    assert query.rows("no-such-offer") == []


def test_json_and_two_marks(association):
    association.domains = ["sport", "nature"]
    association.save()
    queryset = Association.objects.filter(slug=MARK, pk=ID_MARK).values_list("domains")
    query = Compiled(queryset, MARK, ID_MARK)
    assert query.rows(association.slug, association.pk) == [(["sport", "nature"],)]
    assert query.rows(association.slug, association.pk + 1) == []


def test_it_is_compiled_once_and_runs_through_django(association, published_offer):
    query = Compiled(Offer.objects.filter(pk=ID_MARK).values_list("title"), ID_MARK)
    with CaptureQueriesContext(connection) as ctx:
        assert query.rows(published_offer.pk) == [(published_offer.title,)]
    assert len(ctx.captured_queries) == 1  # logged and counted as any ORM query


def test_a_mark_used_twice_gets_the_value_in_both_places(association, published_offer):
    queryset = Offer.objects.filter(slug=MARK, association__offers__slug=MARK)
    query = Compiled(queryset.values_list("pk").distinct(), MARK)
    assert query.rows(published_offer.slug) == [(published_offer.pk,)]


def test_a_list_of_marks(association):
    offers = [f.OfferFactory(association=association) for _ in range(3)]
    marks = id_marks(4)
    query = Compiled(Offer.objects.filter(pk__in=marks).order_by("pk").values_list("pk"), *marks)
    assert query.rows(offers[2].pk, offers[0].pk, 0, 0) == [(offers[0].pk,), (offers[2].pk,)]


def test_a_mark_must_be_a_value_of_the_query():
    with pytest.raises(ValueError):
        Compiled(Offer.objects.filter(title="Kajak").values_list("pk"), MARK)


@pytest.mark.django_db(transaction=True)
def test_each_thread_compiles_its_own(association):
    """The compiled query holds its thread's connection: another thread compiles it again."""
    offer = f.OfferFactory(association=association, title="Kajak")
    query = Compiled(Offer.objects.filter(pk=ID_MARK).values_list("title"), ID_MARK)
    with ThreadPoolExecutor(max_workers=1) as thread:
        other = thread.submit(lambda: (query.rows(offer.pk), query._compiled())).result()
    assert other[0] == query.rows(offer.pk) == [("Kajak",)]
    assert other[1] is not query._compiled()
