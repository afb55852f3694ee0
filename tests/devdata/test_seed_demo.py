"""seed_demo (`make run`): idempotent, every offer with a drawn photo, one working login per role."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from associations.models import Association, Offer, OfferPhoto
from devdata.demo.data import CONSULTANT, DEMO_PASSWORD, SCHOOL_STAFF
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
    # Every offer has one drawn illustration (not duplicated by the second run), a valid
    # image the upload checks accept, and a description for screen readers.
    assert OfferPhoto.objects.count() == Offer.objects.count()
    photo = OfferPhoto.objects.first()
    validate_image(photo.image)
    assert photo.alt_text.startswith("Tegning: ")


@pytest.mark.django_db
def test_demo_login_per_role_works(client):
    call_command("seed_demo", stdout=io.StringIO())
    response = client.post(
        reverse("accounts:login"), {"username": SCHOOL_STAFF[0][0], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(
        reverse("accounts:login"), {"username": CONSULTANT["email"], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
