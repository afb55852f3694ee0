"""The consultant sees the offers that left the portal because a child certificate ran out: on
the dashboard (a count and a table, also in the downloads) and in the screening queue."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from associations import services as association_services
from associations import tasks as association_tasks
from dashboard import services
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:index")
OFFERS = "/admin/associations/offer/"


def hidden_offer(municipality, title, instructor_name):
    association = f.AssociationFactory(municipalities=[municipality], name=f"Forening {title}")
    offer = f.OfferFactory(association=association, published=True, with_instructor=False)
    offer.title = title
    offer.save()
    old = timezone.localdate() - municipality.child_certificate_max_age - timedelta(days=3)
    offer.instructors.add(
        f.InstructorFactory(
            association=association, name=instructor_name, child_certificate_date=old
        ),
        f.InstructorFactory(association=association, name="Gyldig Person"),
    )
    association_services.refresh_certificate_validity(offer)
    return offer


@pytest.fixture
def hidden(municipality, other_municipality):
    here = hidden_offer(municipality, "Kajak", "Ole Olsen")
    there = hidden_offer(other_municipality, "Fremmed kajak", "Fremmed Person")
    f.OfferFactory(
        association=f.AssociationFactory(municipalities=[municipality]),
        published=True,
        title="Synligt",
    )
    return here, there


def test_the_dashboard_counts_and_lists_them(client, consultant, municipality, hidden):
    here, _there = hidden
    client.force_login(consultant)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["summary"]["certificates_expired"] == 1
    html = response.content.decode()
    section = html[html.index('id="certificates-expired"') :]
    assert "1 tilbud er skjult for skoler, fordi en børneattest er udløbet." in section
    assert "Kajak" in section and "Ole Olsen" in section
    assert "Gyldig Person" not in section
    assert "Fremmed" not in html  # another municipality's


def test_they_stay_listed_after_the_nightly_check(municipality, hidden):
    association_tasks.check_child_certificates()
    [row] = services.offers_hidden_by_certificates(municipality)
    assert row["title"] == "Kajak" and row["instructors"] == "Ole Olsen"
    assert row["state"] == "Udløbet"
    assert row["valid_until"] < timezone.localdate()


def test_the_table_is_in_the_downloads(client, consultant, hidden):
    client.force_login(consultant)
    response = client.get(reverse("dashboard:export", args=["offers-hidden-certificates", "csv"]))
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "Kajak" in body and "Ole Olsen" in body and "Fremmed" not in body


def test_the_screening_queue_counts_and_filters_them(client, consultant, hidden):
    here, _there = hidden
    client.force_login(consultant)
    index = client.get("/admin/").content.decode()
    alerts = index[index.index('id="screening-alerts"') :]
    assert f"{OFFERS}?certificates=expired" in alerts
    assert "<td>1</td>" in alerts
    response = client.get(OFFERS + "?certificates=expired")
    assert [o.pk for o in response.context["cl"].result_list] == [here.pk]


def test_the_other_municipalitys_consultant_sees_only_their_own(client, other_consultant, hidden):
    _here, there = hidden
    client.force_login(other_consultant)
    response = client.get(OFFERS + "?certificates=expired")
    assert [o.pk for o in response.context["cl"].result_list] == [there.pk]
