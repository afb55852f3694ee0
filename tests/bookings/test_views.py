import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models.signals import post_init
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bookings import services, views
from bookings.models import (
    Booking,
    BookingMessage,
    CalendarFeed,
    Evaluation,
    Occasion,
    OccasionSession,
    SubsidyPool,
    WaitingListEntry,
)
from bookings.states import Actor, BookingState, BookingTransition
from notifications.models import Notification
from tests import factories as f

from .conftest import make_booking, request_form, school_day

T = BookingTransition


@pytest.fixture
def stranger(db):
    return f.UserFactory()


# --- Booking request ----------------------------------------------------------------------


def test_book_an_occasion(client, teacher, school, occasion):
    url = reverse("bookings:book_offer", args=[occasion.offer.slug])
    client.force_login(teacher)
    page = client.get(url)
    assert page.status_code == 200
    assert "Never write pupils' names" in page.content.decode() or "aldrig" in (
        page.content.decode().lower()
    )
    data = {
        "school": school.pk,
        "occasion": occasion.pk,
        "classes": "5.A",
        "class_count": 1,
        "grade": 5,
        "pupils": 22,
        "contact_teacher": teacher.pk,
        "special_needs": "",
        "message": "Vi glæder os",
    }
    response = client.post(url, data)
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("bookings:detail", args=[booking.pk])
    assert booking.state == BookingState.REQUESTED and booking.pupils == 22
    occasion.refresh_from_db()
    assert occasion.reserved == 1


def test_request_on_request_offer_with_preferred_dates_and_price(
    client, teacher, school, hourly_offer
):
    url = reverse("bookings:book_offer", args=[hourly_offer.slug])
    client.force_login(teacher)
    data = request_form(school, teacher, school_day(20), school_day(27))
    page = client.post(url, {**data, "calculate": "1"})
    assert page.status_code == 200 and not Booking.objects.exists()
    assert page.context["price"] == Decimal("1800.00")
    response = client.post(url, data)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert len(booking.preferred_dates) == 2 and booking.sessions == 6
    assert booking.price_total == Decimal("1800.00")


def test_preferred_date_in_holiday_is_refused(client, teacher, school, association):
    from datetime import datetime

    offer = f.OfferFactory(association=association, published=True, on_request=True)
    year = timezone.localdate().year + 1
    winter = (
        timezone.make_aware(datetime(year, 2, 17, 10))
        if year != 2027
        else (timezone.make_aware(datetime(2027, 2, 17, 10)))
    )
    client.force_login(teacher)
    response = client.post(
        reverse("bookings:book_offer", args=[offer.slug]),
        {
            "school": school.pk,
            "preferred_1": winter.strftime("%Y-%m-%dT%H:%M"),
            "sessions": 1,
            "classes": "1.A",
            "class_count": 1,
            "grade": 1,
            "pupils": 20,
            "contact_teacher": teacher.pk,
        },
    )
    assert response.status_code == 200 and not Booking.objects.exists()


def test_full_occasion_puts_the_school_on_the_waiting_list(
    client, teacher, school, occasion, other_teacher, other_school
):
    make_booking(other_teacher, other_school, occasion.offer, occasion, class_count=2)
    client.force_login(teacher)
    response = client.post(
        reverse("bookings:book_offer", args=[occasion.offer.slug]),
        {
            "school": school.pk,
            "occasion": occasion.pk,
            "classes": "3.A",
            "class_count": 1,
            "grade": 3,
            "pupils": 20,
            "contact_teacher": teacher.pk,
            "join_waiting_list": "on",
        },
    )
    assert response.status_code == 302
    assert school.waiting_entries.get().places == 1


@pytest.mark.parametrize("who", ["anonymous", "stranger", "association_member", "consultant"])
def test_only_school_staff_book(client, occasion, who, request):
    url = reverse("bookings:book_offer", args=[occasion.offer.slug])
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(url)
    assert response.status_code in (302, 403)
    if who == "anonymous":
        assert "login" in response["Location"]


def test_booking_is_rate_limited(client, teacher, school, occasion, settings, steady_clock):
    client.force_login(teacher)
    url = reverse("bookings:book_offer", args=[occasion.offer.slug])
    codes = [client.post(url, {"school": school.pk}).status_code for _ in range(31)]
    assert codes[-1] == 429 and codes[0] == 200


# --- Permissions through the views ---------------------------------------------------------


@pytest.fixture
def confirmed(booking, association_member):
    return services.transition(booking, T.CONFIRM, user=association_member, actor=Actor.ASSOCIATION)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("teacher", 200),
        ("department_head", 200),
        ("association_member", 200),
        ("consultant", 200),
        ("other_teacher", 404),
        ("other_association_admin", 404),
        ("other_consultant", 404),
        ("stranger", 404),
    ],
)
def test_who_sees_a_booking(client, booking, who, status, request):
    BookingMessage.objects.create(
        booking=booking,
        author=booking.requested_by,
        author_side=Actor.SCHOOL,
        body="Hemmelig besked",
    )
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("bookings:detail", args=[booking.pk]))
    assert response.status_code == status
    if status == 404:
        assert "Hemmelig besked" not in response.content.decode()


