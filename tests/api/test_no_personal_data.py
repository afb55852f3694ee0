"""The open data API must never show a person: no contact person, phone, e-mail,
instructors' names or certificate dates."""

import json
from datetime import date

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_no_personal_data_in_any_endpoint(client, municipality):
    association = f.AssociationFactory(
        municipalities=[municipality],
        contact_name="Kirsten Kontaktsen",
        contact_phone="+45 11 22 33 44",
        contact_email="kirsten@forening.example",
        contact_role="Formand",
        address="Privatvej 17",
    )
    member = f.AssociationMembershipFactory(association=association).user
    offer = f.OfferFactory(association=association, published=True, on_request=False)
    offer.instructors.set(
        [
            f.InstructorFactory(
                association=association,
                name="Ingolf Instruktørsen",
                child_certificate_date=date(2025, 3, 14),
            )
        ]
    )
    f.OccasionFactory(offer=offer)

    base = f"/api/municipalities/{municipality.slug}"
    everything = ""
    for url in [f"{base}/offers/", f"{base}/associations/", f"{base}/occasions/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert response.json()["count"] == 1
        everything += json.dumps(response.json(), ensure_ascii=False)

    for secret in [
        "Kirsten",
        "Kontaktsen",
        "11 22 33 44",
        "kirsten@forening.example",
        "Formand",
        "Privatvej",
        "Ingolf",
        "Instruktørsen",
        "2025-03-14",
        member.email,
        member.full_name,
        "contact",
        "instructor",
        "certificate",
        "@",
    ]:
        assert secret not in everything, secret
