import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from accounts import services
from accounts.forms import SignupForm
from accounts.models import User
from tests import factories as f

PASSWORD = "blå-hest-på-taget-42"


def _signup(client, **overrides):
    data = {
        "full_name": "Mette Frederiksen",
        "email": "Mette@Forening.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(reverse("accounts:signup"), data)


def _link(message) -> str:
    return re.search(r"http://[^\s\"<]+/signup/confirm/[^\s\"<]+/", message.body).group(0)


@pytest.mark.django_db
def test_signup_confirm_round_trip(client, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done")
    user = User.objects.get(email="mette@forening.example")
    assert not user.email_confirmed
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mette@forening.example"]

    # Unconfirmed: cannot create an association, sees the resend button.
    response = client.get(reverse("associations:create"))
    assert response.status_code == 302 and response.url == reverse("accounts:home")
    home = client.get(reverse("accounts:home"))
    assert reverse("accounts:resend_confirmation").encode() in home.content

    link = _link(mail.outbox[0])
    response = client.get(link.removeprefix("http://testserver"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_confirmed
    assert client.get(reverse("associations:create")).status_code == 200


@pytest.mark.django_db
def test_confirm_link_from_a_logged_out_browser_leads_to_login(client, settings):
    user = f.UserFactory(email_confirmed_at=None)
    token = services.confirmation_token(user)
    response = client.get(reverse("accounts:confirm_email", args=[token]))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    user.refresh_from_db()
    assert user.email_confirmed


@pytest.mark.django_db
def test_tampered_or_expired_link_is_refused(client, monkeypatch):
    user = f.UserFactory(email_confirmed_at=None)
    token = services.confirmation_token(user)
    assert client.get(reverse("accounts:confirm_email", args=[token + "x"])).status_code == 400
    monkeypatch.setattr(services, "CONFIRM_MAX_AGE", -1)
    assert client.get(reverse("accounts:confirm_email", args=[token])).status_code == 400
    user.refresh_from_db()
    assert not user.email_confirmed


@pytest.mark.django_db
def test_link_for_an_old_address_does_not_confirm_a_new_one(client):
    user = f.UserFactory(email_confirmed_at=None, email="old@example.com")
    token = services.confirmation_token(user)
    user.email = "new@example.com"
    user.save()
    assert client.get(reverse("accounts:confirm_email", args=[token])).status_code == 400


@pytest.mark.django_db
def test_token_from_another_salt_is_refused():
    user = f.UserFactory(email_confirmed_at=None)
    forged = signing.dumps({"u": user.pk, "e": user.email}, salt="other")
    with pytest.raises(services.InvalidToken):
        services.confirm_email(forged)


@pytest.mark.django_db
def test_resend_sends_a_new_link(client, django_capture_on_commit_callbacks):
    user = f.UserFactory(email_confirmed_at=None)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:resend_confirmation"))
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/signup/confirm/" in mail.outbox[0].body


@pytest.mark.django_db
def test_resend_needs_login(client):
    response = client.post(reverse("accounts:resend_confirmation"))
    assert response.status_code == 302 and "/login/" in response.url
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password1": "1234", "password2": "1234"}, "password1"),
        ({"password1": "mette@forening", "password2": "mette@forening"}, "password1"),
        ({"password2": "something-else-9"}, "password2"),
        ({"email": "not-an-address"}, "email"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_invalid_signup_keeps_what_was_typed(client, overrides, field):
    response = _signup(client, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert b"error-summary" in response.content
    assert b"Mette" in response.content or field == "full_name"
    assert not User.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_duplicate_email_case_insensitive():
    f.UserFactory(email="anna@example.com")
    form = SignupForm(
        {
            "full_name": "A",
            "email": "ANNA@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
    )
    assert not form.is_valid() and "email" in form.errors


@pytest.mark.django_db
def test_signup_is_rate_limited(client, settings, steady_clock):
    limit = int(settings.PORTAL_SIGNUP_RATE.split("/")[0])
    statuses = []
    for i in range(limit + 1):
        statuses.append(_signup(client, email=f"u{i}@example.com").status_code)
        client.logout()
    assert statuses[:limit] == [302] * limit
    assert statuses[-1] == 429
    assert User.objects.count() == limit


@pytest.mark.django_db
def test_logged_in_user_is_sent_home_from_signup(client, association_admin):
    client.force_login(association_admin)
    assert client.get(reverse("accounts:signup")).status_code == 302


@pytest.mark.django_db
def test_password_reset_round_trip(client, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://testserver"
    user = f.UserFactory(email="lars@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "LARS@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password-reset/[^\s\"<]+/)", mail.outbox[0].body)
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200 and response.context["validlink"]
    new = "grøn-cykel-med-kurv-7"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


@pytest.mark.django_db
def test_password_reset_for_unknown_address_sends_nothing(client):
    from notifications.models import Notification

    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert not Notification.objects.exists()
