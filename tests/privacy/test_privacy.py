import json
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify
from privacy import services
from privacy.models import InactivityWarning
from schools.models import SchoolMembership

User = get_user_model()


@pytest.mark.django_db
def test_download_contains_own_data_only(client, teacher, other_teacher):
    client.force_login(teacher)
    response = client.get(reverse("privacy:download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == teacher.email
    assert data["school_memberships"][0]["role"] == "teacher"
    assert other_teacher.email not in response.content.decode()


@pytest.mark.django_db
def test_data_pages_need_login(client):
    for name in ("privacy:my_data", "privacy:download", "privacy:delete_account"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_delete_account_removes_the_person_and_keeps_records(client, teacher):
    teacher.set_password("correct horse battery")
    teacher.save()
    client.force_login(teacher)
    email = teacher.email
    notify(
        kind="booking.requested",
        key="queued-for-later",
        to_email=email.upper(),
        template="booking_requested",
        context={"recipient_name": teacher.full_name},
        deliver=False,
    )
    response = client.post(
        reverse("privacy:delete_account"), {"password": "correct horse battery", "confirm": "on"}
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.email.endswith("@invalid") and teacher.full_name == "Slettet bruger"
    assert not teacher.is_active and not teacher.has_usable_password()
    assert not User.objects.filter(email=email).exists()
    assert not SchoolMembership.objects.filter(user=teacher).exists()
    # An e-mail queued to the address for the worker to write is not sent, nor kept.
    assert Notification.objects.get(key="queued-for-later").to_email == "slettet@invalid"
    assert Notification.objects.get(key="queued-for-later").state == Notification.State.SKIPPED
    assert Notification.objects.get(key="queued-for-later").context == {}
    # Logged out.
    assert client.get(reverse("privacy:my_data")).status_code == 302


@pytest.mark.django_db
def test_delete_account_refuses_wrong_password(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("privacy:delete_account"), {"password": "nope", "confirm": "on"})
    assert response.status_code == 200
    teacher.refresh_from_db()
    assert teacher.is_active and not teacher.email.endswith("@invalid")


def test_school_years_ago():
    assert services.school_years_ago(3, date(2026, 11, 25)) == date(2023, 8, 1)
    assert services.school_years_ago(3, date(2026, 3, 1)) == date(2022, 8, 1)


@pytest.mark.django_db
def test_inactive_accounts_are_warned_then_deleted(
    settings, teacher, django_capture_on_commit_callbacks
):
    settings.PRIVACY_INACTIVE_DAYS = 365
    settings.PRIVACY_DELETION_GRACE_DAYS = 30
    old = timezone.now() - timedelta(days=400)
    User.objects.filter(pk=teacher.pk).update(last_login=old, date_joined=old)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.warn_and_delete_inactive() == {"warned": 1, "deleted": 0}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [teacher.email]
    # Running again does not warn twice.
    assert services.warn_and_delete_inactive() == {"warned": 0, "deleted": 0}
    InactivityWarning.objects.filter(user=teacher).update(
        warned_at=timezone.now() - timedelta(days=31)
    )
    assert services.warn_and_delete_inactive() == {"warned": 0, "deleted": 1}
    teacher.refresh_from_db()
    assert not teacher.is_active and teacher.email.endswith("@invalid")


@pytest.mark.django_db
def test_logging_in_after_the_warning_keeps_the_account(settings, teacher):
    settings.PRIVACY_INACTIVE_DAYS = 365
    old = timezone.now() - timedelta(days=400)
    User.objects.filter(pk=teacher.pk).update(last_login=old, date_joined=old)
    services.warn_and_delete_inactive()
    User.objects.filter(pk=teacher.pk).update(last_login=timezone.now())
    services.warn_and_delete_inactive(now=timezone.now() + timedelta(days=60))
    teacher.refresh_from_db()
    assert teacher.is_active
    assert not InactivityWarning.objects.filter(user=teacher).exists()


@pytest.mark.django_db
def test_old_bookings_messages_and_evaluations_are_anonymised(
    settings, teacher, school, published_offer
):
    from bookings.models import Booking, BookingMessage, Evaluation
    from bookings.states import Actor, BookingState

    settings.PRIVACY_RETENTION_SCHOOL_YEARS = 3
    start = timezone.now() - timedelta(days=5 * 365)

    def booking(**extra):
        return Booking.objects.create(
            offer=published_offer,
            school=school,
            requested_by=teacher,
            contact_teacher=teacher,
            state=BookingState.COMPLETED,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            answer_deadline=start,
            classes="5.A",
            class_count=1,
            grade=5,
            pupils=20,
            price_total=0,
            message="Ring til Mette på 12345678",
            special_needs="Kørestol",
            **extra,
        )

    old, recent = booking(), booking()
    Booking.objects.filter(pk=old.pk).update(created_at=start)
    message = BookingMessage.objects.create(
        booking=old, author=teacher, author_side=Actor.SCHOOL, body="Mette kommer også"
    )
    BookingMessage.objects.filter(pk=message.pk).update(created_at=start)
    evaluation = Evaluation.objects.create(
        booking=old, side=Actor.SCHOOL, author=teacher, rating=5, comment="Tak fra Mette"
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(created_at=start)

    counts = services.anonymise_old_records()
    assert counts == {"bookings": 1, "messages": 1, "evaluations": 1}
    old.refresh_from_db()
    recent.refresh_from_db()
    message.refresh_from_db()
    evaluation.refresh_from_db()
    assert old.message == "" and old.special_needs == ""
    assert recent.message.startswith("Ring")  # within the retention period: kept
    assert message.body == services.ANONYMISED and message.author is None
    assert evaluation.comment == "" and evaluation.author is None
    assert evaluation.rating == 5  # the numbers stay for the statistics
    assert services.anonymise_old_records() == {"bookings": 0, "messages": 0, "evaluations": 0}