def test_anonymous_is_sent_to_login(client, booking):
    response = client.get(reverse("bookings:detail", args=[booking.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["other_teacher", "other_association_admin", "stranger"])
def test_strangers_cannot_act_message_or_evaluate(client, booking, who, request):
    client.force_login(request.getfixturevalue(who))
    pk = booking.pk
    assert client.post(reverse("bookings:action", args=[pk, "confirm"])).status_code == 404
    assert (
        client.post(reverse("bookings:action", args=[pk, "cancel"]), {"note": "x"}).status_code
        == 404
    )
    assert (
        client.post(reverse("bookings:post_message", args=[pk]), {"body": "hej"}).status_code == 404
    )
    assert (
        client.post(
            reverse("bookings:evaluate", args=[pk]), {"rating": 5, "took_place": "on"}
        ).status_code
        == 404
    )
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUESTED
    assert not booking.messages.exists() and not booking.evaluations.exists()


def test_association_confirms_through_the_view(client, booking, association_member):
    client.force_login(association_member)
    response = client.post(reverse("bookings:action", args=[booking.pk, "confirm"]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED
    page = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert "Forespurgt → Bekræftet" in page  # the history, in Danish


def test_school_cannot_confirm_through_the_view(client, booking, teacher):
    client.force_login(teacher)
    client.post(reverse("bookings:action", args=[booking.pk, "confirm"]))
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUESTED


def test_association_proposes_and_school_accepts(client, booking, association_member, teacher):
    new = school_day(60)
    client.force_login(association_member)
    response = client.post(
        reverse("bookings:action", args=[booking.pk, "propose_alternative"]),
        {
            "propose-starts_at": new.strftime("%Y-%m-%dT%H:%M"),
            "propose-ends_at": (new + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "propose-note": "Hallen er optaget",
        },
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.state == BookingState.ALTERNATIVE_PROPOSED
    assert booking.events.last().note == "Hallen er optaget"
    client.force_login(teacher)
    client.post(reverse("bookings:action", args=[booking.pk, "accept_alternative"]))
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED and booking.starts_at == new


def _section(html: str, heading_id: str) -> str:
    """The part of a page from the heading with ``heading_id`` to the end of its list."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</ul>", start)]


def test_waiting_for_you_holds_only_what_waits_for_that_side(
    client, teacher, school, association, association_member
):
    """A request waits for the association; a date the association proposed instead waits
    for the school. Each side's "waiting for you" list has only its own."""
    offer = f.OfferFactory(association=association, published=True, on_request=True)
    asked = make_booking(teacher, school, offer, classes="4.A")
    proposed = make_booking(teacher, school, offer, classes="6.B")
    new = school_day(60)
    client.force_login(association_member)
    client.post(
        reverse("bookings:action", args=[proposed.pk, "propose_alternative"]),
        {
            "propose-starts_at": new.strftime("%Y-%m-%dT%H:%M"),
            "propose-ends_at": (new + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    proposed.refresh_from_db()
    assert proposed.state == BookingState.ALTERNATIVE_PROPOSED

    def url(b):
        return reverse("bookings:detail", args=[b.pk])

    # The association: the request is its to answer; the proposed date waits for the school.
    page = client.get(reverse("bookings:my_association_bookings", args=[association.pk]))
    assert list(page.context["requests"]) == [asked]
    assert list(page.context["waiting_for_school"]) == [proposed]
    html = page.content.decode()
    assert url(asked) in _section(html, "requests-heading")
    assert url(proposed) not in _section(html, "requests-heading")
    assert url(proposed) in _section(html, "waiting-for-school-heading")
    assert url(asked) not in _section(html, "waiting-for-school-heading")
    # The same on "My association".
    detail = client.get(reverse("associations:detail", args=[association.slug]))
    assert url(asked) in detail.content.decode()

    # The school: the proposed date is its to answer; its request waits for the association.
    client.force_login(teacher)
    page = client.get(reverse("bookings:my_school"))
    assert page.context["waiting"] == [proposed]
    assert page.context["requested"] == [asked]
    html = page.content.decode()
    assert url(proposed) in _section(html, "waiting-heading")
    assert url(asked) not in _section(html, "waiting-heading")
    assert url(asked) in _section(html, "requested-heading")
    assert url(proposed) not in _section(html, "requested-heading")

    # Once the school accepts the date, it is upcoming on both sides and waits for no one.
    client.post(reverse("bookings:action", args=[proposed.pk, "accept_alternative"]))
    page = client.get(reverse("bookings:my_school"))
    assert page.context["waiting"] == [] and page.context["upcoming"] == [proposed]
    client.force_login(association_member)
    page = client.get(reverse("bookings:my_association_bookings", args=[association.pk]))
    assert list(page.context["waiting_for_school"]) == []
    assert list(page.context["requests"]) == [asked]


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def _duplicates(items: list[str]) -> set[str]:
    return {i for i in items if items.count(i) > 1}


@pytest.mark.parametrize("who", ["association_member", "teacher"])
def test_detail_page_has_unique_ids_and_labels_point_to_their_fields(client, booking, who, request):
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert not _duplicates(_ids(html))
    # The cancellation reason's label names the cancellation form's field.
    label = re.search(r'<label\s+for="([^"]+)"[^>]*>\s*Begrundelse for aflysningen', html)
    assert label, html
    assert re.search(rf'<textarea name="cancel-note"[^>]*id="{label.group(1)}"', html)


def test_association_cancels_through_the_view_with_a_reason(client, booking, association_member):
    client.force_login(association_member)
    url = reverse("bookings:action", args=[booking.pk, "cancel"])
    response = client.post(url, {"cancel-note": "Instruktøren er syg"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
    assert booking.cancel_reason == "Instruktøren er syg"


def test_cancel_without_a_reason_shows_the_form_again(client, booking, association_member):
    client.force_login(association_member)
    response = client.post(
        reverse("bookings:action", args=[booking.pk, "cancel"]), {"cancel-note": ""}
    )
    assert response.status_code == 200
    assert response.context["cancel_form"].errors["note"]
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUESTED


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_proposal_ending_before_it_starts_is_shown_again_with_the_reason(
    client, booking, association_member
):
    new = school_day(60)
    client.force_login(association_member)
    data = {
        "propose-starts_at": _local(new),
        "propose-ends_at": _local(new - timedelta(hours=1)),
        "propose-note": "Kan I om eftermiddagen?",
    }
    response = client.post(
        reverse("bookings:action", args=[booking.pk, "propose_alternative"]), data
    )
    assert response.status_code == 200
    form = response.context["propose_form"]
    assert list(form.errors) == ["ends_at"]
    html = response.content.decode()
    assert "Slutningen skal ligge efter starten." in html
    assert "Angiv en fremtidig start" not in html
    for value in data.values():
        assert value in html  # what was entered is kept
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUESTED and booking.proposed_starts_at is None


def test_proposal_in_the_past_is_shown_again_with_the_reason(client, booking, association_member):
    past = timezone.now() - timedelta(days=2)
    client.force_login(association_member)
    response = client.post(
        reverse("bookings:action", args=[booking.pk, "propose_alternative"]),
        {"propose-starts_at": _local(past), "propose-ends_at": _local(past + timedelta(hours=1))},
    )
    assert response.status_code == 200
    assert list(response.context["propose_form"].errors) == ["starts_at"]
    assert "Den nye dato skal ligge i fremtiden." in response.content.decode()
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUESTED


def test_proposal_in_a_holiday_is_shown_again_with_the_reason(client, booking, association_member):
    from datetime import datetime

    christmas = timezone.make_aware(datetime(timezone.localdate().year, 12, 23, 10))
    if christmas < timezone.now():
        christmas = christmas.replace(year=christmas.year + 1)
    client.force_login(association_member)
    response = client.post(
        reverse("bookings:action", args=[booking.pk, "propose_alternative"]),
        {
            "propose-starts_at": _local(christmas),
            "propose-ends_at": _local(christmas + timedelta(hours=1)),
        },
    )
    assert response.status_code == 200
    errors = response.context["propose_form"].non_field_errors()
    assert errors and errors[0] in response.content.decode()
    assert _local(christmas) in response.content.decode()
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUESTED


def test_too_long_message_is_shown_again_with_the_length_error(client, booking, teacher):
    client.force_login(teacher)
    body = "Hej " + "x" * 4997  # 5001 characters
    response = client.post(reverse("bookings:post_message", args=[booking.pk]), {"body": body})
    assert response.status_code == 200
    errors = response.context["message_form"].errors["body"]
    assert "5000" in errors[0] and "5001" in errors[0]
    html = response.content.decode()
    assert body in html  # the text is kept
    assert "Skriv en besked." not in html
    assert not BookingMessage.objects.exists()


def test_accepted_proposal_keeps_the_place_and_drops_the_proposal_line(
    client, booking, occasion, association_member, teacher
):
    Occasion.objects.filter(pk=occasion.pk).update(place="Idrætsparken, Bane 3")
    new = school_day(60)
    services.transition(
        booking,
        T.PROPOSE_ALTERNATIVE,
        user=association_member,
        actor=Actor.ASSOCIATION,
        starts_at=new,
        ends_at=new + timedelta(hours=1),
    )
    client.force_login(teacher)
    pending = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert "Foreslået dato" in pending and "Idrætsparken, Bane 3" in pending
    client.post(reverse("bookings:action", args=[booking.pk, "accept_alternative"]))
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED and booking.starts_at == new
    for user in (teacher, association_member):
        client.force_login(user)
        page = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
        assert "Idrætsparken, Bane 3" in page
        assert "Foreslået dato" not in page


def test_consultant_may_not_post_messages(client, booking, consultant):
    client.force_login(consultant)
    response = client.post(reverse("bookings:post_message", args=[booking.pk]), {"body": "hej"})
    assert response.status_code == 403


def test_message_notifies_the_other_side(client, booking, teacher, association_member, association):
    client.force_login(teacher)
    client.post(reverse("bookings:post_message", args=[booking.pk]), {"body": "Hvor mødes vi?"})
    msg = BookingMessage.objects.get()
    assert msg.author_side == Actor.SCHOOL
    assert Notification.objects.filter(
        key__contains=f"message:{msg.pk}", to_email=association.contact_email
    ).exists()
    client.force_login(association_member)
    client.post(reverse("bookings:post_message", args=[booking.pk]), {"body": "Ved hallen"})
    reply = BookingMessage.objects.latest("id")
    assert Notification.objects.filter(
        key__contains=f"message:{reply.pk}", to_email=teacher.email
    ).exists()


# --- Evaluation ---------------------------------------------------------------------------


def _in_the_past(booking):
    past = timezone.now() - timedelta(days=1)
    Booking.objects.filter(pk=booking.pk).update(starts_at=past - timedelta(hours=2), ends_at=past)


def test_evaluation_after_the_date_only(
    client, confirmed, teacher, association_member, consultant, other_teacher, association
):
    url = reverse("bookings:evaluate", args=[confirmed.pk])
    client.force_login(teacher)
    client.post(url, {"rating": 4, "took_place": "on", "pupils_reached": 22})
    assert not Evaluation.objects.exists()  # not before the date
    _in_the_past(confirmed)
    client.post(
        url,
        {
            "rating": 4,
            "took_place": "on",
            "pupils_reached": 22,
            "pupils_joined": 9,
            "comment": "Godt",
        },
    )
    school_eval = Evaluation.objects.get(side=Actor.SCHOOL)
    assert school_eval.rating == 4 and school_eval.pupils_joined is None
    client.force_login(association_member)
    client.post(
        url,
        {
            "rating": 5,
            "took_place": "on",
            "pupils_reached": 22,
            "pupils_joined": 3,
            "comment": "Dejlige elever",
        },
    )
    assert Evaluation.objects.get(side=Actor.ASSOCIATION).pupils_joined == 3
    # The association's average (schools' ratings) on its overview.
    html = Template("{% load bookings_tags %}{% association_bookings a u %}").render(
        Context({"a": association, "u": association_member})
    )
    assert "4.0" in html or "4,0" in html
    # The consultant sees all evaluations.
    client.force_login(consultant)
    page = client.get(reverse("bookings:consultant")).content.decode()
    assert "Dejlige elever" in page and "Godt" in page
    client.force_login(other_teacher)
    assert client.get(reverse("bookings:detail", args=[confirmed.pk])).status_code == 404


def test_other_consultant_has_no_overview_of_this_municipality(
    client, confirmed, other_consultant, stranger
):
    client.force_login(other_consultant)
    page = client.get(reverse("bookings:consultant")).content.decode()
    assert confirmed.school.name not in page
    client.force_login(stranger)
    assert client.get(reverse("bookings:consultant")).status_code == 404


def test_the_consultant_turns_the_pages_of_each_list(
    client, consultant, teacher, school, association, association_member, monkeypatch
):
    """A large municipality has thousands of bookings: each list shows a page, with its
    count, and turns its own pages while the other list stays where it was."""
    monkeypatch.setattr(views, "CONSULTANT_PAGE_SIZE", 2)
    for n in range(3):
        for title, confirm in ((f"Venter {n}", False), (f"Bekræftet {n}", True)):
            offer = f.OfferFactory(association=association, published=True, title=title)
            start = school_day(30 + n)
            occasion = Occasion.objects.create(
                offer=offer, starts_at=start, ends_at=start + timedelta(hours=2), capacity=2
            )
            booking = make_booking(teacher, school, offer, occasion)
            if confirm:
                services.transition(
                    booking, T.CONFIRM, user=association_member, actor=Actor.ASSOCIATION
                )
                Evaluation.objects.create(
                    booking=booking, side=Actor.SCHOOL, rating=n + 3, comment=f"Vurdering {n}"
                )
    client.force_login(consultant)
    url = reverse("bookings:consultant")

    def titles(page):
        return re.findall(r"(Venter \d|Bekræftet \d|Vurdering \d)</", page)

    first = client.get(url).content.decode()
    assert titles(first) == ["Venter 0", "Venter 1", "Bekræftet 0", "Bekræftet 1"] + [
        "Vurdering 2",  # the newest evaluations first
        "Vurdering 1",
    ]
    assert first.count('<span class="badge text-bg-secondary">3</span>') == 3
    assert "Gennemsnitlig vurdering: 4,0" in first  # of all three, not only the page's
    assert 'href="?evaluations_page=2#evaluations"' in first
    assert 'href="?waiting_page=2#waiting"' in first
    assert 'href="?upcoming_page=2#upcoming"' in first
    second = client.get(url, {"waiting_page": "2", "upcoming_page": "1"}).content.decode()
    assert titles(second) == [
        "Venter 2",
        "Bekræftet 0",
        "Bekræftet 1",
        "Vurdering 2",
        "Vurdering 1",
    ]
    assert 'href="?upcoming_page=1&amp;waiting_page=1#waiting"' in second
    assert 'href="?waiting_page=2&amp;upcoming_page=2#upcoming"' in second
    for hostile in ("0", "-1", "abc", "9" * 30, "1e999", "nan", "2.5"):
        pages = {"waiting_page": hostile, "upcoming_page": hostile, "evaluations_page": hostile}
        response = client.get(url, pages)
        assert response.status_code == 200


# --- My school and My association ---------------------------------------------------------


def test_my_school_lists_its_bookings_only(
    client, booking, teacher, other_teacher, other_school, association
):
    offer = f.OfferFactory(
        association=association, published=True, on_request=True, title="Skak for begyndere"
    )
    make_booking(other_teacher, other_school, offer)
    client.force_login(teacher)
    page = client.get(reverse("bookings:my_school"))
    assert page.status_code == 200
    assert booking in page.context["requested"]  # it waits for the association
    assert "Skak for begyndere" not in page.content.decode()


@pytest.mark.parametrize("who", ["stranger", "association_member", "consultant"])
def test_my_school_is_for_school_staff(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("bookings:my_school")).status_code == 404


def test_association_tag_lists_requests_first(
    booking, association, association_member, other_association_admin
):
    rf = RequestFactory().get("/")
    tpl = Template("{% load bookings_tags %}{% association_bookings a u %}")
    rf.user = association_member
    html = tpl.render(Context({"a": association, "u": association_member, "request": rf}))
    assert reverse("bookings:detail", args=[booking.pk]) in html
    assert html.index(reverse("bookings:detail", args=[booking.pk])) < html.index("ics")
    # Another association's admin sees nothing of ours.
    html = tpl.render(Context({"a": association, "u": other_association_admin}))
    assert reverse("bookings:detail", args=[booking.pk]) not in html


# --- Calendars ----------------------------------------------------------------------------


def test_ics_download_parses(client, confirmed, teacher, other_teacher):
    client.force_login(teacher)
    response = client.get(reverse("bookings:my_ics"))
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    assert events[0]["uid"] == f"booking-{confirmed.pk}@aabenskole"
    assert events[0].decoded("dtstart") == confirmed.starts_at
    assert str(events[0]["status"]) == "CONFIRMED"
    client.force_login(other_teacher)
    other = Calendar.from_ical(client.get(reverse("bookings:my_ics")).content)
    assert list(other.walk("VEVENT")) == []


def test_private_feed_token_regenerate_and_revoke(
    client, confirmed, teacher, school, other_teacher
):
    client.force_login(other_teacher)
    url = reverse("bookings:feed_manage", args=["school", school.pk, "regenerate"])
    assert client.post(url).status_code == 404
    client.force_login(teacher)
    client.post(url)
    feed = CalendarFeed.objects.get(school=school)
    client.logout()
    response = client.get(reverse("bookings:feed", args=[feed.token]))
    assert response.status_code == 200
    assert len(list(Calendar.from_ical(response.content).walk("VEVENT"))) == 1
    old = feed.token
    client.force_login(teacher)
    client.post(url)
    client.logout()
    assert client.get(reverse("bookings:feed", args=[old])).status_code == 404
    new = CalendarFeed.objects.get(school=school).token
    assert client.get(reverse("bookings:feed", args=[new])).status_code == 200
    client.force_login(teacher)
    client.post(reverse("bookings:feed_manage", args=["school", school.pk, "revoke"]))
    client.logout()
    assert client.get(reverse("bookings:feed", args=[new])).status_code == 404


def test_association_feed(
    client, confirmed, association, association_member, other_association_admin
):
    url = reverse("bookings:feed_manage", args=["association", association.pk, "regenerate"])
    client.force_login(other_association_admin)
    assert client.post(url).status_code == 404
    client.force_login(association_member)
    client.post(url)
    token = CalendarFeed.objects.get(association=association).token
    cal = Calendar.from_ical(client.get(reverse("bookings:feed", args=[token])).content)
    assert [str(e["uid"]) for e in cal.walk("VEVENT")] == [f"booking-{confirmed.pk}@aabenskole"]


def test_a_subscribed_feed_reaches_a_year_back_and_a_download_holds_everything(
    client, confirmed, teacher, school
):
    """Calendar programs fetch a subscribed address again every few hours: bookings that
    ended more than a year ago are left out of it, not out of the download."""
    ended = {}
    offer = f.OfferFactory(association=confirmed.offer.association, published=True, on_request=True)
    for days in (300, 400):
        booking = make_booking(teacher, school, offer)
        past = timezone.now() - timedelta(days=days)
        Booking.objects.filter(pk=booking.pk).update(
            state=BookingState.COMPLETED, starts_at=past, ends_at=past + timedelta(hours=2)
        )
        ended[days] = f"booking-{booking.pk}@aabenskole"
    # A course whose first session ended 400 days ago and its last 300 days ago stays in.
    course = f.OccasionFactory(offer=confirmed.offer)
    booking = make_booking(teacher, school, confirmed.offer, course)
    first, last = timezone.now() - timedelta(days=400), timezone.now() - timedelta(days=300)
    Booking.objects.filter(pk=booking.pk).update(
        state=BookingState.COMPLETED, starts_at=first, ends_at=first + timedelta(hours=2)
    )
    OccasionSession.objects.create(occasion=course, starts_at=last, ends_at=last + timedelta(1))
    feed = CalendarFeed.objects.create(school=school)
    cal = Calendar.from_ical(client.get(reverse("bookings:feed", args=[feed.token])).content)
    uids = _bookings_in(cal)
    assert uids == {
        f"booking-{confirmed.pk}@aabenskole",
        ended[300],
        f"booking-{booking.pk}@aabenskole",
    }
    client.force_login(teacher)
    cal = Calendar.from_ical(client.get(reverse("bookings:my_ics")).content)
    assert _bookings_in(cal) == uids | {ended[400]}


def _bookings_in(cal) -> set[str]:
    """The bookings' events of a calendar (not their courses' further sessions)."""
    uids = (str(e["uid"]) for e in cal.walk("VEVENT"))
    return {uid for uid in uids if re.fullmatch(r"booking-\d+@aabenskole", uid)}


def test_a_request_awaiting_the_leader_is_tentative_in_the_school_feed_only(
    client, booking, teacher, school, association, association_member
):
    Booking.objects.filter(pk=booking.pk).update(
        state=BookingState.AWAITING_APPROVAL, sent_to_association=False
    )
    school_feed = CalendarFeed.objects.create(school=school)
    association_feed = CalendarFeed.objects.create(association=association)
    cal = Calendar.from_ical(client.get(reverse("bookings:feed", args=[school_feed.token])).content)
    events = list(cal.walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [f"booking-{booking.pk}@aabenskole"]
    assert str(events[0]["status"]) == "TENTATIVE"
    client.force_login(teacher)
    assert (
        len(Calendar.from_ical(client.get(reverse("bookings:my_ics")).content).walk("VEVENT")) == 1
    )
    client.logout()
    url = reverse("bookings:feed", args=[association_feed.token])
    assert list(Calendar.from_ical(client.get(url).content).walk("VEVENT")) == []
    client.force_login(association_member)
    assert (
        list(Calendar.from_ical(client.get(reverse("bookings:my_ics")).content).walk("VEVENT"))
        == []
    )


@pytest.mark.parametrize("next_url", ["abc", "my-association", "https://evil.example/x", "/x"])
def test_any_next_value_redirects_and_never_fails(
    client, association, association_member, published_offer, teacher, next_url
):
    """A word without "/" or "." is no URL name for ``redirect()`` to look up (it raised)."""
    client.force_login(association_member)
    url = reverse("bookings:feed_manage", args=["association", association.pk, "regenerate"])
    response = client.post(url, {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == (
        next_url
        if next_url in ("abc", "my-association", "/x")
        else reverse("bookings:my_association_bookings", args=[association.pk])
    )
    client.force_login(teacher)
    url = reverse("catalog:favourite_toggle", args=[published_offer.slug])
    response = client.post(url, {"next": next_url})
    assert response.status_code == 302 and "evil" not in response["Location"]


# --- Occasions, school events, pool -------------------------------------------------------


def test_member_adds_and_cancels_occasions(
    client, published_offer, association_member, other_association_admin, teacher, school
):
    url = reverse("bookings:occasions", args=[published_offer.pk])
    client.force_login(other_association_admin)
    assert client.get(url).status_code == 404
    client.force_login(association_member)
    start = school_day(25)
    response = client.post(
        url,
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Hallen",
            "capacity": 2,
            "capacity_unit": "classes",
            "extra_sessions": "",
        },
    )
    assert response.status_code == 302
    occ = published_offer.occasions.get()
    b = make_booking(teacher, school, published_offer, occ)
    client.force_login(other_association_admin)
    assert (
        client.post(reverse("bookings:occasion_cancel", args=[occ.pk]), {"note": "x"}).status_code
        == 404
    )
    client.force_login(association_member)
    client.post(reverse("bookings:occasion_cancel", args=[occ.pk]), {"note": "Ingen instruktør"})
    b.refresh_from_db()
    occ.refresh_from_db()
    assert occ.is_cancelled and b.state == BookingState.CANCELLED


def test_school_event_visible_to_associations_who_offer_to_take_part(
    client, teacher, school, association_member, published_offer, other_teacher, stranger
):
    client.force_login(teacher)
    client.post(
        reverse("schools:school_event_add"),
        {
            "school": school.pk,
            "title": "Idrætsdag",
            "starts_on": school_day(60).date(),
            "ends_on": school_day(60).date(),
            "grade_min": 0,
            "grade_max": 6,
        },
    )
    event = school.events.get()
    client.force_login(association_member)
    assert "Idrætsdag" in client.get(reverse("schools:school_events")).content.decode()
    client.post(
        reverse("schools:participate", args=[event.pk]),
        {"offer": published_offer.pk, "message": "Vi kommer gerne med fodbold"},
    )
    client.force_login(teacher)
    assert "Vi kommer gerne" in client.get(reverse("bookings:my_school")).content.decode()
    client.force_login(other_teacher)
    assert "Vi kommer gerne" not in client.get(reverse("bookings:my_school")).content.decode()
    client.force_login(stranger)
    assert client.get(reverse("schools:school_events")).status_code == 404


def test_pool_page_for_the_consultant_only(
    client, consultant, other_consultant, teacher, municipality
):
    SubsidyPool.objects.create(
        municipality=municipality,
        school_year=2026,
        amount=Decimal("400000"),
        max_hourly_rate=Decimal("250"),
    )
    client.force_login(consultant)
    page = client.get(reverse("bookings:pool"))
    assert page.status_code == 200 and "400.000" in page.content.decode()
    client.force_login(other_consultant)
    assert "400.000" not in client.get(reverse("bookings:pool")).content.decode()
    client.force_login(teacher)
    assert client.get(reverse("bookings:pool")).status_code == 404


def test_feed_redirect_stays_on_the_site(client, association, association_member):
    client.force_login(association_member)
    url = reverse("bookings:feed_manage", args=["association", association.pk, "regenerate"])
    response = client.post(url, {"next": "//evil.example/"})
    assert response.status_code == 302 and "evil" not in response["Location"]


def test_my_school_with_a_bad_school_id(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("bookings:my_school") + "?school=abc").status_code == 404


def test_pages_render_for_their_people_and_404_for_others(
    client,
    occasion,
    booking,
    association,
    association_member,
    teacher,
    consultant,
    other_association_admin,
    other_teacher,
    stranger,
):
    member_pages = [
        reverse("bookings:occasion_edit", args=[occasion.pk]),
        reverse("bookings:my_association_bookings", args=[association.pk]),
        reverse("bookings:occasions", args=[occasion.offer_id]),
    ]
    client.force_login(association_member)
    for url in member_pages:
        page = client.get(url)
        assert page.status_code == 200, url
    assert f"/bookings/{booking.pk}/" in client.get(member_pages[1]).content.decode()
    # Each date page has its way back: the dates to the association, a date to its dates.
    dates = client.get(member_pages[2]).content.decode()
    assert f'href="{reverse("associations:detail", args=[association.slug])}"' in dates
    edit = client.get(member_pages[0]).content.decode()
    assert edit.count(f'href="{member_pages[2]}"') == 2  # above, and "Tilbage uden at gemme"
    client.force_login(other_association_admin)
    for url in member_pages[:1] + member_pages[2:]:
        assert client.get(url).status_code == 404, url
    assert client.get(member_pages[1]).status_code == 404
    client.force_login(teacher)
    assert client.get(reverse("schools:school_event_add")).status_code == 200
    client.force_login(stranger)
    assert client.get(reverse("schools:school_event_add")).status_code == 404


def test_association_page_shows_the_bookings_heading_once(
    client, booking, association, association_admin
):
    client.force_login(association_admin)
    page = client.get(reverse("associations:detail", args=[association.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert not _duplicates(_ids(html))
    assert html.count('id="bookings-heading"') == 1
    assert len(re.findall(r"<h2[^>]*>\s*Bookinger\s*</h2>", html)) == 1
    assert reverse("bookings:detail", args=[booking.pk]) in html


def test_consultant_opens_a_pool(client, consultant, municipality):
    client.force_login(consultant)
    response = client.post(
        reverse("bookings:pool"),
        {
            "school_year": 2026,
            "amount": "400000",
            "municipality_share_percent": 50,
            "max_hourly_rate": "250",
        },
    )
    assert response.status_code == 302
    pool = SubsidyPool.objects.get()
    assert pool.municipality == municipality and pool.left == Decimal("400000")
    again = client.post(
        reverse("bookings:pool"),
        {
            "school_year": 2026,
            "amount": "1",
            "municipality_share_percent": 50,
        },
    )
    assert again.status_code == 200 and SubsidyPool.objects.count() == 1


def test_the_consultant_changes_a_pools_amount_never_below_what_it_holds(
    client, consultant, other_consultant, municipality
):
    pool = SubsidyPool.objects.create(
        municipality=municipality,
        school_year=2026,
        amount=Decimal("400000"),
        reserved=Decimal("150000"),
        spent=Decimal("50000"),
    )
    url = reverse("bookings:pool_amount", args=[pool.pk])
    field = f"pool{pool.pk}-amount"
    client.force_login(consultant)
    page = client.get(reverse("bookings:pool")).content.decode()
    assert f'action="{url}"' in page and f'id="id_{field}"' in page
    # Below what is reserved and spent: refused, the figure typed kept on the form.
    refused = client.post(url, {field: "150000"})
    html = refused.content.decode()
    assert refused.status_code == 200 and "200.000 kr. af puljen er allerede" in html
    assert 'value="150000"' in html
    for bad in ("-1", "abc", "1e309", "12\x00", "9" * 20):
        assert client.post(url, {field: bad}).status_code == 200, bad
    pool.refresh_from_db()
    assert pool.amount == Decimal("400000")
    # Raised mid-year: what is left grows, and sending it twice changes nothing more.
    for _ in range(2):
        response = client.post(url, {field: "500000"})
        assert response.status_code == 302 and response["Location"].endswith(f"#pool-{pool.pk}")
    pool.refresh_from_db()
    assert pool.amount == Decimal("500000") and pool.left == Decimal("300000")
    assert pool.reserved == Decimal("150000") and pool.spent == Decimal("50000")
    # Another municipality's consultant cannot reach it.
    client.force_login(other_consultant)
    assert client.post(url, {field: "1"}).status_code == 404
    pool.refresh_from_db()
    assert pool.amount == Decimal("500000")


def test_my_school_shows_the_first_requests_and_all_on_request(
    client, teacher, school, published_offer
):
    from bookings.views import MY_SCHOOL_LIST_SIZE

    from .conftest import make_booking

    for _ in range(MY_SCHOOL_LIST_SIZE + 3):
        make_booking(teacher, school, published_offer)
    client.force_login(teacher)
    page = client.get(reverse("bookings:my_school"))
    assert len(page.context["requested"]) == MY_SCHOOL_LIST_SIZE and page.context["more"]
    everything = client.get(reverse("bookings:my_school"), {"all": "1"})
    assert len(everything.context["requested"]) == MY_SCHOOL_LIST_SIZE + 3
    assert not everything.context["more"]


def test_a_busy_school_reads_only_the_bookings_its_lists_show(
    client, teacher, school, published_offer
):
    from bookings.views import MY_SCHOOL_LIST_SIZE

    for _ in range(MY_SCHOOL_LIST_SIZE * 3):  # requested, so also upcoming
        make_booking(teacher, school, published_offer)
    built = []

    def count(sender, instance, **kwargs):
        built.append(instance)

    client.force_login(teacher)
    post_init.connect(count, sender=Booking)
    try:
        page = client.get(reverse("bookings:my_school"))
    finally:
        post_init.disconnect(count, sender=Booking)
    assert len(page.context["requested"]) == MY_SCHOOL_LIST_SIZE and page.context["more"]
    # Two lists (requested, upcoming) of one row more than shown: not all 63 twice.
    assert len(built) <= 2 * (MY_SCHOOL_LIST_SIZE + 1)


def test_places_are_counted_in_singular_and_plural(
    client, occasion, teacher, association_member, published_offer
):
    """Issue 20: never "1 pladser" / "1 klasser"; the unit follows the capacity."""
    occasion.capacity = 1
    occasion.save()
    client.force_login(teacher)
    html = client.get(published_offer.get_absolute_url() + "book/").content.decode()
    assert "1 af 1 klasse ledig" in html and "1 klasser" not in html
    client.force_login(association_member)
    occasions = reverse("bookings:occasions", args=[published_offer.pk])
    assert "0 af 1 klasse booket" in client.get(occasions).content.decode()
    occasion.capacity, occasion.capacity_unit = 24, "pupils"
    occasion.save()
    assert "0 af 24 elever booket" in client.get(occasions).content.decode()


def test_the_waiting_list_reads_what_it_shows_with_its_rows(
    client, teacher, school, published_offer
):
    """An entry on the waiting list shows its date (offer and start), classes and state, a
    place offered until when, or the allocation it takes part in: all read with the list
    (``WAITING_ROW_FIELDS``), so three entries cost no query more than none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(teacher)
    url = reverse("bookings:my_school")

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url)
        assert page.status_code == 200
        return len(ctx.captured_queries), page.content.decode()

    queries()  # the municipality's pool is cached from here on
    empty, _html = queries()
    soon = timezone.now() + timedelta(days=40)
    states = WaitingListEntry.State
    for classes, extra, occasion_extra in (
        ("4.A", {}, {}),
        ("5.B", {"state": states.OFFERED, "offer_expires_at": soon}, {}),
        ("6.C", {"for_allocation": True}, {"allocation_deadline": soon}),
    ):
        occasion = f.OccasionFactory(offer=published_offer, **occasion_extra)
        WaitingListEntry.objects.create(
            occasion=occasion,
            school=school,
            requested_by=teacher,
            places=20,
            classes=classes,
            class_count=1,
            grade=5,
            pupils=20,
            **extra,
        )
    listed, html = queries()
    assert listed == empty
    assert html.count(published_offer.title) >= 3
    assert all(classes in html for classes in ("4.A", "5.B", "6.C"))
    assert "Tag pladsen" in html  # the offered place, until when
    assert "deltager i fordelingen" in html  # the allocation's date


def test_the_association_says_why_it_declines_and_the_school_reads_it(
    client, booking, association_member, teacher, django_capture_on_commit_callbacks
):
    """ "Afvis" has a field for the reason; the school's e-mail gives it, as the association's
    message (not as one from the school's leader)."""
    from django.core import mail

    client.force_login(association_member)
    page = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert 'id="decline-note"' in page
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("bookings:action", args=[booking.pk, "decline"]),
            {"note": "Vi har ingen instruktør den dag."},
        )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.state == "declined"
    to_school = [m for m in mail.outbox if teacher.email in m.to]
    assert to_school, [m.to for m in mail.outbox]
    assert "Besked fra foreningen: Vi har ingen instruktør den dag." in to_school[0].body
    assert "skolens ledelse" not in to_school[0].body
