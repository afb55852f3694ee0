"""Money is clear before booking: the booking form shows who pays what under the subsidy
pool's rules (the same computation the request stores and the confirmation reserves), and a
municipality can make dearer bookings wait for a school leader's approval before the
association receives them."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from bookings import services
from bookings.models import Booking, Occasion, SubsidyPool
from bookings.schoolyear import school_year_of
from bookings.states import Actor, BookingState, BookingTransition, TransitionNotAllowed
from notifications.models import Notification
from tests import factories as f
from tests.outbox import written

from .conftest import make_booking, request_form, run_concurrently, school_day

T = BookingTransition
B = BookingState
D = Decimal


def _pool(municipality, **kw):
    data = {
        "amount": D("10000"),
        "municipality_share_percent": 50,
        "school_year": school_year_of(school_day(20).date()),
    }
    data.update(kw)
    return SubsidyPool.objects.create(municipality=municipality, **data)


def _require_approval_above(municipality, amount):
    municipality.leader_approval_above = D(amount)
    municipality.save()


def _preview(client, user, offer, data):
    client.force_login(user)
    page = client.post(reverse("bookings:book_offer", args=[offer.slug]), {**data, "calculate": 1})
    assert page.status_code == 200
    return page


def _earlier_confirmed(teacher, school, hourly_offer, member, sessions):
    """A confirmed booking of the school that used the pool already."""
    start = school_day(25)
    booking = make_booking(
        teacher,
        school,
        hourly_offer,
        preferred=[(start, start + timedelta(hours=1))],
        sessions=sessions,
    )
    return services.transition(booking, T.CONFIRM, user=member, actor=Actor.ASSOCIATION)


# --- The price before booking -------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "earlier_sessions", "municipality_pays", "limits"),
    [
        ({}, 0, D("900.00"), ()),  # 6 sessions × 300 DKK = 1800, half of it
        ({"municipality_share_percent": 25}, 0, D("450.00"), ()),
        ({"max_hourly_rate": D("250")}, 0, D("750.00"), ("hourly_rate",)),  # 250 × 6 / 2
        ({"cap_per_booking": D("400")}, 0, D("400.00"), ("booking_cap",)),
        # 2 earlier sessions: 300 of the school's 1000 are used; 700 left for this one
        ({"cap_per_school": D("1000")}, 2, D("700.00"), ("school_cap",)),
        ({"amount": D("120")}, 0, D("120.00"), ("left",)),
    ],
)
def test_the_form_shows_both_shares_and_they_are_what_the_confirmation_reserves(
    client,
    teacher,
    school,
    municipality,
    hourly_offer,
    association_member,
    rules,
    earlier_sessions,
    municipality_pays,
    limits,
):
    pool = _pool(municipality, **rules)
    if earlier_sessions:
        _earlier_confirmed(teacher, school, hourly_offer, association_member, earlier_sessions)
    data = request_form(school, teacher)
    page = _preview(client, teacher, hourly_offer, data)
    split = page.context["split"]
    assert (split.price, split.municipality) == (D("1800.00"), municipality_pays)
    assert split.school == D("1800.00") - municipality_pays and split.limits == limits
    html = page.content.decode()
    shown = re.search(r'id="municipality-share">([^<]*)<', html).group(1)
    assert shown.startswith(f"{municipality_pays:,.0f}".replace(",", "."))
    assert 'id="pool-rules"' in html and not Booking.objects.filter(sessions=6).exists()

    client.post(reverse("bookings:book_offer", args=[hourly_offer.slug]), data)
    booking = Booking.objects.get(sessions=6)
    # Stored on the request as expected, shown on its page before any answer...
    assert (booking.municipality_share, booking.school_share) == (split.municipality, split.school)
    detail = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert 'id="price-split"' in detail
    # ...and reserved from the pool when the association confirms.
    booking = services.transition(
        booking, T.CONFIRM, user=association_member, actor=Actor.ASSOCIATION
    )
    assert (booking.municipality_share, booking.school_share) == (split.municipality, split.school)
    pool.refresh_from_db()
    assert pool.reserved == split.municipality + (
        D("300.00") * earlier_sessions / 2 if earlier_sessions else 0
    )


def test_without_a_pool_the_school_pays_the_whole_price(client, teacher, school, hourly_offer):
    page = _preview(client, teacher, hourly_offer, request_form(school, teacher))
    split = page.context["split"]
    assert (split.price, split.municipality, split.school) == (D("1800.00"), 0, D("1800.00"))
    assert "skolen betaler hele prisen" in page.content.decode()


def test_a_free_offer_shows_no_shares(client, teacher, school, municipality, association):
    _pool(municipality)
    offer = f.OfferFactory(association=association, published=True, on_request=True)
    page = _preview(client, teacher, offer, request_form(school, teacher))
    assert page.context["split"].price == 0 and 'id="price-split"' not in page.content.decode()


# --- The leader's approval: when it is needed ----------------------------------------------


@pytest.fixture
def dear(municipality, department_head):
    """A pool paying half, and approval above 500 DKK for the school: 1800 DKK asks for it."""
    _pool(municipality)
    _require_approval_above(municipality, "500")
    return department_head


def test_the_form_warns_that_a_leader_must_approve(client, teacher, school, hourly_offer, dear):
    page = _preview(client, teacher, hourly_offer, request_form(school, teacher))
    assert page.context["needs_approval"] and 'id="approval-needed"' in page.content.decode()


def test_above_the_amount_the_request_waits_for_the_leader_unseen_by_the_association(
    client, teacher, school, hourly_offer, dear, association
):
    client.force_login(teacher)
    response = client.post(
        reverse("bookings:book_offer", args=[hourly_offer.slug]), request_form(school, teacher)
    )
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert booking.state == B.AWAITING_APPROVAL and not booking.sent_to_association
    assert booking.school_share == D("900.00")
    sent = Notification.objects.all()
    assert [(n.to_email, n.kind) for n in sent] == [(dear.email, "booking.approval")]
    assert "900" in written(sent[0]).body_text and not sent.filter(
        to_email=association.contact_email
    )
    page = client.get(response["Location"])
    assert "godkendelse fra en skoleleder eller afdelingsleder" in page.content.decode()


def test_at_or_below_the_amount_the_request_goes_straight_to_the_association(
    client, teacher, school, municipality, hourly_offer, department_head, association
):
    _pool(municipality)
    _require_approval_above(municipality, "900")  # the school pays exactly 900: no approval
    client.force_login(teacher)
    client.post(
        reverse("bookings:book_offer", args=[hourly_offer.slug]), request_form(school, teacher)
    )
    booking = Booking.objects.get()
    assert booking.state == B.REQUESTED and booking.sent_to_association
    assert Notification.objects.filter(to_email=association.contact_email).exists()
    assert not Notification.objects.filter(kind="booking.approval").exists()


def test_without_a_threshold_nothing_waits(teacher, school, municipality, hourly_offer):
    _pool(municipality)
    assert make_booking(teacher, school, hourly_offer, sessions=6).state == B.REQUESTED


def test_a_leaders_own_request_needs_no_approval(school, hourly_offer, dear):
    booking = make_booking(dear, school, hourly_offer, sessions=6)
    assert booking.state == B.REQUESTED and booking.sent_to_association


def test_no_leader_in_the_portal_refuses_the_request_and_holds_nothing(
    client, teacher, school, municipality, association
):
    _require_approval_above(municipality, "100")
    offer = f.OfferFactory(
        association=association,
        published=True,
        on_request=False,
        price_model="per_class",
        price_amount=D("500"),
    )
    start = school_day(30)
    occasion = Occasion.objects.create(
        offer=offer, starts_at=start, ends_at=start + timedelta(hours=2), capacity=2
    )
    client.force_login(teacher)
    page = client.post(
        reverse("bookings:book_offer", args=[offer.slug]),
        {
            "school": school.pk,
            "occasion": occasion.pk,
            "classes": "5.A",
            "class_count": 1,
            "grade": 5,
            "pupils": 22,
            "contact_teacher": teacher.pk,
        },
    )
    assert page.status_code == 200 and "ingen af dem bruger portalen" in page.content.decode()
    occasion.refresh_from_db()
    assert not Booking.objects.exists() and occasion.reserved == 0


# --- Places while waiting ------------------------------------------------------------------


@pytest.fixture
def dear_occasion(association, municipality, dear):
    """A date with two places of an offer at 2000 DKK per class: the school pays 1000."""
    offer = f.OfferFactory(
        association=association,
        published=True,
        on_request=False,
        price_model="per_class",
        price_amount=D("2000"),
    )
    start = school_day(30)
    return Occasion.objects.create(
        offer=offer, starts_at=start, ends_at=start + timedelta(hours=2), capacity=2
    )


def test_a_waiting_request_holds_its_places_and_a_refusal_frees_them(
    teacher, school, dear, dear_occasion
):
    booking = make_booking(teacher, school, dear_occasion.offer, dear_occasion, class_count=2)
    dear_occasion.refresh_from_db()
    assert booking.state == B.AWAITING_APPROVAL and dear_occasion.reserved == 2
    with pytest.raises(services.OccasionFull):  # the capacity holds while it waits
        make_booking(teacher, school, dear_occasion.offer, dear_occasion)
    services.transition(booking, T.DISAPPROVE, user=dear, actor=Actor.LEADER, note="For dyrt")
    dear_occasion.refresh_from_db()
    assert dear_occasion.reserved == 0


def test_approved_it_keeps_its_places_and_the_association_gets_its_full_time(
    teacher, school, dear, dear_occasion, association
):
    booking = make_booking(teacher, school, dear_occasion.offer, dear_occasion)
    Booking.objects.filter(pk=booking.pk).update(answer_deadline=booking.created_at)
    approved = services.transition(booking, T.APPROVE, user=dear, actor=Actor.LEADER)
    dear_occasion.refresh_from_db()
    assert approved.state == B.REQUESTED and dear_occasion.reserved == 1
    assert approved.answer_deadline > booking.created_at + timedelta(days=13)
    assert Notification.objects.filter(
        to_email=association.contact_email, kind="booking.requested"
    ).exists()


def test_an_unanswered_approval_expires_and_frees_the_places(
    teacher, school, dear, dear_occasion, association
):
    booking = make_booking(teacher, school, dear_occasion.offer, dear_occasion)
    Booking.objects.filter(pk=booking.pk).update(answer_deadline=booking.created_at)
    assert services.expire_overdue() == 1
    booking.refresh_from_db()
    dear_occasion.refresh_from_db()
    assert booking.state == B.EXPIRED and dear_occasion.reserved == 0
    assert not Notification.objects.filter(to_email=association.contact_email).exists()


# --- The leader decides on "My school" -----------------------------------------------------


@pytest.fixture
def waiting(teacher, school, hourly_offer, dear):
    return make_booking(teacher, school, hourly_offer, sessions=6)


def test_my_school_lists_it_for_the_leader_who_approves_it_there(
    client, settings, waiting, dear, teacher, association, django_capture_on_commit_callbacks
):
    settings.PAGECACHE_ENABLED = True  # the list is cached: the decision must renew it
    client.force_login(dear)
    page = client.get(reverse("bookings:my_school")).content.decode()
    assert (
        'id="to-approve"' in page and reverse("bookings:decide_approval", args=[waiting.pk]) in page
    )
    with django_capture_on_commit_callbacks(execute=True):  # the generations bump on commit
        response = client.post(
            reverse("bookings:decide_approval", args=[waiting.pk]),
            {"decision": "approve", "note": "God idé", "back": "my_school"},
        )
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("bookings:my_school")
    )
    waiting.refresh_from_db()
    assert waiting.state == B.REQUESTED and waiting.sent_to_association
    assert 'id="to-approve"' not in client.get(reverse("bookings:my_school")).content.decode()
    assert Notification.objects.filter(to_email=association.contact_email).exists()
    told = Notification.objects.get(to_email=teacher.email, kind="booking.approval_answer")
    assert "God idé" in written(told).body_text


def test_a_new_request_renews_the_leaders_cached_list(
    client, settings, teacher, school, hourly_offer, dear, django_capture_on_commit_callbacks
):
    settings.PAGECACHE_ENABLED = True
    client.force_login(dear)
    assert 'id="to-approve"' not in client.get(reverse("bookings:my_school")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        booking = make_booking(teacher, school, hourly_offer, sessions=6)
    page = client.get(reverse("bookings:my_school")).content.decode()
    assert reverse("bookings:decide_approval", args=[booking.pk]) in page


def test_a_teacher_sees_it_waiting_but_no_decision(client, settings, waiting, teacher):
    settings.PAGECACHE_ENABLED = True
    client.force_login(teacher)
    page = client.get(reverse("bookings:my_school")).content.decode()
    assert 'id="to-approve"' not in page and reverse("bookings:detail", args=[waiting.pk]) in page
    detail = client.get(reverse("bookings:detail", args=[waiting.pk])).content.decode()
    assert 'id="approval"' in detail
    assert reverse("bookings:decide_approval", args=[waiting.pk]) not in detail


def test_not_approved_the_teacher_is_told_the_leaders_reason(
    client, waiting, dear, teacher, association
):
    client.force_login(dear)
    url = reverse("bookings:decide_approval", args=[waiting.pk])
    client.post(url, {"decision": "disapprove", "note": ""})  # a reason is required
    waiting.refresh_from_db()
    assert waiting.state == B.AWAITING_APPROVAL
    client.post(url, {"decision": "disapprove", "note": "Budgettet er brugt"})
    waiting.refresh_from_db()
    assert waiting.state == B.NOT_APPROVED and not waiting.sent_to_association
    told = Notification.objects.get(to_email=teacher.email, kind="booking.approval_answer")
    assert "Budgettet er brugt" in written(told).body_text
    assert not Notification.objects.filter(to_email=association.contact_email).exists()
    assert waiting in Booking.objects.for_school(waiting.school).past()


# --- The e-mail link -----------------------------------------------------------------------


def _link_path(leader) -> str:
    row = Notification.objects.get(to_email=leader.email, kind="booking.approval")
    body = written(row).body_text
    url = re.search(r"https?://\S+/bookings/approval/\S+/", body).group(0)
    return "/" + url.split("/", 3)[3]


def test_the_e_mail_link_opens_the_booking_for_the_signed_in_leader_only(
    client, waiting, dear, association_member
):
    path = _link_path(dear)
    response = client.get(path)  # not signed in: to the log-in, nothing decided
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(association_member)
    assert client.get(path).status_code == 404
    client.force_login(dear)
    response = client.get(path)
    assert response["Location"] == reverse("bookings:detail", args=[waiting.pk]) + "#approval"
    waiting.refresh_from_db()
    assert waiting.state == B.AWAITING_APPROVAL  # opening the link decides nothing
    detail = client.get(response["Location"]).content.decode()
    assert reverse("bookings:decide_approval", args=[waiting.pk]) in detail
    assert client.get(path[:-3] + "xx/").status_code == 404  # a forged token


def test_a_second_click_changes_nothing(client, waiting, dear, association):
    client.force_login(dear)
    url = reverse("bookings:decide_approval", args=[waiting.pk])
    client.post(url, {"decision": "approve"})
    response = client.post(url, {"decision": "disapprove", "note": "Alligevel ikke"}, follow=True)
    assert response.status_code == 200
    waiting.refresh_from_db()
    assert waiting.state == B.REQUESTED
    assert Notification.objects.filter(to_email=association.contact_email).count() == 1
    assert client.get(_link_path(dear)).status_code == 302  # the link still only opens it


def test_the_leaders_e_mail_is_delivered_with_its_link(
    teacher, school, hourly_offer, dear, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_booking(teacher, school, hourly_offer, sessions=6)
    assert mailbox.wait_for(1) == 1
    text = mailbox.to(dear.email)[0].get_body(("plain",)).get_content()
    assert "/bookings/approval/" in text and "900" in text


# --- Who may decide, who sees it -----------------------------------------------------------


def test_a_teacher_cannot_approve(client, waiting, teacher):
    client.force_login(teacher)
    response = client.post(
        reverse("bookings:decide_approval", args=[waiting.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    client.post(reverse("bookings:action", args=[waiting.pk, "approve"]))  # as the school
    waiting.refresh_from_db()
    assert waiting.state == B.AWAITING_APPROVAL
    with pytest.raises(TransitionNotAllowed):  # the service asks too
        services.transition(waiting, T.APPROVE, user=teacher, actor=Actor.LEADER)
    waiting.refresh_from_db()
    assert waiting.state == B.AWAITING_APPROVAL


def test_another_schools_leader_cannot_approve(client, waiting, other_school):
    leader = f.SchoolMembershipFactory(school=other_school, role="principal").user
    client.force_login(leader)
    response = client.post(
        reverse("bookings:decide_approval", args=[waiting.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    assert client.get(reverse("bookings:detail", args=[waiting.pk])).status_code == 404
    waiting.refresh_from_db()
    assert waiting.state == B.AWAITING_APPROVAL


def test_the_association_does_not_see_a_waiting_request(
    client, waiting, association, association_member, dear
):
    client.force_login(association_member)
    assert client.get(reverse("bookings:detail", args=[waiting.pk])).status_code == 404
    page = client.get(reverse("bookings:my_association_bookings", args=[association.pk]))
    assert waiting.offer.title not in page.content.decode()
    assert b"BEGIN:VEVENT" not in client.get(reverse("bookings:my_ics")).content
    assert not Booking.objects.visible_to(association_member).exists()
    services.transition(waiting, T.APPROVE, user=dear, actor=Actor.LEADER)
    assert client.get(reverse("bookings:detail", args=[waiting.pk])).status_code == 200
    page = client.get(reverse("bookings:my_association_bookings", args=[association.pk]))
    assert waiting.offer.title in page.content.decode()


def test_the_amount_is_a_rule_the_municipality_edits_in_the_admin(admin_client, municipality):
    page = admin_client.get(
        reverse("admin:municipalities_municipality_change", args=[municipality.pk])
    )
    assert b'name="leader_approval_above"' in page.content


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_the_last_place_that_wait_for_approval_give_one():
    municipality = f.MunicipalityFactory(leader_approval_above=D("100"))
    association = f.AssociationFactory(municipalities=[municipality])
    offer = f.OfferFactory(
        association=association,
        published=True,
        on_request=False,
        price_model="per_class",
        price_amount=D("1000"),
    )
    start = school_day(30)
    occasion = Occasion.objects.create(
        offer=offer, starts_at=start, ends_at=start + timedelta(hours=1), capacity=3, reserved=2
    )
    staff = [f.SchoolMembershipFactory(school__municipality=municipality) for _ in range(8)]
    for m in staff:
        f.SchoolMembershipFactory(school=m.school, role="principal")

    results = run_concurrently(
        8, lambda i: make_booking(staff[i].user, staff[i].school, offer, occasion)
    )

    booked = [r for r in results if isinstance(r, Booking)]
    assert len(booked) == 1 and booked[0].state == B.AWAITING_APPROVAL
    assert all(isinstance(r, services.OccasionFull) for r in results if r not in booked)
    occasion.refresh_from_db()
    assert occasion.reserved == 3


def test_a_request_awaiting_approval_is_in_the_leaders_list_only(client, waiting, dear, teacher):
    """It waits inside the school: the leader decides it; the teacher sees it wait for the
    leader, not in "waiting for your answer" nor as waiting for the association."""
    client.force_login(teacher)
    page = client.get(reverse("bookings:my_school"))
    assert list(page.context["awaiting"]) == [waiting] and page.context["to_approve"] == []
    assert page.context["waiting"] == [] and page.context["requested"] == []
    html = page.content.decode()
    start = html.index('id="awaiting-heading"')
    assert reverse("bookings:detail", args=[waiting.pk]) in html[start : html.index("</ul>", start)]
    client.force_login(dear)
    page = client.get(reverse("bookings:my_school"))
    assert list(page.context["to_approve"]) == [waiting] and page.context["awaiting"] == []
    assert page.context["waiting"] == [] and page.context["requested"] == []
