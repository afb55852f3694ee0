"""Screening works out of the box: default rejection reasons, and a checklist that says which
item fails and why."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from associations.models import Offer
from knowledge.models import Item
from partnerships.models import ActionPlan
from screening import services
from screening.models import RejectionReason, Review, ScreeningEvent
from screening.reasons import DEFAULT_REASONS
from screening.workflow import S
from tests import factories as f

pytestmark = pytest.mark.django_db

OFFERS = "/admin/associations/offer/"
REASONS = "/admin/screening/rejectionreason/"
CODES = [code for code, _text, _scope in DEFAULT_REASONS]


def test_a_new_municipality_starts_with_the_default_reasons_in_danish():
    municipality = f.MunicipalityFactory()
    reasons = RejectionReason.objects.filter(municipality=municipality)
    assert [r.code for r in reasons] == CODES
    assert all(r.is_active for r in reasons)
    assert reasons.get(code="A1").text.startswith("Børns sikkerhed")
    # Saving it again adds nothing.
    municipality.save()
    assert reasons.count() == len(CODES)


def test_the_migration_gives_existing_municipalities_what_they_lack(municipality):
    RejectionReason.objects.filter(municipality=municipality, code__in=["A1", "A2"]).delete()
    RejectionReason.objects.filter(municipality=municipality, code="A3").update(text="Vores egen")
    migration = importlib.import_module("screening.migrations.0004_default_rejection_reasons")
    migration.add_reasons(apps, None)
    migration.add_reasons(apps, None)
    reasons = RejectionReason.objects.filter(municipality=municipality)
    assert sorted(r.code for r in reasons) == CODES
    assert reasons.get(code="A3").text == "Vores egen"  # an edited text stays


def test_each_kind_of_item_is_offered_its_own_reasons(municipality):
    """A1–A4 are about an association and its offers; A5 and A6 fit every kind, and a
    consultant may add reasons for action plans or the knowledge bank."""
    mine = RejectionReason.objects.filter(municipality=municipality)
    RejectionReason.objects.create(
        municipality=municipality, code="P1", text="Målene kan ikke følges op", applies_to="plans"
    )
    offer, plan, example = Offer(), ActionPlan(), Item()
    assert [r.code for r in mine.for_item(offer)] == CODES
    assert [r.code for r in mine.for_item(plan)] == ["A5", "A6", "P1"]
    assert [r.code for r in mine.for_item(example)] == ["A5", "A6"]


def test_the_migration_scopes_the_default_reasons_as_they_came(municipality):
    mine = RejectionReason.objects.filter(municipality=municipality)
    mine.update(applies_to="all")  # as before the migration
    mine.filter(code="A2").update(text="Vores egen begrundelse")
    migration = importlib.import_module("screening.migrations.0005_rejection_reason_scope")
    migration.scope_default_reasons(apps, None)
    scopes = dict(mine.values_list("code", "applies_to"))
    assert scopes == {
        "A1": "offers",
        "A2": "all",  # the municipality's own words now: left as it is
        "A3": "offers",
        "A4": "offers",
        "A5": "all",
        "A6": "all",
    }


def test_reject_works_with_a_default_reason(consultant_client, submitted_offer, municipality):
    reason = RejectionReason.objects.get(municipality=municipality, code="A2")
    url = f"{OFFERS}{submitted_offer.pk}/decide/reject/"
    page = consultant_client.get(url).content.decode()
    assert REASONS in page  # where the list is kept
    consultant_client.post(url, {"reason": reason.pk, "message": ""})
    submitted_offer.refresh_from_db()
    assert submitted_offer.state == S.REJECTED
    event = ScreeningEvent.objects.get(transition="reject")
    assert event.data["reason_code"] == "A2" and event.data["reason_text"] == reason.text


def test_the_consultant_edits_and_deactivates_their_reasons(
    consultant_client, municipality, other_municipality
):
    page = consultant_client.get(REASONS)
    assert 'id="reasons-note"' in page.content.decode()
    assert {r.municipality_id for r in page.context["cl"].result_list} == {municipality.pk}
    ours = RejectionReason.objects.get(municipality=municipality, code="A6")
    response = consultant_client.post(
        f"{REASONS}{ours.pk}/change/",
        {"code": "A6", "text": "Andet (forklaret i beskeden)", "applies_to": "all"},
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert (ours.text, ours.is_active) == ("Andet (forklaret i beskeden)", False)
    # Not offered when rejecting once it is inactive.
    offer = services.transition(
        f.OfferFactory(association=f.AssociationFactory(municipalities=[municipality])), "submit"
    )
    form = consultant_client.get(f"{OFFERS}{offer.pk}/decide/reject/").context["form"]
    assert ours not in form.fields["reason"].queryset
    # Another municipality's reason is not theirs to change.
    theirs = RejectionReason.objects.get(municipality=other_municipality, code="A6")
    response = consultant_client.post(
        f"{REASONS}{theirs.pk}/change/", {"code": "A6", "text": "Hacket", "applies_to": "all"}
    )
    assert response.status_code in (302, 404)
    theirs.refresh_from_db()
    assert theirs.text != "Hacket"


@pytest.fixture
def old_certificate(association, municipality):
    too_old = timezone.localdate() - timedelta(days=municipality.child_certificate_max_age.days + 5)
    return f.InstructorFactory(
        association=association, name="Gamle Gunnar", child_certificate_date=too_old
    )


def test_the_checklist_names_the_failing_instructor_and_why(
    consultant_client, consultant, submitted_offer, old_certificate
):
    fine = f.InstructorFactory(association=submitted_offer.association, name="Frisk Frida")
    submitted_offer.instructors.add(old_certificate, fine)
    services.save_checklist(submitted_offer, by=consultant, checks=dict.fromkeys(Review.CHECKS, 1))
    (check,) = submitted_offer.automatic_checks()
    assert not check.passed
    assert check.reason.startswith("Gamle Gunnar: ") and "Frida" not in check.reason
    failures = services.checklist_failures(submitted_offer)
    assert failures == [f"{check.title}: {check.reason}"]
    body = consultant_client.get(f"{OFFERS}{submitted_offer.pk}/change/").content.decode()
    assert 'id="screening-checklist-failures"' in body and "Gamle Gunnar: " in body
    approve = consultant_client.get(f"{OFFERS}{submitted_offer.pk}/decide/approve/")
    assert "Gamle Gunnar: " in approve.content.decode()
    # The bulk approval skips it and says why.
    response = consultant_client.post(
        OFFERS,
        {"action": "approve_selected", "_selected_action": [submitted_offer.pk]},
        follow=True,
    )
    assert any("Gamle Gunnar" in str(m) for m in response.context["messages"])
    submitted_offer.refresh_from_db()
    assert submitted_offer.state == S.SUBMITTED


def test_the_checklist_names_the_boxes_not_ticked_and_the_missing_instructors(
    consultant, submitted_offer
):
    services.save_checklist(
        submitted_offer, by=consultant, checks=dict.fromkeys(Review.CHECKS[1:], True)
    )
    failures = services.checklist_failures(submitted_offer)
    assert len(failures) == 2
    assert str(Review._meta.get_field("dialogue_held").verbose_name) in failures[0]
    (check,) = submitted_offer.automatic_checks()
    assert failures[1] == f"{check.title}: {check.empty}"
    submitted_offer.instructors.add(f.InstructorFactory(association=submitted_offer.association))
    services.save_checklist(submitted_offer, by=consultant, checks=dict.fromkeys(Review.CHECKS, 1))
    assert services.checklist_failures(submitted_offer) == []
    assert services.checklist_passed(submitted_offer)


def test_a_municipality_added_in_the_admin_can_reject_at_once(client):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/municipalities/municipality/add/",
        {
            "name": "Gribskov Kommune",
            "slug": "gribskov",
            "code": "270",
            "is_active": "on",
            "child_certificate_max_age_months": "24",
            "approval_valid_days": "365",
            "booking_answer_days": "14",
            "cancellation_cutoff_days": "7",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    codes = RejectionReason.objects.filter(municipality__code="270").values_list("code", flat=True)
    assert list(codes) == CODES
