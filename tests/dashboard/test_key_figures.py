"""Public key figures: only when the municipality has switched them on; framing only from its origins."""

from django.urls import reverse
from django.utils import timezone

from tests import factories as f

from .factories import BookingFactory


def _switch_on(municipality, origins=""):
    municipality.show_public_key_figures = True
    municipality.embed_allowed_origins = origins
    municipality.save()


def test_404_when_not_enabled(client, municipality):
    assert client.get(reverse("dashboard:key_figures", args=["helsingor"])).status_code == 404
    assert client.get(reverse("dashboard:key_figures_embed", args=["helsingor"])).status_code == 404
    assert client.get(reverse("dashboard:key_figures", args=["nowhere"])).status_code == 404


def test_numbers_of_this_school_year(client, municipality, other_municipality):
    _switch_on(municipality)
    club = f.AssociationFactory(municipalities=[municipality])
    f.AssociationFactory(municipalities=[municipality], state="submitted")  # not approved
    offer = f.OfferFactory(association=club, published=True)
    f.OfferFactory(association=club)  # draft
    school = f.SchoolFactory(municipality=municipality)
    BookingFactory(offer=offer, school=school, state="confirmed", starts_at=timezone.now())
    BookingFactory(offer=offer, school=school, state="requested", starts_at=timezone.now())
    other_club = f.AssociationFactory(municipalities=[other_municipality])
    other_offer = f.OfferFactory(association=other_club, published=True)
    BookingFactory(
        offer=other_offer,
        school=f.SchoolFactory(municipality=other_municipality),
        state="completed",
        starts_at=timezone.now(),
    )
    response = client.get(reverse("dashboard:key_figures", args=["helsingor"]))
    assert response.status_code == 200
    assert response.context["figures"] | {} == {
        "school_year": response.context["figures"]["school_year"],
        "associations": 1,
        "offers": 1,
        "collaborations": 1,
    }
    assert "Nøgletal for Helsingør Kommune" in response.content.decode()
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_embed_framing_only_from_the_municipality_origins(client, municipality):
    _switch_on(municipality, "https://intranet.helsingor.dk\nhttps://aula.example/")
    response = client.get(reverse("dashboard:key_figures_embed", args=["helsingor"]))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors https://intranet.helsingor.dk https://aula.example" in csp
    assert "X-Frame-Options" not in response
    assert "<h1" in response.content.decode()


def test_embed_without_origins_cannot_be_framed(client, municipality):
    _switch_on(municipality)
    response = client.get(reverse("dashboard:key_figures_embed", args=["helsingor"]))
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
