"""The recipe of `seed_demo`. Every step finds what an earlier run made, so it can run again."""

from django.db import transaction
from django.utils import timezone

from bookings.models import Booking

from . import associations, bookings, knowledge, maps, network, partnerships, people, schools
from .cast import Cast


@transaction.atomic
def seed(stdout=None) -> None:
    now = timezone.now()
    municipality = people.create_municipalities()
    people.create_consultant(municipality)
    people.create_operator()
    school_by_slug = schools.create_schools(municipality)
    people.create_school_staff(school_by_slug, now)
    association_by_slug = associations.create_associations(municipality, now)
    people.create_association_members(association_by_slug)
    offers = associations.create_offers(association_by_slug, now)
    associations.let_a_certificate_run_out(now)
    associations.create_draft_offer(association_by_slug["helsingor-roklub"])
    associations.create_offer_dates(offers, timezone.localdate())
    partnerships.create_focus_areas()
    partnerships.create_leisure_institutions(municipality)
    partnerships.create_partnerships(municipality, timezone.localdate())
    partnerships.create_action_plan(municipality)
    partnerships.create_figures(municipality, timezone.localdate())
    partnerships.create_institution_plan(municipality)
    maps.create_map_areas(municipality)
    network.create_network_events(municipality, timezone.localdate())
    partnerships.create_status_meetings(municipality, timezone.localdate())
    # The activity below is there from an earlier run when there are bookings.
    if not Booking.objects.filter(school__municipality=municipality).exists():
        create_activity(Cast.of(municipality))
        if stdout:
            stdout.write("Demo bookings, evaluations, needs, events and a subsidy pool created.")
    knowledge.create_knowledge(municipality)


def create_activity(cast: Cast) -> None:
    """What schools, associations and the consultant have done: bookings in every state,
    evaluations, events, needs, a subsidy pool, an offer edit to screen and a resubmission
    after a change request."""
    bookings.create_subsidy_pool(cast)
    bookings.request_bookings(cast)
    bookings.fill_a_date(cast)
    bookings.propose_alternative_date(cast)
    bookings.decline_request(cast)
    bookings.expire_request(cast)
    bookings.cancel_booking(cast)
    bookings.await_leader_approval(cast)
    bookings.create_past_bookings(cast)
    schools.create_school_events(cast)
    schools.create_school_needs(cast)
    associations.submit_offer_edit(cast)
    associations.answer_change_request(cast)
