from decimal import Decimal

import pytest
from django.http import QueryDict

from associations.models import Subject
from catalog.filters import OfferFilter, facet_counts
from catalog.services import catalog_offers
from tests import factories as f

pytestmark = pytest.mark.django_db


def titles(municipality, query: str, origin=None) -> set[str]:
    fs = OfferFilter(QueryDict(query), catalog_offers(municipality), origin=origin)
    assert fs.is_valid(), fs.errors
    return {o.title for o in fs.qs}


def test_domain_and_format(municipality, make_offer):
    make_offer(title="A", domain="sport", format="event")
    make_offer(title="B", domain="music", format="visit")
    make_offer(title="C", domain="nature", format="visit")
    assert titles(municipality, "domain=sport") == {"A"}
    assert titles(municipality, "domain=sport&domain=music") == {"A", "B"}
    assert titles(municipality, "format=visit") == {"B", "C"}
    assert titles(municipality, "domain=music&format=visit") == {"B"}


def test_grade_in_range(municipality, make_offer):
    make_offer(title="Indskoling", grade_min=0, grade_max=3)
    make_offer(title="Mellemtrin", grade_min=4, grade_max=6)
    assert titles(municipality, "grade=5") == {"Mellemtrin"}
    assert titles(municipality, "grade=3") == {"Indskoling"}
    assert titles(municipality, "grade=4") == {"Mellemtrin"}


def test_subject(municipality, make_offer):
    math = Subject.objects.get_or_create(slug="matematik", defaults={"name": "Matematik"})[0]
    offer = make_offer(title="Tal i naturen")
    offer.subjects.add(math)
    make_offer(title="Uden fag")
    assert titles(municipality, "subject=matematik") == {"Tal i naturen"}


def test_where(municipality, make_offer):
    make_offer(title="På skolen", location="school")
    make_offer(title="I klubben", location="association")
    make_offer(title="I skoven", location="elsewhere", location_address="Skoven 1")
    assert titles(municipality, "where=school") == {"På skolen"}
    assert titles(municipality, "where=out") == {"I klubben", "I skoven"}


def test_free_and_max_price_per_class(municipality, make_offer):
    make_offer(title="Gratis", price_model="free")
    # Materials are paid per pupil: a typical class of 22 pays 440 and 550.
    make_offer(title="Materialer", price_model="materials", price_amount=Decimal("20"))
    make_offer(title="Dyre materialer", price_model="materials", price_amount=Decimal("25"))
    make_offer(
        title="Timeløn",
        price_model="hourly",
        price_amount=Decimal("300"),
        duration_minutes=120,
    )  # 600 per class
    assert titles(municipality, "free=true") == {"Gratis"}
    assert titles(municipality, "max_price=500") == {"Gratis", "Materialer"}
    assert titles(municipality, "max_price=600") == {
        "Gratis",
        "Materialer",
        "Dyre materialer",
        "Timeløn",
    }


def test_week_including_seasons_over_new_year(municipality, make_offer):
    make_offer(title="Efterår", season_start_week=33, season_end_week=45)
    make_offer(title="Vinter", season_start_week=45, season_end_week=10)
    make_offer(title="Forår", season_start_week=10, season_end_week=26)
    assert titles(municipality, "week=40") == {"Efterår"}
    assert titles(municipality, "week=50") == {"Vinter"}
    assert titles(municipality, "week=2") == {"Vinter"}
    assert titles(municipality, "week=10") == {"Vinter", "Forår"}
    assert titles(municipality, "week=30") == set()


def test_weekday(municipality, make_offer):
    make_offer(title="Mandag", weekdays="1")
    make_offer(title="Hverdage", weekdays="12345")
    assert titles(municipality, "weekday=3") == {"Hverdage"}
    assert titles(municipality, "weekday=1") == {"Mandag", "Hverdage"}


def test_distance_from_postal_code_and_from_origin(municipality):
    near = f.AssociationFactory(
        municipalities=[municipality], latitude=56.03, longitude=12.60, postal_code="3000"
    )
    far = f.AssociationFactory(
        municipalities=[municipality], latitude=55.68, longitude=12.57, postal_code="1000"
    )
    f.OfferFactory(association=near, published=True, title="Nær")
    f.OfferFactory(association=far, published=True, title="Fjern")
    # 3000 is known from the near association (and the factories' schools).
    assert titles(municipality, "postal_code=3000&distance=10") == {"Nær"}
    assert titles(municipality, "distance=50", origin=(55.68, 12.57)) == {"Fjern", "Nær"}
    assert titles(municipality, "distance=5", origin=(55.68, 12.57)) == {"Fjern"}
    fs = OfferFilter(QueryDict("sort=nearest"), catalog_offers(municipality), origin=(55.68, 12.57))
    assert [o.title for o in fs.qs] == ["Fjern", "Nær"]


