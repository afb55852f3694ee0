"""The settings page (login) and the unsubscribe link (no login, signed token)."""

import pytest
from django.urls import reverse

from notifications import services
from notifications.forms import PreferencesForm
from notifications.models import NotificationPreference
from tests import factories as f

pytestmark = pytest.mark.django_db

SETTINGS = "/notifications/settings/"
DIGEST_FIELD = PreferencesForm.field_name("consultant.weekly_digest")
MESSAGE_FIELD = PreferencesForm.field_name("booking.message")


def test_settings_need_a_login(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_settings_show_the_kinds_in_danish(client, teacher):
    client.force_login(teacher)
    response = client.get(SETTINGS)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Indstillinger for notifikationer" in html
    assert "En ny besked om en booking" in html  # an optional kind
    assert "Påmindelse før et arrangement" in html  # listed as always sent
    assert f'name="{MESSAGE_FIELD}"' in html


def test_turning_a_kind_off_and_on(client, teacher, consultant):
    client.force_login(teacher)
    data = {PreferencesForm.field_name(k): "on" for k in ["need_answered", "screening.approved"]}
    response = client.post(SETTINGS, data)
    assert response.status_code == 302
    assert not services.wants(teacher, "booking.message")
    assert services.wants(teacher, "need_answered")
    assert services.wants(teacher, "booking.reminder")  # essential: no checkbox, always on
    # Someone else's choices are untouched.
    assert services.wants(consultant, "booking.message")
    client.post(SETTINGS, {MESSAGE_FIELD: "on"})
    assert services.wants(teacher, "booking.message")


def test_a_consultant_turns_the_weekly_digest_off_and_on(client, consultant):
    client.force_login(consultant)
    assert f'name="{DIGEST_FIELD}"' in client.get(SETTINGS).content.decode()
    client.post(SETTINGS, {"submission_emails": "each"})
    assert not services.wants(consultant, "consultant.weekly_digest")
    client.post(SETTINGS, {"submission_emails": "each", DIGEST_FIELD: "on"})
    assert services.wants(consultant, "consultant.weekly_digest")


def test_unsubscribe_asks_first_and_works_without_login(client, teacher):
    url = reverse(
        "notifications:unsubscribe", args=[services.unsubscribe_token(teacher, "booking.message")]
    )
    response = client.get(url)
    assert response.status_code == 200
    assert teacher.email in response.content.decode()
    assert services.wants(teacher, "booking.message")  # a link scanner's GET changes nothing
    response = client.post(url)
    assert response.status_code == 200
    assert "Færdig" in response.content.decode()
    assert not services.wants(teacher, "booking.message")
    assert NotificationPreference.objects.filter(user=teacher).count() == 1


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxLCJrIjoiYiJ9:bad:sig"])
def test_a_forged_unsubscribe_token_is_refused(client, token):
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 404


def test_a_token_for_another_kind_cannot_be_edited_into_an_essential_one(client, teacher):
    from django.core import signing

    token = signing.dumps(
        {"u": teacher.pk, "k": "booking.reminder"}, salt="other.salt", compress=True
    )
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 404
    essential = services.unsubscribe_token(teacher, "booking.reminder")
    assert client.post(f"/notifications/unsubscribe/{essential}/").status_code == 404
    assert services.wants(teacher, "booking.reminder")


def test_a_consultant_with_the_daily_digest_gets_no_mail_per_submission(consultant):
    assert services.wants(consultant, "screening.submitted")
    consultant.consultant.submission_emails = "daily"
    consultant.consultant.save()
    other = f.UserFactory()
    assert not services.wants(consultant, "screening.submitted")
    assert services.wants(other, "screening.submitted")


def test_a_consultant_chooses_the_daily_submission_digest(client, consultant, teacher):
    client.force_login(consultant)
    response = client.get(SETTINGS)
    assert 'name="submission_emails"' in response.content.decode()
    client.post(SETTINGS, {"submission_emails": "daily"})
    consultant.consultant.refresh_from_db()
    assert consultant.consultant.submission_emails == "daily"
    assert not services.wants(consultant, "screening.submitted")
    # Not offered to others.
    client.force_login(teacher)
    assert 'name="submission_emails"' not in client.get(SETTINGS).content.decode()
