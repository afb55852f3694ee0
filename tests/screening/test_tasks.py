"""Re-screening beat jobs: reminders, expiry, child certificates."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from associations import tasks as association_tasks
from associations.models import Association, Offer
from notifications.models import Notification
from screening import tasks
from screening.workflow import S, Transition
from tests import factories as f
from tests.outbox import written

pytestmark = pytest.mark.django_db


def _approved_offer(association, expires_in_days):
    offer = f.OfferFactory(association=association, published=True)
    Offer.objects.filter(pk=offer.pk).update(
        approval_expires_at=timezone.now() + timedelta(days=expires_in_days)
    )
    return offer


def test_reminder_30_days_before_expiry_is_sent_once(association):
    soon = _approved_offer(association, 20)
    _approved_offer(association, 60)
    assert tasks.remind_expiring_approvals() == 1
    assert tasks.remind_expiring_approvals() == 0  # the outbox key holds the expiry date
    notification = written(Notification.objects.get(kind="screening.expiring"))
    assert notification.to_email == association.contact_email
    assert soon.title in notification.subject


def test_expired_items_leave_the_portal_and_can_be_resubmitted(association):
    past = _approved_offer(association, -1)
    current = _approved_offer(association, 10)
    Association.objects.filter(pk=association.pk).update(
        approval_expires_at=timezone.now() - timedelta(days=1)
    )
    assert tasks.expire_approvals() == 2
    past.refresh_from_db()
    current.refresh_from_db()
    assert past.state == S.EXPIRED and current.state == S.APPROVED
    assert past not in Offer.objects.published()
    association.refresh_from_db()
    assert association.state == S.EXPIRED
    assert tasks.expire_approvals() == 0
    assert Notification.objects.filter(kind="screening.expired").count() == 2
    # Renewal is a resubmission.
    from screening import services

    assert services.transition(past, Transition.SUBMIT).state == S.SUBMITTED


def test_old_child_certificate_sends_offer_back_for_screening(association, municipality):
    offer = f.OfferFactory(association=association, published=True, with_instructor=False)
    old = timezone.localdate() - municipality.child_certificate_max_age - timedelta(days=1)
    offer.instructors.add(f.InstructorFactory(association=association, child_certificate_date=old))
    fine = f.OfferFactory(association=association, published=True)
    assert association_tasks.check_child_certificates() >= 1
    offer.refresh_from_db()
    fine.refresh_from_db()
    assert offer.state == S.EXPIRED and fine.state == S.APPROVED
    event = offer.__class__.objects.get(pk=offer.pk)
    from screening import services

    last = services.history(event).last()
    assert last.transition == Transition.EXPIRE and last.data == {"reason": "certificates"}
    expired = written(Notification.objects.get(kind="associations.certificate_expired"))
    assert "børneattest" in expired.body_text.lower()
    assert not Notification.objects.filter(kind="screening.expired").exists()


def test_certificate_warning_30_days_before(association, municipality):
    offer = f.OfferFactory(association=association, published=True, with_instructor=False)
    soon_old = timezone.localdate() - municipality.child_certificate_max_age + timedelta(days=10)
    offer.instructors.add(
        f.InstructorFactory(association=association, child_certificate_date=soon_old)
    )
    from associations.services import refresh_certificate_validity

    refresh_certificate_validity(offer)
    association_tasks.check_child_certificates()
    association_tasks.check_child_certificates()
    offer.refresh_from_db()
    assert offer.state == S.APPROVED
    assert Notification.objects.filter(kind="screening.expiring").count() == 1


# --- An offer that leaves the portal because a child certificate ran out -------------------


@pytest.fixture
def expiring_cast(transactional_db):
    """Committed rows (the e-mail is delivered when the job's transaction commits)."""
    municipality = f.MunicipalityFactory()
    association = f.AssociationFactory(municipalities=[municipality])
    offer = f.OfferFactory(association=association, published=True, with_instructor=False)
    old = timezone.localdate() - municipality.child_certificate_max_age - timedelta(days=1)
    instructor = f.InstructorFactory(
        association=association, name="Ole Olsen", child_certificate_date=old
    )
    offer.instructors.add(instructor, f.InstructorFactory(association=association, name="Bo"))
    return association, offer, instructor


def test_the_association_gets_one_email_naming_the_instructor(expiring_cast, mailbox, settings):
    association, offer, instructor = expiring_cast
    assert association_tasks.check_child_certificates() == 1
    assert association_tasks.check_child_certificates() == 0
    assert mailbox.wait_for(1) == 1
    [message] = mailbox.to(association.contact_email)
    assert offer.title in message["Subject"] and "børneattest" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "Ole Olsen" in text and "Bo:" not in text
    fix = reverse("associations:instructor_edit", args=[association.slug, instructor.pk])
    assert f"{settings.SITE_URL}{fix}" in text
    assert f'href="{settings.SITE_URL}{fix}"' in message.get_body(("html",)).get_content()
    # The associations app's own kind, instead of the general "approval expired" e-mail.
    assert list(Notification.objects.values_list("kind", "state")) == [
        ("associations.certificate_expired", Notification.State.SENT)
    ]
    offer.refresh_from_db()
    assert offer.state == S.EXPIRED


def test_the_kind_is_registered_by_the_associations_app():
    from notifications import kinds

    kind = kinds.get("associations.certificate_expired")
    assert kind.essential and kind.audience == kinds.ASSOCIATIONS
    assert kind in kinds.essential_kinds()
