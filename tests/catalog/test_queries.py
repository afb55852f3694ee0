"""A constant number of SQL queries, whatever the number of offers."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from associations.models import Subject
from tests import factories as f

pytestmark = pytest.mark.django_db

FILTERS = {
    "q": "tilbud",
    "domain": "sport",
    "grade": "5",
    "format": "visit",
    "where": "school",
    "max_price": "1000",
    "week": "40",
    "weekday": "2",
    "postal_code": "3000",
    "distance": "50",
    "sort": "nearest",
}


def make_offers(association, n):
    subject = Subject.objects.get_or_create(slug="idraet", defaults={"name": "Idræt"})[0]
    for _ in range(n):
        offer = f.OfferFactory(association=association, published=True, weekdays="12345")
        offer.subjects.add(subject)
        f.OccasionFactory(offer=offer)


def count_queries(client, url, params, django_assert_max_num_queries, limit):
    cache.clear()  # the worst case: nothing cached (a signed-in user's roles, say)
    with django_assert_max_num_queries(limit) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, FILTERS, {**FILTERS, "subject": "idraet"}])
def test_catalog_queries_do_not_grow(client, association, params, django_assert_max_num_queries):
    url = reverse("catalog:offer_list")
    make_offers(association, 2)
    few = count_queries(client, url, params, django_assert_max_num_queries, 12)
    make_offers(association, 30)
    many = count_queries(client, url, params, django_assert_max_num_queries, 12)
    assert few == many


def test_catalog_queries_for_school_staff(
    client, association, teacher, django_assert_max_num_queries
):
    client.force_login(teacher)
    url = reverse("catalog:offer_list")
    client.get(url)  # the first visit creates the visit record
    make_offers(association, 2)
    few = count_queries(client, url, FILTERS, django_assert_max_num_queries, 20)
    make_offers(association, 30)
    many = count_queries(client, url, FILTERS, django_assert_max_num_queries, 20)
    assert few == many


def test_embed_queries_do_not_grow(client, association, django_assert_max_num_queries):
    url = reverse("catalog:embed_list")
    make_offers(association, 2)
    few = count_queries(client, url, {"domain": "sport"}, django_assert_max_num_queries, 8)
    make_offers(association, 30)
    many = count_queries(client, url, {"domain": "sport"}, django_assert_max_num_queries, 8)
    assert few == many


def test_offer_page_queries_do_not_grow(
    client, association, teacher, django_assert_max_num_queries
):
    client.force_login(teacher)
    offer = f.OfferFactory(association=association, published=True, on_request=False)
    f.OccasionFactory(offer=offer)
    few = count_queries(client, offer.get_absolute_url(), {}, django_assert_max_num_queries, 12)
    for _ in range(20):
        f.OccasionFactory(offer=offer)
    for s in range(5):
        offer.subjects.add(Subject.objects.get_or_create(slug=f"fag-{s}", name=f"Fag {s}")[0])
    many = count_queries(client, offer.get_absolute_url(), {}, django_assert_max_num_queries, 12)
    assert few == many


def test_association_page_queries_do_not_grow(client, association, django_assert_max_num_queries):
    url = reverse("catalog:association_detail", args=[association.slug])
    make_offers(association, 2)
    few = count_queries(client, url, {}, django_assert_max_num_queries, 6)
    make_offers(association, 20)
    many = count_queries(client, url, {}, django_assert_max_num_queries, 6)
    assert few == many
