"""Network meetings and events: invitations e-mailed once, sign-ups with a number of
participants, the waiting list that moves up when someone cancels, double clicks, and the
last seat under concurrency (PostgreSQL)."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from notifications.models import Notification
from partnerships.network import services
from partnerships.network.models import EventInvitation, NetworkEvent, Registration
from tests import factories as f
from tests.bookings.conftest import run_concurrently

from .conftest import make_partnership
from .network_helpers import make_event

pytestmark = pytest.mark.django_db

INVITE = services.INVITATION_KIND
PLACE = services.PLACE_KIND


def emails(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("to_email", flat=True))


def test_inviting_every_partner_emails_each_resource_person_once(
    municipality, consultant, partnership, club, foreign_partnership
):
    other = make_partnership(
        municipality, consultant, institution=club, resource_email="nadia@example.org"
    )
    ended = make_partnership(
        municipality,
        consultant,
        association=f.AssociationFactory(municipalities=[municipality]),
        resource_email="ended@example.org",
    )
    Partnership = type(ended)
    Partnership.objects.filter(pk=ended.pk).update(state="ended")
    event = make_event(municipality)
    assert services.invite(event, everyone=True) == 2
    assert sorted(event.invitations.values_list("partnership_id", flat=True)) == sorted(
        [partnership.pk, other.pk]
    )
    assert emails(INVITE) == ["nadia@example.org", "sara@example.org"]
    # Saving again, or inviting again: nobody gets a second e-mail.
    assert services.invite(event, everyone=True) == 0
    assert services.invite(event, [partnership]) == 0
    assert services.send_invitations(event) == 0
    assert len(emails(INVITE)) == 2
    assert not EventInvitation.objects.filter(partnership=foreign_partnership).exists()


def test_a_selection_of_partners_and_never_another_municipalitys(
    municipality, partnership, foreign_partnership
):
    event = make_event(municipality)
    services.invite(event, [partnership, foreign_partnership])
    assert list(event.invitations.values_list("partnership_id", flat=True)) == [partnership.pk]


def test_the_invitation_email_names_the_event(municipality, partnership):
    from tests.outbox import written

    event = make_event(municipality, title="Temamøde om frivillige")
    services.invite(event, [partnership])
    row = written(Notification.objects.get(kind=INVITE))
    assert "Temamøde om frivillige" in row.subject
    assert "Kulturværftet" in row.body_text
    assert event.get_absolute_url() in row.body_text


def test_sign_up_takes_seats_and_a_full_room_puts_the_next_on_the_waiting_list(
    municipality, association, other_association, school, association_member, teacher
):
    event = make_event(municipality, capacity=5)
    first = services.register(event, association, user=association_member, participants=3)
    second = services.register(event, other_association, user=association_member, participants=3)
    third = services.register(event, school, user=teacher, participants=2)
    assert (first.state, second.state, third.state) == ("confirmed", "waiting", "confirmed")
    assert event.taken() == 5 and event.free() == 0


def test_cancelling_moves_the_waiting_list_up_in_order_and_emails_once(
    municipality, association, other_association, school, other_school, association_member
):
    event = make_event(municipality, capacity=5)
    waiter = f.UserFactory()
    later = f.UserFactory()
    seated = services.register(event, association, user=association_member, participants=3)
    services.register(event, f.SchoolFactory(municipality=municipality), user=later, participants=2)
    big = services.register(event, other_association, user=f.UserFactory(), participants=5)
    waiting = services.register(event, school, user=waiter, participants=3)
    last = services.register(event, other_school, user=later, participants=3)
    assert [r.state for r in (big, waiting, last)] == ["waiting"] * 3

    services.cancel(seated, by=association_member)
    states = dict(Registration.objects.values_list("pk", "state"))
    # The party of five does not fit the three free seats; the next in line does; then
    # there is no room for the last.
    assert states[big.pk] == "waiting"
    assert states[waiting.pk] == "confirmed"
    assert states[last.pk] == "waiting"
    assert emails(PLACE) == [waiter.email]
    services.cancel(seated, by=association_member)  # a second click: nothing more
    assert emails(PLACE) == [waiter.email]


def test_a_bigger_room_moves_the_waiting_list_up(municipality, school, teacher, association):
    event = make_event(municipality, capacity=2)
    services.register(event, association, user=f.UserFactory(), participants=2)
    waiting = services.register(event, school, user=teacher, participants=2)
    NetworkEvent.objects.filter(pk=event.pk).update(capacity=4)
    services.change_capacity(event)
    waiting.refresh_from_db()
    assert waiting.state == "confirmed"
    assert emails(PLACE) == [teacher.email]


def test_the_same_form_sent_twice_signs_up_once(municipality, association, association_member):
    event = make_event(municipality, capacity=5)
    key = uuid.uuid4()
    first = services.register(
        event, association, user=association_member, participants=2, submit_key=key
    )
    again = services.register(
        event, association, user=association_member, participants=2, submit_key=key
    )
    assert again.pk == first.pk
    assert Registration.objects.count() == 1


def test_a_new_answer_changes_the_number_within_the_free_seats(
    municipality, association, school, association_member, teacher
):
    event = make_event(municipality, capacity=5)
    row = services.register(event, association, user=association_member, participants=2)
    services.register(event, school, user=teacher, participants=2)
    changed = services.register(event, association, user=association_member, participants=3)
    assert changed.pk == row.pk and changed.participants == 3
    with pytest.raises(ValidationError) as error:
        services.register(event, association, user=association_member, participants=4)
    assert error.value.code == "full"
    row.refresh_from_db()
    assert row.participants == 3


def test_a_party_cannot_bring_more_than_the_room_holds(municipality, association, teacher):
    event = make_event(municipality, capacity=3)
    with pytest.raises(ValidationError) as error:
        services.register(event, association, user=teacher, participants=4)
    assert error.value.code == "too_many"


def test_no_sign_up_or_cancel_once_the_event_has_begun(municipality, association, teacher):
    event = make_event(municipality)
    row = services.register(event, association, user=teacher, participants=1)
    NetworkEvent.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(ValidationError):
        services.register(event, association, user=teacher, participants=2)
    with pytest.raises(ValidationError):
        services.cancel(row)


def test_the_database_refuses_a_second_active_answer_per_party(municipality, association):
    event = make_event(municipality)
    Registration.objects.create(
        event=event, association=association, participants=1, state="waiting"
    )
    with pytest.raises(IntegrityError):
        Registration.objects.create(
            event=event, association=association, participants=1, state="confirmed"
        )


def test_upcoming_open_events_of_the_municipality_only(municipality, other_municipality):
    soon = make_event(municipality, audience="open", title="Videndeling")
    make_event(municipality, title="Kun partnere")
    make_event(other_municipality, audience="open", title="Andetsteds")
    past_start = timezone.now() - timedelta(days=3)
    make_event(municipality, audience="open", title="Holdt", starts_at=past_start)
    assert list(NetworkEvent.objects.upcoming_open(municipality)) == [soon]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_for_the_last_seats_give_them_to_one():
    municipality = f.MunicipalityFactory()
    event = make_event(municipality, capacity=3)
    first = f.SchoolFactory(municipality=municipality)
    services.register(event, first, user=f.UserFactory(), participants=1)
    staff = [f.SchoolMembershipFactory(school__municipality=municipality) for _ in range(12)]

    def work(i):
        return services.register(event, staff[i].school, user=staff[i].user, participants=2)

    results = run_concurrently(12, work)
    assert all(isinstance(r, Registration) for r in results), results
    assert sorted(r.state for r in results) == ["confirmed"] + ["waiting"] * 11
    assert event.taken() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_at_the_same_moment_signs_up_once():
    municipality = f.MunicipalityFactory()
    event = make_event(municipality, capacity=10)
    member = f.AssociationMembershipFactory(association__municipalities=[municipality])
    key = uuid.uuid4()

    def work(_i):
        return services.register(
            event, member.association, user=member.user, participants=2, submit_key=key
        )

    results = run_concurrently(4, work)
    assert all(isinstance(r, Registration) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Registration.objects.count() == 1
