"""Search: PostgreSQL full-text (Danish stemming, ranking) and trigram typo tolerance; the
plain fallback on other databases."""

import pytest
from django.http import QueryDict

from catalog.filters import OfferFilter
from catalog.search import needs_typo_tolerance, search_offers
from catalog.services import catalog_offers

pytestmark = pytest.mark.django_db


def found(municipality, text: str) -> list[str]:
    return [o.title for o in search_offers(catalog_offers(municipality), text)]


@pytest.fixture
def offers(make_offer):
    make_offer(
        title="Svømning for 3. klasse",
        summary="Tryghed i vandet",
        description="Eleverne lærer at svømme og flyde.",
    )
    make_offer(
        title="Fodbold i frikvarteret",
        summary="Boldspil for alle",
        description="Små kampe og tekniktræning.",
    )
    make_offer(
        title="Orienteringsløb i skoven",
        summary="Kort og kompas",
        description="Find posterne i skoven med kort.",
    )


def test_fallback_matches_substrings_case_insensitively(municipality, offers, is_postgres):
    if is_postgres:
        pytest.skip("the fallback runs on databases other than PostgreSQL")
    assert found(municipality, "FODBOLD") == ["Fodbold i frikvarteret"]
    assert found(municipality, "kompas") == ["Orienteringsløb i skoven"]
    assert found(municipality, "svøm") == ["Svømning for 3. klasse"]
    assert found(municipality, "cricket") == []


@pytest.mark.postgres
def test_danish_stemming_svomning_finds_svomme(municipality, make_offer):
    make_offer(
        title="Vandtilvænning",
        summary="Tryghed i vandet",
        description="Eleverne lærer at svømme i hallen.",
    )
    make_offer(title="Fodbold", summary="Bold", description="Kampe.")
    assert found(municipality, "svømning") == ["Vandtilvænning"]


@pytest.mark.postgres
def test_stemming_of_inflected_forms(municipality, offers):
    # "skovene" and "skoven" share the stem "skov".
    assert found(municipality, "skovene") == ["Orienteringsløb i skoven"]


@pytest.mark.postgres
def test_typos_are_tolerated_by_trigram_similarity(municipality, offers):
    assert found(municipality, "fodbol") == ["Fodbold i frikvarteret"]
    assert found(municipality, "orienteringslob") == ["Orienteringsløb i skoven"]
    assert found(municipality, "cricket") == []


@pytest.mark.postgres
def test_ranking_puts_title_hits_first(municipality, make_offer):
    make_offer(title="Boldspil", summary="Leg", description="Vi spiller også håndbold.")
    make_offer(title="Håndbold for mellemtrinnet", summary="Leg", description="Kampe.")
    fs = OfferFilter(QueryDict("q=håndbold"), catalog_offers(municipality))
    assert [o.title for o in fs.qs] == ["Håndbold for mellemtrinnet", "Boldspil"]


@pytest.mark.postgres
def test_association_name_is_searched(municipality, association, offers):
    association.name = "Helsingør Roklub"
    association.save()
    assert len(found(municipality, "roklub")) == 3


@pytest.mark.postgres
def test_search_combines_with_filters_and_counts(municipality, offers, client):
    response = client.get("/offers/", {"q": "skov", "domain": "sport"})
    assert [o.title for o in response.context["offers"]] == ["Orienteringsløb i skoven"]


@pytest.mark.postgres
def test_the_stored_document_follows_every_change(municipality, make_offer):
    """The database keeps Offer.search_document: an edited title, a renamed association and
    an offer created with bulk_create (as seed_scale does) are all found."""
    from associations.models import Offer

    offer = make_offer(title="Kajak", summary="På vandet", description="Padling.")
    assert found(municipality, "klatring") == []
    offer.title = "Klatring"
    offer.save()
    assert found(municipality, "klatring") == ["Klatring"]
    assert found(municipality, "Kajak") == []

    association = offer.association
    association.name = "Helsingør Bjergklub"
    association.save()
    assert found(municipality, "bjergklub") == ["Klatring"]

    Offer.objects.filter(pk=offer.pk).update(description="Reb og sikring.")
    assert found(municipality, "sikring") == ["Klatring"]

    copy = Offer.objects.get(pk=offer.pk)
    copy.pk = None
    copy.slug, copy.title = "ny-kopi", "Bueskydning"
    Offer.objects.bulk_create([copy])
    assert "Bueskydning" in found(municipality, "bueskydning")


@pytest.mark.postgres
def test_trigram_typo_tolerance_only_when_the_words_find_nothing(municipality, offers):
    """Comparing every title by trigrams is the slow part of a search: it runs only when
    full-text search (stems, stem prefixes) finds nothing."""
    base = catalog_offers(municipality)
    assert not needs_typo_tolerance(base, "fodbold")
    assert not needs_typo_tolerance(base, "skovene")
    # "foodbold" shares no stem or prefix with "fodbold": only trigrams find it.
    assert needs_typo_tolerance(base, "foodbold")
    assert found(municipality, "foodbold") == ["Fodbold i frikvarteret"]
    assert [o.title for o in search_offers(base, "foodbold", typos=False)] == []


@pytest.mark.postgres
def test_catalog_page_tolerates_a_typo(municipality, offers, client):
    response = client.get("/offers/", {"q": "foodbold"})
    assert [o.title for o in response.context["offers"]] == ["Fodbold i frikvarteret"]
    assert response.context["counts"]["total"] == 1
