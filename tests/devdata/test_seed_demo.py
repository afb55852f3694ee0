"""seed_demo (`make run`): idempotent, every offer with a drawn photo, one working login per role."""

import contextlib
import io
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone, translation

from associations.models import Association, Offer, OfferPhoto
from bookings.models import Booking, Occasion
from devdata.demo.data import CONSULTANT, DEMO_PASSWORD, OFFERS, SCHOOL_STAFF
from municipalities.models import Municipality
from portal.uploads import validate_image
from schools.models import School


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (
        Municipality.objects.count(),
        School.objects.count(),
        Association.objects.count(),
        Offer.objects.count(),
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == (
        Municipality.objects.count(),
        School.objects.count(),
        Association.objects.count(),
        Offer.objects.count(),
    )
    assert Offer.objects.published().count() >= 8
    # One approved offer is hidden from schools: a child certificate ran out.
    assert [o.slug for o in Offer.objects.hidden_by_certificates()] == ["helsingor-roklub-1"]
    # Every offer but the half-done draft has one drawn illustration (not duplicated by the
    # second run), a valid image the upload checks accept, and a description for screen readers.
    draft = Offer.objects.get(state="draft")
    assert draft.missing_for_submission() and draft.weekdays == "" and not draft.on_request
    assert OfferPhoto.objects.count() == Offer.objects.exclude(pk=draft.pk).count()
    photo = OfferPhoto.objects.first()
    validate_image(photo.image)
    assert photo.alt_text.startswith("Tegning: ")


@pytest.mark.django_db
def test_demo_login_per_role_works(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8010"  # make run PORT=8010
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Log in at http://127.0.0.1:8010/login/" in out.getvalue()
    response = client.post(
        reverse("accounts:login"), {"username": SCHOOL_STAFF[0][0], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(
        reverse("accounts:login"), {"username": CONSULTANT["email"], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def _dates_of_the_demo():
    """(offer, what, aware datetime) for every date the demo gave an offer."""
    for occasion in Occasion.objects.select_related("offer").prefetch_related("sessions"):
        yield occasion.offer, f"date {occasion.pk}", occasion.starts_at
        for session in occasion.sessions.all():
            yield occasion.offer, f"session of date {occasion.pk}", session.starts_at
    for booking in Booking.objects.select_related("offer"):
        yield booking.offer, f"booking {booking.pk}", booking.starts_at
        for start, _end in booking.preferred_dates:
            yield booking.offer, f"preferred by {booking.pk}", datetime.fromisoformat(start)
        if booking.proposed_starts_at:
            yield booking.offer, f"proposed for {booking.pk}", booking.proposed_starts_at


@pytest.mark.django_db
@pytest.mark.parametrize("today", [None, date(2027, 6, 21), date(2027, 9, 6)])
def test_every_demo_date_lies_in_its_offers_season(today):
    """The dates of the demo (made through the services, which refuse dates outside an
    offer's season) fit the seasons on any day the demo is seeded: in winter (now, when
    the test was written), at midsummer and in early autumn."""
    travel = (
        time_machine.travel(datetime.combine(today, time(10), tzinfo=UTC), tick=True)
        if today
        else contextlib.nullcontext()
    )
    with travel:
        call_command("seed_demo", stdout=io.StringIO())
    checked = 0
    for offer, what, start in _dates_of_the_demo():
        day = timezone.localtime(start).date()
        assert offer.in_season(day), (
            f"{what} of {offer.title!r} on {day} (week {day.isocalendar().week}) is outside "
            f"weeks {offer.season_start_week}-{offer.season_end_week}"
        )
        checked += 1
    assert checked >= 20
    assert Occasion.objects.filter(offer__title="Prøv kajak på Øresund").count() == 3


@pytest.mark.django_db
def test_the_demo_texts_belong_to_their_offers():
    """The edit waiting for the consultant changes its own offer's summary (not another
    offer's), the alternative date's note names its weekday, and an offer held elsewhere
    names its place."""
    call_command("seed_demo", stdout=io.StringIO())
    edit = Offer.objects.get(revision_of__isnull=False)
    live = edit.revision_of
    assert edit.summary.startswith(live.summary)
    assert edit.summary.endswith(f"nu også for {edit.grade_min}. klasse")
    assert edit.grade_min == live.grade_min - 1
    proposed = Booking.objects.get(proposed_starts_at__isnull=False)
    with translation.override("da"):
        weekday = formats.date_format(timezone.localtime(proposed.proposed_starts_at), "l")
    note = proposed.events.get(note__endswith="passer os bedre.").note
    assert note.lower().startswith(weekday.lower())
    assert Offer.objects.get(title="Bål, knob og førstehjælp").location_address.startswith(
        "Krogenberg Hegn"
    )
    # Each of the demo's summaries is its own offer's.
    for row in OFFERS:
        assert Offer.objects.filter(title=row[1], summary=row[2], revision_of=None).exists()


@pytest.mark.django_db
def test_demo_consultant_can_reject_and_sees_a_resubmission(client):
    from accounts.models import User
    from screening.services import resubmission

    call_command("seed_demo", stdout=io.StringIO())
    consultant = User.objects.get(email=CONSULTANT["email"])
    assert consultant.consultant_municipality.rejection_reasons.active().count() >= 6
    (answered,) = [o for o in Offer.objects.filter(state="submitted") if resubmission(o)]
    fields = [name for name, *_rest in resubmission(answered).changes]
    assert fields == ["learning_goals", "what_to_bring"]


@pytest.mark.django_db
def test_the_demo_shows_a_booking_waiting_for_the_leaders_approval(client):
    from bookings.models import Booking

    call_command("seed_demo", stdout=io.StringIO())
    waiting = Booking.objects.get(state="awaiting_approval")
    assert waiting.school_share > waiting.school.municipality.leader_approval_above
    client.post(
        reverse("accounts:login"), {"username": SCHOOL_STAFF[1][0], "password": DEMO_PASSWORD}
    )
    page = client.get(reverse("bookings:my_school")).content.decode()
    assert reverse("bookings:decide_approval", args=[waiting.pk]) in page


@pytest.mark.django_db
def test_demo_has_partnerships_and_focus_areas(client):
    from partnerships.models import ActionPlan, FocusArea, Partnership

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    helsingor = Municipality.objects.get(slug="helsingor")
    assert sorted((str(p), p.state) for p in Partnership.objects.all()) == [
        ("Helsingør Roklub", "active"),
        ("Klub Espergærde", "proposed"),
    ]
    for municipality in Municipality.objects.all():
        assert FocusArea.objects.filter(municipality=municipality).count() == 12
    assert ActionPlan.objects.count() == 2
    plan = ActionPlan.objects.get(partnership__association__isnull=False)
    club_plan = ActionPlan.objects.get(partnership__institution__isnull=False)
    # Both partnerships have a plan in force (issue 21's demo).
    assert plan.state == "approved" and plan.partnership.association is not None
    assert plan.automatic_checks()[0].passed
    # The youth club's plan, written by the consultant, is in force and printable.
    assert club_plan.state == "approved" and str(club_plan.partnership) == "Klub Espergærde"
    assert club_plan.automatic_checks()[0].passed
    client.force_login(helsingor.schools.get(slug="espergaerde-skole").memberships.first().user)
    page = client.get(reverse("partnerships:school"), HTTP_ACCEPT_LANGUAGE="da")
    assert [str(p) for p in page.context["partnerships"]] == ["Helsingør Roklub", "Klub Espergærde"]
    assert reverse("partnerships:plan_pdf", args=[club_plan.pk]) in page.content.decode()
    pdf = client.get(reverse("partnerships:plan_pdf", args=[club_plan.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    html = page.content.decode()
    # The rowing club's status meetings: one held with minutes, one coming; no internal note.
    assert "Statusmøde med ressourcepersonen" in html and "Statusmøde med bestyrelsen" in html
    assert "Ny prøvedag for 5. årgang" in html and "Bagud" in html
    assert "lørdagen; følg op" not in html
    from partnerships.meetings import GoalStatus, StatusMeeting

    assert sorted(StatusMeeting.objects.values_list("state", flat=True)) == ["held", "planned"]
    assert GoalStatus.objects.count() == 2


@pytest.mark.django_db
def test_the_demo_knowledge_bank(client):
    from knowledge.models import Category, Item
    from portal.uploads import document_type

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    items = Item.objects.published()
    assert items.count() == 10
    assert Category.objects.filter(items__in=items).distinct().count() == 3
    examples = items.filter(kind="example")
    assert examples.count() == 2
    proposed = examples.get(source="school")
    assert proposed.offer is not None and proposed.photos.count() == 1
    for item in items.exclude(file=""):
        with item.file.open("rb") as handle:
            assert document_type(handle) == item.file.name.rsplit(".", 1)[1]
    assert client.get("/knowledge/").status_code == 200
    assert proposed.title in client.get(proposed.offer.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_demo_has_a_map(client):
    from geo.models import MapArea

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # again: nothing doubled
    assert MapArea.objects.count() == 2
    assert not Association.objects.published().filter(latitude__isnull=True).exists()
    assert not School.objects.filter(latitude__isnull=True).exists()
    response = client.get("/map/?municipality=helsingor")
    kinds = {m["kind"] for m in response.context["map_data"]["markers"]}
    assert kinds == {"association", "place", "school"}
    areas = [a["properties"]["name"] for a in response.context["map_data"]["areas"]]
    assert areas == ["Vapnagård"]  # the other is the consultants'


@pytest.mark.django_db
def test_demo_has_three_years_of_figures(client):
    from partnerships import figures
    from partnerships.models import Partnership, YearlyFigures

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent: the same rows corrected
    helsingor = Municipality.objects.get(slug="helsingor")
    due = figures.due_year()
    assert list(YearlyFigures.objects.values_list("year", flat=True)) == [due - 2, due - 1, due]
    assert [r["members_under_25"] for r in figures.youth_trend(helsingor)] == [131, 150, 171]
    assert not figures.figures_missing(Partnership.objects.all(), due).exists()
    client.force_login(helsingor.consultants.first().user)
    page = client.get(reverse("partnerships:figures_overview"), HTTP_ACCEPT_LANGUAGE="da")
    assert page.status_code == 200 and "Helsingør Roklub" in page.content.decode()
