"""Admin: operators see sent and failed mail and re-queue failed; consultants edit their rules."""

import pytest
from django.core import mail

from notifications import services
from notifications.models import Notification, ReminderRule
from tests import factories as f

pytestmark = pytest.mark.django_db

RULES = "/admin/notifications/reminderrule/"
OUTBOX = "/admin/notifications/notification/"


@pytest.fixture
def operator():
    return f.UserFactory(is_staff=True, is_superuser=True)


def failed_row(error="SMTPDataError: (554, b'rejected')"):
    row = services.notify(
        kind="booking.cancelled",
        key="failed-1",
        to_email="x@example.com",
        template="digest_submissions",
        context={"municipality": "M", "waiting": []},
        deliver=False,
    )
    Notification.objects.filter(pk=row.pk).update(
        state=Notification.State.FAILED, attempts=services.MAX_ATTEMPTS, last_error=error
    )
    return row


def test_operators_see_failed_notifications_with_the_error(client, operator):
    failed_row()
    client.force_login(operator)
    response = client.get(OUTBOX + "?state__exact=failed")
    assert response.status_code == 200
    assert "SMTPDataError" in response.content.decode()


def test_operators_requeue_failed_notifications(
    client, operator, django_capture_on_commit_callbacks
):
    row = failed_row()
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            OUTBOX, {"action": "requeue", "_selected_action": [row.pk]}, follow=True
        )
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.state == Notification.State.SENT  # re-queued, then delivered (eager in tests)
    assert len(mail.outbox) == 1


def test_consultants_cannot_see_the_outbox(client, consultant):
    failed_row()
    client.force_login(consultant)
    assert client.get(OUTBOX).status_code == 403


def test_a_consultant_sees_and_edits_only_their_municipalitys_rules(
    client, consultant, municipality, other_municipality
):
    mine = ReminderRule.objects.get(municipality=municipality, days=7)
    theirs = ReminderRule.objects.get(municipality=other_municipality, days=7)
    client.force_login(consultant)
    listing = client.get(RULES)
    assert listing.status_code == 200
    # With the rules of status meetings, network meetings and yearly figures.
    assert listing.context["cl"].result_count == 6
    assert client.get(f"{RULES}{theirs.pk}/change/").status_code in (302, 404)
    response = client.post(
        f"{RULES}{mine.pk}/change/",
        {
            "municipality": municipality.pk,
            "kind": "booking.reminder",
            "days": 5,
            "anchor": "before_start",
            "recipients": "school",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mine.refresh_from_db()
    assert (mine.days, mine.recipients) == (5, "school")
    # The municipality field offers only their own.
    form = client.get(f"{RULES}add/").context["adminform"].form
    assert list(form.fields["municipality"].queryset) == [municipality]


def test_other_staff_cannot_see_reminder_rules(client, teacher):
    teacher.is_staff = True
    teacher.save()
    client.force_login(teacher)
    assert client.get(RULES).status_code == 403


def test_the_rule_timing_is_unique_per_municipality(client, consultant, municipality):
    client.force_login(consultant)
    response = client.post(
        f"{RULES}add/",
        {
            "municipality": municipality.pk,
            "kind": "booking.reminder",
            "days": 7,
            "anchor": "before_start",
            "recipients": "both",
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # the form shows the error, no IntegrityError
    assert ReminderRule.objects.filter(municipality=municipality).count() == 6  # the defaults
