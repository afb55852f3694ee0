"""The offer page reads its offer once, with only the columns it shows
(``catalog.services.DETAIL_COLUMNS``), its photos and subjects with one plain query, and
no dates for an offer on request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from associations.models import OfferPhoto, Subject
from tests import factories as f

pytestmark = pytest.mark.django_db


def offer_page(client, offer) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(offer.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def test_photos_and_subjects_in_their_order(client, association):
    offer = f.OfferFactory(association=association, published=True)
    offer.subjects.add(
        Subject.objects.create(name="Testfag B", slug="testfag-b", position=2),
        Subject.objects.create(name="Testfag A", slug="testfag-a", position=1),
    )
    OfferPhoto.objects.create(offer=offer, image="offers/b.jpg", alt_text="Andet", position=2)
    OfferPhoto.objects.create(offer=offer, image="offers/a.jpg", alt_text="Første", position=1)
    html, _ = offer_page(client, offer)
    assert "Testfag A, Testfag B" in html
    assert html.index('alt="Første"') < html.index('alt="Andet"')
    assert html.count('alt="Første"') == html.count('alt="Andet"') == 1  # a row per subject


def test_no_column_is_read_twice(client, association, teacher):
    """A column the page shows that is not loaded would cost a query of its own."""
    offer = f.OfferFactory(
        association=association, published=True, on_request=False, learning_goals="Samarbejde"
    )
    f.OccasionFactory(offer=offer)
    client.force_login(teacher)  # the contact details too
    html, queries = offer_page(client, offer)
    assert association.contact_email in html and "Samarbejde" in html
    offer_columns = [q for q in queries if q.startswith('SELECT "associations_offer"."id"')]
    assert len(offer_columns) == 1
    assert not [q for q in queries if 'FROM "associations_association"' in q]


def test_an_offer_on_request_reads_no_dates(client, association):
    offer = f.OfferFactory(association=association, published=True, on_request=True)
    f.OccasionFactory(offer=offer)
    html, queries = offer_page(client, offer)
    assert not [q for q in queries if "bookings_occasion" in q]
    assert "offer-occasions" not in html


def test_contact_details_are_read_only_for_those_who_see_them(client, association, teacher):
    offer = f.OfferFactory(association=association, published=True)
    html, queries = offer_page(client, offer)
    assert association.contact_email not in html
    offer_query = next(q for q in queries if q.startswith('SELECT "associations_offer"."id"'))
    assert "contact_email" not in offer_query
    client.force_login(teacher)
    html, queries = offer_page(client, offer)
    assert association.contact_email in html
    offer_query = next(q for q in queries if q.startswith('SELECT "associations_offer"."id"'))
    assert "contact_email" in offer_query


def test_upcoming_dates_in_their_order(client, association):
    """The page lists the upcoming dates in time order, not cancelled or past ones; the
    booking box's next date is the first of them."""
    from datetime import timedelta

    from django.utils import timezone

    offer = f.OfferFactory(association=association, published=True, on_request=False)
    now = timezone.now()
    later = f.OccasionFactory(offer=offer, starts_at=now + timedelta(days=40), place="Sted B")
    first = f.OccasionFactory(offer=offer, starts_at=now + timedelta(days=10), place="Sted A")
    f.OccasionFactory(offer=offer, starts_at=now - timedelta(days=1), place="Sted Fortid")
    f.OccasionFactory(
        offer=offer, starts_at=now + timedelta(days=5), place="Sted Aflyst", is_cancelled=True
    )
    html, _ = offer_page(client, offer)
    assert html.index("Sted A") < html.index("Sted B")
    assert "Sted Fortid" not in html and "Sted Aflyst" not in html
    next_date = timezone.localtime(first.starts_at).isoformat()
    assert f'<time datetime="{next_date}">' in html
    assert timezone.localtime(later.starts_at).isoformat() not in html


def test_materials_are_shown_per_pupil_wherever_the_price_is(client, association, teacher):
    """Materials are paid per pupil (the booking's price is the amount times its pupils): no
    page calls the amount the price of a class."""
    from django.urls import reverse

    offer = f.OfferFactory(
        association=association, published=True, price_model="materials", price_amount=25
    )
    municipality = association.municipalities.first()
    html, _ = offer_page(client, offer)
    box = html[html.index('<p class="h5">') : html.index("offer-class-price") + 60]
    assert "Pris pr. elev" in box and "25 kr." in box and "Pris for én klasse" not in box
    assert "Kun materialer: 25 kr. pr. elev" in html
    for url in (reverse("catalog:offer_list"), reverse("catalog:embed_list")):
        page = client.get(url, {"municipality": municipality.slug}).content.decode()
        assert "25 kr. pr. elev" in page and "kr. pr. klasse" not in page, url
    embed = client.get(
        reverse("catalog:embed_detail", args=[offer.slug]), {"municipality": municipality.slug}
    ).content.decode()
    assert "Pris pr. elev: 25 kr." in embed
    client.force_login(teacher)
    booking = client.get(reverse("bookings:book_offer", args=[offer.slug])).content.decode()
    assert "Kun materialer: 25 kr. pr. elev" in booking
