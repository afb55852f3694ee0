"""The catalog's calendar of dates: the list's filters, month and week navigation, bounded
input, and the next date with its free places on cards and the offer page."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Occasion
from catalog import periods
from portal.forms import date_range
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/offers/calendar/"


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def next_month_day(day: int = 15) -> date:
    today = timezone.localdate()
    return (today.replace(day=28) + timedelta(days=4)).replace(day=day)


def add_date(offer, start: datetime, **kwargs) -> Occasion:
    return Occasion.objects.create(
        offer=offer,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        **{"capacity": 3, **kwargs},
    )


@pytest.fixture
def en(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, params)
    return response, response.content.decode()


def test_the_month_lists_its_dates_per_day_with_free_places(en, municipality, make_offer):
    offer = make_offer(title="Kajak i havnen", on_request=False)
    day = next_month_day(15)
    add_date(offer, at(day), reserved=1, place="Havnen")
    add_date(offer, at(day + timedelta(days=1)), confirm_on_booking=True)
    add_date(offer, at(day, 13), is_cancelled=True)
    add_date(offer, at(day + timedelta(days=40)))  # another month
    response, html = get(en, URL, municipality=municipality.slug, month=f"{day:%Y-%m}")
    assert response.context["period"].span == periods.MONTH
    days = response.context["with_dates"]
    assert [d.day for d in days] == [day, day + timedelta(days=1)]
    assert [len(d.occasions) for d in days] == [1, 1]  # the cancelled one is not shown
    assert "2 free places" in html and "Havnen" in html
    assert "confirmed on booking" in html
    # The grid links each day with dates to its list, which has that id.
    assert f'href="#day-{day.isoformat()}"' in html and f'id="day-{day.isoformat()}"' in html
    assert "<table" in html and '<th scope="col"><abbr title="Monday">' in html


def test_the_calendar_uses_the_catalogs_filters(en, municipality, make_offer):
    day = next_month_day(10)
    sport = make_offer(title="Fodbold for alle", domain="sport", on_request=False)
    nature = make_offer(title="Skovens dyr", domain="nature", on_request=False)
    other = f.OfferFactory(
        association=f.AssociationFactory(municipalities=[f.MunicipalityFactory()]),
        published=True,
        title="Andet sted",
    )
    draft = f.OfferFactory(association=sport.association, title="Kladde", on_request=False)
    for offer in (sport, nature, other, draft):
        add_date(offer, at(day))
    month = f"{day:%Y-%m}"
    _r, html = get(en, URL, municipality=municipality.slug, month=month)
    assert "Fodbold for alle" in html and "Skovens dyr" in html
    assert "Andet sted" not in html and "Kladde" not in html
    _r, html = get(en, URL, municipality=municipality.slug, month=month, domain="nature")
    assert "Skovens dyr" in html and "Fodbold for alle" not in html
    _r, html = get(en, URL, municipality=municipality.slug, month=month, q="fodbold")
    assert "Fodbold for alle" in html and "Skovens dyr" not in html
    # The filter form keeps the month; the links keep the filters.
    assert f'<input type="hidden" name="month" value="{month}">' in html
    list_url = f"/offers/?municipality={municipality.slug}&amp;q=fodbold"
    assert f'href="{list_url}"' in html


def test_past_dates_are_not_shown(en, municipality, make_offer):
    offer = make_offer(on_request=False, title="Forbi")
    occasion = add_date(offer, timezone.now() + timedelta(days=2))
    Occasion.objects.filter(pk=occasion.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    _r, html = get(en, URL, municipality=municipality.slug)
    assert "Forbi" not in html


def test_month_navigation(en, municipality):
    today = timezone.localdate()
    response, html = get(en, URL, municipality=municipality.slug)
    period = response.context["period"]
    assert period.first == today.replace(day=1) and period.previous is None
    assert 'rel="prev"' not in html  # nothing before this month is upcoming
    following = period.next
    assert following.day == 1 and following > today
    assert f"month={following:%Y-%m}" in response.context["next_url"]
    response, html = get(en, URL, municipality=municipality.slug, month=f"{following:%Y-%m}")
    assert response.context["period"].previous == today.replace(day=1)
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_the_last_possible_month_has_no_next(en):
    last = date_range()[1]
    response, html = get(en, URL, month=f"{last:%Y-%m}")
    assert response.context["period"].first == last.replace(day=1)
    assert response.context["period"].next is None and 'rel="next"' not in html


@pytest.mark.parametrize(
    "value",
    ["9999-99", "9999-12", "0000-01", "2026-13", "abc", "", "-1", "1" * 200],
)
def test_an_impossible_month_shows_the_current_one(en, value):
    response, html = get(en, URL, month=value)
    assert response.context["period"].first == timezone.localdate().replace(day=1)
    if value:
        assert "The period was not understood" in html


@pytest.mark.parametrize("value", ["9999-99-99", "9999-12-31", "2026-02-30", "1" * 200])
def test_an_impossible_week_shows_the_current_month(en, value):
    response, _html = get(en, URL, week_of=value)
    assert response.context["period"].span == periods.MONTH


def test_a_nul_byte_is_a_bad_request_not_an_error(en):
    assert en.get(URL, {"month": "2026-1\x00"}).status_code == 400
    assert en.get(URL, {"week_of": "x\x00"}).status_code == 400


def test_the_week_view(en, municipality, make_offer):
    offer = make_offer(on_request=False, title="Svømning")
    day = next_month_day(15)
    add_date(offer, at(day))
    add_date(offer, at(day + timedelta(days=7)))  # the week after
    response, html = get(en, URL, municipality=municipality.slug, week_of=day.isoformat())
    period = response.context["period"]
    assert period.span == periods.WEEK
    assert period.first.weekday() == 0 and period.first <= day <= period.last
    assert [d.day for d in response.context["with_dates"]] == [day]
    assert len(response.context["weeks"]) == 1 and len(response.context["weeks"][0]) == 7
    assert (
        f"week_of={(period.first + timedelta(days=7)).isoformat()}"
        in (response.context["next_url"])
    )
    assert 'aria-current="page">Week<' in html
    # Back to the month of that week.
    assert f"month={period.first:%Y-%m}" in response.context["month_url"]


def test_this_week_has_no_previous_week(en):
    response, _html = get(en, URL, week_of=timezone.localdate().isoformat())
    assert response.context["period"].previous is None


def test_too_many_dates_are_cut_with_a_notice(en, municipality, make_offer, monkeypatch):
    from catalog import views

    monkeypatch.setattr(views, "CALENDAR_LIMIT", 2)
    offer = make_offer(on_request=False)
    day = next_month_day(10)
    for n in range(3):
        add_date(offer, at(day, 9 + n))
    response, html = get(en, URL, municipality=municipality.slug, month=f"{day:%Y-%m}")
    assert sum(len(d.occasions) for d in response.context["with_dates"]) == 2
    assert "Only the first 2 dates are shown" in html


def test_the_list_links_to_the_calendar_with_its_filters(en, municipality):
    _r, html = get(en, "/offers/", municipality=municipality.slug, domain="sport", page="1")
    assert f'href="{URL}?municipality={municipality.slug}&amp;domain=sport"' in html


def test_danish_calendar(client, municipality, make_offer):
    offer = make_offer(on_request=False)
    day = next_month_day(15)
    add_date(offer, at(day))
    _r, html = get(client, URL, municipality=municipality.slug, month=f"{day:%Y-%m}")
    assert "Vis tilbuddene som liste" in html and "3 ledige pladser" in html
    assert "Næste måned" in html


# --- The next date on cards and the offer page --------------------------------------------


def test_cards_show_the_next_date_and_its_free_places(en, municipality, make_offer):
    offer = make_offer(title="Kajak", on_request=False)
    soon = timezone.now() + timedelta(days=5)
    add_date(offer, soon + timedelta(days=3), reserved=0)
    add_date(offer, soon, reserved=3)  # the next one, full
    add_date(offer, soon - timedelta(days=1), is_cancelled=True)
    empty = make_offer(title="Uden datoer", on_request=False)
    _r, html = get(en, "/offers/", municipality=municipality.slug)
    cards = {o.pk: o for o in _r.context["offers"]}
    assert abs(cards[offer.pk].next_starts_at - soon) < timedelta(seconds=1)
    assert cards[offer.pk].next_free == 0
    assert cards[empty.pk].next_starts_at is None
    assert "Fully booked" in html and "No upcoming dates." in html


def test_the_offer_page_shows_the_next_date(en, make_offer):
    offer = make_offer(on_request=False)
    add_date(offer, timezone.now() + timedelta(days=9), reserved=1, confirm_on_booking=True)
    _r, html = get(en, f"/offers/{offer.slug}/")
    assert "Next date" in html and "2 free places" in html
    assert "Confirmed on booking: your booking is final at once." in html


def test_offers_are_never_given_the_calendar_slug(association):
    from associations.models import Offer
    from associations.services import unique_slug

    assert unique_slug(Offer, "Calendar") == "calendar-2"
    assert reverse("catalog:offer_calendar") == URL
