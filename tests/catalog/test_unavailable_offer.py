"""The old link of an offer schools cannot see now (a child certificate ran out, its approval
expired, it is paused or suspended): a friendly page with similar offers, not a bare 404.
Unknown slugs and offers that were never public or are gone for good stay 404."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from associations import services as association_services
from associations import tasks as association_tasks
from associations.models import Offer
from screening.workflow import S
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_offer(association, municipality):
    offer = f.OfferFactory(
        association=association, published=True, with_instructor=False, domain="sport"
    )
    old = timezone.localdate() - municipality.child_certificate_max_age - timedelta(days=1)
    offer.instructors.add(f.InstructorFactory(association=association, child_certificate_date=old))
    association_services.refresh_certificate_validity(offer)
    return offer


def test_an_anonymous_visitor_gets_a_friendly_page_with_similar_offers(
    client, association, municipality, other_municipality, hidden_offer, make_offer
):
    similar = make_offer(domain="sport", title="Fodbold i frikvarteret")
    other_domain = make_offer(domain="music", title="Kor for 4. klasse")
    elsewhere = f.OfferFactory(
        association=f.AssociationFactory(municipalities=[other_municipality]),
        published=True,
        domain="sport",
        title="Svømning i Fredensborg",
    )
    response = client.get(hidden_offer.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    page = response.content.decode()
    assert '<meta name="robots" content="noindex">' in page
    assert "Tilbuddet er midlertidigt utilgængeligt" in page
    assert hidden_offer.title in page
    assert hidden_offer.get_absolute_url() + "book/" not in page  # nothing to book
    assert similar.title in page
    assert other_domain.title not in page and elsewhere.title not in page
    link = response.context["similar_query"]
    assert parse_qs(link) == {"domain": ["sport"], "municipality": [municipality.slug]}
    catalog = client.get(reverse("catalog:offer_list") + "?" + link).content.decode()
    assert similar.title in catalog and other_domain.title not in catalog


def test_a_teacher_gets_the_same_page_by_slug_and_by_id(client, teacher, hidden_offer):
    client.force_login(teacher)
    for url in (
        hidden_offer.get_absolute_url(),
        reverse("catalog:offer_detail", args=[str(hidden_offer.pk)]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert 'id="offer-unavailable"' in response.content.decode()


def test_after_the_nightly_check_the_link_still_leads_to_the_page(client, hidden_offer):
    association_tasks.check_child_certificates()
    hidden_offer.refresh_from_db()
    assert hidden_offer.state == S.EXPIRED
    response = client.get(hidden_offer.get_absolute_url())
    assert response.status_code == 200
    assert 'id="offer-unavailable"' in response.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        {"is_paused": True},
        {"state": S.SUSPENDED},
    ],
)
def test_other_temporary_reasons_get_the_page_too(client, published_offer, change):
    Offer.objects.filter(pk=published_offer.pk).update(**change)
    response = client.get(published_offer.get_absolute_url())
    assert response.status_code == 200
    assert 'id="offer-unavailable"' in response.content.decode()


def test_unknown_never_published_and_gone_offers_stay_404(client, association, published_offer):
    draft = f.OfferFactory(association=association)
    withdrawn = f.OfferFactory(association=association, published=True)
    Offer.objects.filter(pk=withdrawn.pk).update(state=S.WITHDRAWN)
    edit = association_services.editable_version(published_offer, by=None)
    for slug in ("no-such-offer", "999999", draft.slug, withdrawn.slug, edit.slug):
        assert client.get(reverse("catalog:offer_detail", args=[slug])).status_code == 404


@pytest.mark.django_db(transaction=True)  # a change counts when it commits
def test_the_page_goes_when_the_certificate_is_renewed(
    client, association, hidden_offer, settings, django_capture_on_commit_callbacks
):
    """The anonymous page is cached; renewing the certificate makes it stale at once."""
    settings.PAGECACHE_ENABLED = True
    url = hidden_offer.get_absolute_url()
    assert 'id="offer-unavailable"' in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        instructor = hidden_offer.instructors.get()
        instructor.child_certificate_date = timezone.localdate()
        instructor.save()
        association_services.after_instructors_changed(association)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert response.status_code == 200
    assert 'id="offer-unavailable"' not in response.content.decode()
    assert response.context["offer"] == hidden_offer


def test_similar_offers_follow_the_visitors_municipality_if_the_offer_was_there(
    client, municipality, other_municipality, make_offer
):
    both = f.AssociationFactory(municipalities=[municipality, other_municipality])
    offer = f.OfferFactory(association=both, published=True, is_paused=True)
    chosen = client.get(offer.get_absolute_url(), {"municipality": other_municipality.slug})
    assert parse_qs(chosen.context["similar_query"])["municipality"] == [other_municipality.slug]
    path = urlparse(offer.get_absolute_url()).path
    assert client.get(path).status_code == 200


def test_the_embedded_catalog_gets_the_page_too(client, municipality, hidden_offer, make_offer):
    municipality.embed_allowed_origins = "https://intranet.skole.dk/"
    municipality.save()
    similar = make_offer(domain="sport", title="Fodbold i frikvarteret")
    url = reverse("catalog:embed_detail", args=[hidden_offer.slug])
    response = client.get(url, {"municipality": municipality.slug, "lang": "en"})
    assert response.status_code == 200
    assert "frame-ancestors https://intranet.skole.dk" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert "This offer is temporarily unavailable" in page
    assert reverse("catalog:embed_detail", args=[similar.slug]) in page
    assert parse_qs(response.context["similar_query"]) == {
        "domain": ["sport"],
        "municipality": [municipality.slug],
        "lang": ["en"],
    }
    unknown = reverse("catalog:embed_detail", args=["no-such-offer"])
    assert client.get(unknown, {"municipality": municipality.slug}).status_code == 404


def test_another_municipalitys_embed_does_not_show_the_page(
    client, other_municipality, hidden_offer
):
    """Like a published offer of another municipality: 404 in this municipality's embed."""
    url = reverse("catalog:embed_detail", args=[hidden_offer.slug])
    assert client.get(url, {"municipality": other_municipality.slug}).status_code == 404
