"""A new association, start to finish, the way a volunteer does it."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from associations.models import Association, Offer
from screening.services import transition
from screening.workflow import ScreeningState as S
from screening.workflow import Transition

from .test_offers import fill_offer, offer_data
from .test_views_profile import profile_data

PASSWORD = "rød-kajak-i-havnen-9"


@pytest.mark.django_db
def test_sign_up_to_published_offer(
    client, settings, municipality, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:signup"),
            {
                "full_name": "Karen Kajak",
                "email": "karen@kajak.example",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    link = re.search(r"http://testserver(/signup/confirm/\S+/)", mail.outbox[-1].body).group(1)
    client.get(link)
    me = client.get(reverse("accounts:home"))
    assert reverse("associations:create") in me.content.decode()

    response = client.post(reverse("associations:create"), profile_data(municipality))
    association = Association.objects.get()
    detail = response.url
    assert client.get(detail).status_code == 200

    client.post(
        reverse("associations:instructor_create", args=[association.slug]),
        {
            "name": "Ole Instruktør",
            "role": "Træner",
            "school_experience": "10 år med skoleklasser",
            "child_certificate_confirmed": "on",
            "child_certificate_date": "2026-01-10",
        },
    )
    instructor = association.instructors.get()
    offer = fill_offer(client, association, offer_data(instructors=[instructor.pk]))
    assert offer == Offer.objects.get()
    preview = client.get(reverse("associations:offer_preview", args=[association.slug, offer.pk]))
    assert "Eleverne lærer at padle sikkert" in preview.content.decode()
    assert (
        client.get(reverse("associations:profile_preview", args=[association.slug])).status_code
        == 200
    )

    client.post(reverse("associations:profile_submit", args=[association.slug]))
    client.post(reverse("associations:offer_action", args=[association.slug, offer.pk, "submit"]))
    association.refresh_from_db()
    offer.refresh_from_db()
    assert association.state == S.SUBMITTED and offer.state == S.SUBMITTED
    assert not Offer.objects.published().exists()

    transition(association, Transition.APPROVE)
    transition(offer, Transition.APPROVE)
    assert Offer.objects.published().get() == offer
    page = client.get(detail).content.decode()
    assert offer.title in page
