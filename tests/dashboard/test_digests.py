"""Consultant digests: a daily one of waiting submissions (if chosen), a weekly overview."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from bookings.models import BookingEvent, SubsidyPool
from bookings.states import BookingState
from dashboard import digests as weekly
from screening import digests as daily
from screening.workflow import ScreeningState
from tests import factories as f
from tests.notifications.factories import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting_offer(association):
    return f.OfferFactory(
        association=association,
        title="Kajak for 5. klasse",
        state=ScreeningState.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=2),
    )


def test_the_daily_digest_goes_only_to_consultants_who_chose_it(
    consultant, other_consultant, waiting_offer, django_capture_on_commit_callbacks
):
    assert daily.send_submission_digests() == 0  # both chose one e-mail per submission
    consultant.consultant.submission_emails = "daily"
    consultant.consultant.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert daily.send_submission_digests() == 1
    assert daily.send_submission_digests() == 0  # once a day
    message = mail.outbox[0]
    assert message.to == [consultant.email]
    assert "Kajak for 5. klasse" in message.body
    assert message.subject == "1 indsendelse venter på screening"


def test_no_daily_digest_when_nothing_waits(consultant):
    consultant.consultant.submission_emails = "daily"
    consultant.consultant.save()
    assert daily.send_submission_digests() == 0


def test_the_weekly_digest_counts_only_the_consultants_municipality(
    consultant,
    other_consultant,
    municipality,
    school,
    published_offer,
    teacher,
    waiting_offer,
    django_capture_on_commit_callbacks,
):
    BookingFactory(school=school, offer=published_offer, requested_by=teacher)
    cancelled = BookingFactory(
        school=school, offer=published_offer, requested_by=teacher, state=BookingState.CANCELLED
    )
    BookingEvent.objects.create(
        booking=cancelled, actor_role="school", from_state="confirmed", to_state="cancelled"
    )
    SubsidyPool.objects.create(
        municipality=municipality,
        school_year=2026,
        amount=Decimal("400000"),
        reserved=Decimal("1500"),
        spent=Decimal("500"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert weekly.send_weekly_digests() == 2
    assert weekly.send_weekly_digests() == 0  # once a week
    mine = next(m for m in mail.outbox if consultant.email in m.to)
    theirs = next(m for m in mail.outbox if other_consultant.email in m.to)
    assert "Kajak for 5. klasse" in mine.body
    assert "Nye bookinger i denne uge: 2" in mine.body
    assert "Aflyste bookinger i denne uge: 1" in mine.body
    assert "2.000 af 400.000 kr." in mine.body
    assert "Kajak" not in theirs.body
    assert "Nye bookinger i denne uge: 0" in theirs.body


def test_a_consultant_can_turn_the_weekly_digest_off(
    consultant, django_capture_on_commit_callbacks
):
    """Queued, then skipped when the worker would write it (the preference is read then)."""
    from notifications import services
    from notifications.models import Notification

    services.set_preference(consultant, "consultant.weekly_digest", False)
    with django_capture_on_commit_callbacks(execute=True):
        assert weekly.send_weekly_digests() == 1
    row = Notification.objects.get(kind="consultant.weekly_digest")
    assert row.state == Notification.State.SKIPPED and row.last_error == services.TURNED_OFF
    assert mail.outbox == []
