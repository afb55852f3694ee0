"""Appointing a consultant is one step in the admin: the user is found by e-mail or created,
gets the Consultant group and the post, and an e-mail that says how to log in."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from accounts.models import User
from municipalities.models import Consultant
from notifications.models import Notification
from tests import factories as f
from tests.outbox import written

pytestmark = pytest.mark.django_db

ADD = "/admin/municipalities/consultant/add/"
LIST = "/admin/municipalities/consultant/"


@pytest.fixture
def operator(client):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    return client


def test_a_new_address_becomes_a_user_a_consultant_and_gets_a_password_link(
    operator, municipality, submitted_offer, foreign_offer
):
    response = operator.post(
        ADD,
        {
            "email": "Ny.Konsulent@Kommune.dk",
            "full_name": "Nina Ny",
            "municipality": municipality.pk,
            "title": "Fritidskonsulent",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="ny.konsulent@kommune.dk")
    assert user.full_name == "Nina Ny" and user.is_staff and not user.has_usable_password()
    assert user.groups.filter(name="Consultant").exists()
    post = Consultant.objects.get(user=user)
    assert (post.municipality, post.title, post.is_active) == (
        municipality,
        "Fritidskonsulent",
        True,
    )
    mail = written(Notification.objects.get(kind="consultant.appointed", to_email=user.email))
    assert municipality.name in mail.subject
    link = re.search(r"https?://\S+/password-reset/\S+/", mail.body_text).group(0)
    # The link lets the new consultant choose a password (Django's reset form follows).
    stranger = Client()
    chosen = stranger.get(link[link.index("/password-reset/") :], follow=True)
    assert chosen.status_code == 200 and "new_password1" in chosen.content.decode()
    # Logged in, the new consultant screens their municipality's submissions and no other.
    stranger.force_login(user)
    queue = stranger.get("/admin/associations/offer/")
    assert [o.pk for o in queue.context["cl"].result_list] == [submitted_offer.pk]


def test_an_existing_user_is_linked_and_keeps_their_name_and_password(operator, municipality):
    existing = f.UserFactory(email="lise@kommune.dk", full_name="Lise Lund")
    operator.post(
        ADD, {"email": "LISE@kommune.dk", "full_name": "", "municipality": municipality.pk}
    )
    existing.refresh_from_db()
    assert existing.consultant.municipality == municipality
    assert existing.full_name == "Lise Lund" and existing.has_usable_password()
    assert existing.is_staff and existing.groups.filter(name="Consultant").exists()
    mail = written(Notification.objects.get(kind="consultant.appointed"))
    assert "/admin/" in mail.body_text and "password-reset" not in mail.body_text


def test_refused_a_consultant_elsewhere_or_a_new_user_without_a_name(
    operator, municipality, other_consultant
):
    response = operator.post(
        ADD, {"email": other_consultant.email, "municipality": municipality.pk}
    )
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert other_consultant.consultant.municipality != municipality
    response = operator.post(ADD, {"email": "uden@navn.dk", "municipality": municipality.pk})
    assert "full_name" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="uden@navn.dk").exists()
    assert not Notification.objects.filter(kind="consultant.appointed").exists()


def test_the_list_shows_email_addresses(operator, consultant):
    body = operator.get(LIST).content.decode()
    assert consultant.email in body
    response = operator.get(f"{LIST}{consultant.consultant.pk}/change/")
    assert consultant.email in response.content.decode()
    assert "user" not in response.context["adminform"].form.fields


def test_a_consultant_cannot_appoint_or_list_consultants(consultant_client, municipality):
    assert consultant_client.get(ADD).status_code == 403
    response = consultant_client.post(
        ADD, {"email": "ven@kommune.dk", "full_name": "Ven", "municipality": municipality.pk}
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="ven@kommune.dk").exists()
    assert consultant_client.get(LIST).status_code == 403


def test_a_consultant_given_the_right_appoints_only_in_their_municipality(
    consultant, consultant_client, other_municipality, other_consultant
):
    consultant.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_consultant", "view_consultant"])
    )
    response = consultant_client.post(
        ADD, {"email": "ven@kommune.dk", "full_name": "Ven", "municipality": other_municipality.pk}
    )
    assert (
        response.status_code == 200 and "municipality" in response.context["adminform"].form.errors
    )
    assert not User.objects.filter(email="ven@kommune.dk").exists()
    listed = consultant_client.get(LIST).context["cl"].result_list
    assert [c.user for c in listed] == [consultant]


def test_a_deactivated_post_takes_the_admin_access_away(operator, consultant, municipality):
    """A consultant whose post is deactivated cannot open the admin any more (staff status
    and group go with the post); reactivating gives both back."""
    user = consultant
    post = Consultant.objects.get(user=user)
    colleague = Client()
    colleague.force_login(user)
    assert colleague.get("/admin/").status_code == 200

    def save(active: bool):
        data = {"municipality": municipality.pk, "title": post.title, "submission_emails": "each"}
        if active:
            data["is_active"] = "on"
        response = operator.post(f"{LIST}{post.pk}/change/", data)
        assert response.status_code == 302, response.context["adminform"].form.errors

    save(active=False)
    user.refresh_from_db()
    assert not user.is_staff and not user.groups.filter(name="Consultant").exists()
    assert colleague.get("/admin/").status_code == 302  # to the admin's log-in
    assert colleague.get("/admin/associations/offer/").status_code == 302
    save(active=True)
    user.refresh_from_db()
    assert user.is_staff and user.groups.filter(name="Consultant").exists()
    assert colleague.get("/admin/").status_code == 200
