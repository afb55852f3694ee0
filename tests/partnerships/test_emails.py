"""The partner hears when its partnership begins and ends: the resource person and the
association's members, each once, through notifications.notify; and the plan's screening
decisions reach the resource person through the screening workflow's own e-mails."""

import pytest
from django.apps import apps
from django.core import mail

from associations.models import AssociationMembership
from notifications import kinds
from notifications.models import Notification
from partnerships import services
from partnerships.focus import create_defaults
from partnerships.models import FocusArea, Goal
from screening import services as screening_services
from screening.workflow import Transition
from tests.outbox import written

from .conftest import make_partnership

pytestmark = pytest.mark.django_db


def test_the_kinds_are_registered_once(monkeypatch):
    calls = []
    register = kinds.register
    monkeypatch.setattr(
        kinds, "register", lambda code, *a, **kw: calls.append(code) or register(code, *a, **kw)
    )
    apps.get_app_config("partnerships").ready()
    assert sorted(calls) == [
        "partnership.activated",
        "partnership.ended",
        "partnerships.event_cancelled",  # network meetings (partnerships/network/)
        "partnerships.event_invitation",
        "partnerships.event_moved",
        "partnerships.event_place",
        "partnerships.figures",  # the yearly figures' reminder
        "partnerships.meeting_cancelled",
        "partnerships.meeting_invitation",
        "partnerships.meeting_minutes",
        "partnerships.meeting_moved",
        "partnerships.meeting_reminder",
        "partnerships.network_reminder",
    ]
    for code in calls:
        assert kinds.get(code).label != code
    # Only the reminders of the figures and of network meetings may be turned off.
    optional = sorted(c for c in calls if not kinds.is_essential(c))
    assert optional == ["partnerships.figures", "partnerships.network_reminder"]


def test_activation_emails_the_resource_person_and_the_members_once(
    partnership,
    consultant,
    association_member,
    association_admin,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(partnership, "activate", by=consultant)
    rows = Notification.objects.filter(kind="partnership.activated")
    assert sorted(rows.values_list("to_email", flat=True)) == sorted(
        ["sara@example.org", association_member.email, association_admin.email]
    )
    row = written(rows.get(to_email="sara@example.org"))
    assert partnership.association.name in row.subject
    assert "Sara Ressource" in row.body_text  # the greeting
    assert "01.01.2026" in row.body_text or "1. januar 2026" in row.body_text
    assert f"/association/{partnership.association.slug}/partnerships/" in row.body_text
    assert consultant.email in row.body_text  # the municipal contact person
    assert "sara@example.org" in [to for m in mail.outbox for to in m.to]
    # The same change cannot be made twice, and the keys would not send it twice anyway.
    services._notify_partner(partnership, "activate")
    assert rows.count() == 3


def test_a_member_who_is_the_resource_person_gets_one_email(
    municipality, consultant, association, association_member
):
    p = make_partnership(
        municipality,
        consultant,
        association=association,
        resource_email=association_member.email.upper(),
    )
    services.transition(p, "activate", by=consultant)
    assert Notification.objects.filter(kind="partnership.activated").count() == 1


def test_ending_emails_the_partner_in_their_language(partnership, consultant, association_member):
    association_member.language = "en"
    association_member.save()
    services.transition(partnership, "end", by=consultant)
    row = written(
        Notification.objects.get(kind="partnership.ended", to_email=association_member.email)
    )
    assert "has ended" in row.subject and "Thank you for the collaboration" in row.body_text
    danish = written(
        Notification.objects.get(kind="partnership.ended", to_email="sara@example.org")
    )
    assert "er afsluttet" in danish.subject and "Tak for samarbejdet" in danish.body_text


def test_an_institution_partnership_emails_its_resource_person(municipality, consultant, club):
    p = make_partnership(
        municipality, consultant, institution=club, resource_email="klub@example.org"
    )
    services.transition(p, "activate", by=consultant)
    row = written(Notification.objects.get(kind="partnership.activated"))
    assert row.to_email == "klub@example.org" and "Klub Nord" in row.subject
    assert "kommunens kontaktperson skriver den sammen med jer" in row.body_text


def _submitted_plan(partnership, member):
    create_defaults(partnership.municipality)
    area = FocusArea.objects.filter(municipality=partnership.municipality).first()
    plan = services.create_plan(partnership, title="Plan", focus_areas=[area])
    Goal.objects.create(plan=plan, focus_area=area, description="Mål", indicator="i", target="t")
    services.submit_plan(plan, by=member)
    return plan


def test_a_plan_decision_emails_the_resource_person_through_screening(
    partnership, consultant, association_member, django_capture_on_commit_callbacks
):
    plan = _submitted_plan(partnership, association_member)
    with django_capture_on_commit_callbacks(execute=True):
        screening_services.decide(plan, Transition.APPROVE, by=consultant)
    row = written(Notification.objects.get(kind="screening.approved", to_email="sara@example.org"))
    assert "Plan" in row.subject
    # The member who wrote and sent it hears too, by name, with a link they can open.
    sent = written(Notification.objects.get(kind="screening.approved", user=association_member))
    assert sent.to_email == association_member.email
    assert association_member.full_name in sent.body_text
    assert f"/association/{partnership.association.slug}/partnerships/" in sent.body_text
    assert Notification.objects.filter(kind="screening.approved").count() == 2


def test_a_member_who_left_no_longer_hears_of_the_plan(
    partnership, consultant, association_member, django_capture_on_commit_callbacks
):
    plan = _submitted_plan(partnership, association_member)
    AssociationMembership.objects.filter(user=association_member).delete()
    with django_capture_on_commit_callbacks(execute=True):
        screening_services.decide(plan, Transition.APPROVE, by=consultant)
    sent = Notification.objects.filter(kind="screening.approved")
    assert list(sent.values_list("to_email", flat=True)) == ["sara@example.org"]


def test_the_admin_actions_send_the_emails(client, consultant, partnership):
    client.force_login(consultant)
    client.post(
        "/admin/partnerships/partnership/",
        {"action": "activate", "_selected_action": [partnership.pk]},
    )
    partnership.refresh_from_db()
    assert partnership.state == "active"
    assert Notification.objects.filter(kind="partnership.activated").count() == 1