def test_free_text_fallback_searches_four_fields(municipality, association, make_offer):
    association.name = "Helsingør Kajakklub"
    association.save()
    make_offer(title="Kajak", summary="x", description="y")
    make_offer(title="Z1", summary="Sejlads og kajak", description="y")
    make_offer(title="Z2", summary="x", description="Vi padler i kajak")
    other = f.AssociationFactory(municipalities=[municipality], name="Skakklubben")
    f.OfferFactory(association=other, published=True, title="Skak", summary="s", description="d")
    assert titles(municipality, "q=kajak") == {"Kajak", "Z1", "Z2"}
    assert titles(municipality, "q=kajakklub") == {"Kajak", "Z1", "Z2"}
    assert titles(municipality, "q=skakklubben") == {"Skak"}


def test_newest_first_by_default(municipality, make_offer):
    from datetime import timedelta

    from django.utils import timezone

    make_offer(title="Ældre", approved_at=timezone.now() - timedelta(days=5))
    make_offer(title="Nyere")
    fs = OfferFilter(QueryDict(""), catalog_offers(municipality))
    assert [o.title for o in fs.qs] == ["Nyere", "Ældre"]


def test_invalid_input_is_an_error_not_a_crash(municipality, make_offer):
    fs = OfferFilter(QueryDict("grade=abc&domain=nope"), catalog_offers(municipality))
    assert not fs.is_valid()


def test_facet_counts_one_query(municipality, make_offer, django_assert_num_queries):
    make_offer(domain="sport", location="school")
    make_offer(domain="sport", location="association")
    make_offer(domain="music", location="school")
    with django_assert_num_queries(1):
        counts = facet_counts(OfferFilter(QueryDict("where=school"), catalog_offers(municipality)))
    assert counts["domain"] == {**counts["domain"], "sport": 1, "music": 1}
    assert counts["where"]["school"] == 2 and counts["where"]["out"] == 1
    assert counts["free"]["true"] == 2  # with where=school applied


def test_free_count_ignores_the_free_filter_itself(municipality, make_offer):
    make_offer(price_model="free")
    make_offer(price_model="materials", price_amount=Decimal("100"))
    fs = OfferFilter(QueryDict("free=true"), catalog_offers(municipality))
    assert fs.is_valid()
    counts = facet_counts(fs)
    assert counts["free"]["true"] == 1
    assert counts["domain"]["sport"] == 1  # the free filter applies to the other facets


def test_association_without_coordinates_is_placed_at_its_postal_code(municipality):
    f.SchoolFactory(municipality=municipality, postal_code="3100", latitude=56.09, longitude=12.46)
    f.SchoolFactory(municipality=municipality, postal_code="3100", latitude=56.07, longitude=12.44)
    club = f.AssociationFactory(municipalities=[municipality], postal_code="3100")
    f.OfferFactory(association=club, published=True, title="Hornbæk")
    fs = OfferFilter(QueryDict("distance=2"), catalog_offers(municipality), origin=(56.08, 12.45))
    offers = list(fs.qs)
    assert [o.title for o in offers] == ["Hornbæk"]
    assert offers[0].distance < 0.5


def test_each_filterset_has_filters_of_its_own(municipality):
    """The filters are copied for each filterset (``OfferFilter.get_filters``), shallowly:
    a ``method`` filter calls its own filterset, and the class's filters stay as declared."""
    offers = catalog_offers(municipality)
    first = OfferFilter(QueryDict("distance=10"), offers)
    second = OfferFilter(QueryDict("distance=10&postal_code=9999"), offers)
    declared = OfferFilter.base_filters
    assert first.filters["distance"] is not second.filters["distance"]
    assert first.filters["q"].parent is first and second.filters["q"].parent is second
    assert first.filters["subject"].extra is not declared["subject"].extra
    # Shallow: the declared settings are shared, not copied for every filterset.
    assert first.filters["subject"].queryset is declared["subject"].queryset
    assert list(second.qs) == list(first.qs) == []
    # Each filterset's own distance method said why it did not filter by distance.
    assert first.distance_notice and "9999" not in first.distance_notice
    assert "9999" in second.distance_notice
    assert not hasattr(declared["distance"], "parent")
    # A form field built on a declared filter (drf-spectacular does) is not shared either.
    assert declared["domain"].field is not None
    assert "_field" not in OfferFilter(QueryDict(""), offers).filters["domain"].__dict__


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_filter_forms_kept_options_are_the_fields_own(municipality, language):
    """The filter form draws its fixed options from a per-language copy
    (``catalog_tags._options``): the same markup as from the bound fields, ticks included."""
    from django.utils import translation

    from catalog.templatetags.catalog_tags import (
        FIXED_OPTIONS,
        _options,
        choice_inputs,
        select_options,
    )

    query = QueryDict("domain=sport&format=course&where=out&weekday=3&sort=newest")
    form = OfferFilter(query, catalog_offers(municipality)).form
    with translation.override(language):
        kept = _options(type(form), language)
        assert set(kept) == set(FIXED_OPTIONS)
        for name, kind in (("domain", "checkbox"), ("format", "checkbox"), ("where", "radio")):
            own = choice_inputs(form[name], {}, kind)
            assert choice_inputs(form[name], {}, kind, kept[name]) == own
            assert " checked" in own
        for name in ("weekday", "sort"):
            own = select_options(form[name])
            assert select_options(form[name], choices=kept[name]) == own
            assert " selected" in own
    assert kept["where"][0][0] == ""  # the empty option ("Anywhere") comes first
