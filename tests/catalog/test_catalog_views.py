from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from associations.models import Offer
from catalog.models import CatalogVisit, Favourite
from catalog.services import COOKIE_NAME
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_catalog_is_public_and_lists_only_published_offers(client, association, make_offer):
    shown = make_offer(title="Kajak i havnen")
    f.OfferFactory(association=association, title="Kladde")  # draft
    make_offer(title="På pause", is_paused=True)
    response = client.get(reverse("catalog:offer_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert shown.title in html
    assert "Kladde" not in html
    assert "På pause" not in html


def test_catalog_shows_only_the_chosen_municipality(client, municipality, other_municipality):
    here = f.OfferFactory(
        association=f.AssociationFactory(municipalities=[municipality]), published=True
    )
    there = f.OfferFactory(
        association=f.AssociationFactory(municipalities=[other_municipality]), published=True
    )
    response = client.get(reverse("catalog:offer_list"), {"municipality": "fredensborg"})
    html = response.content.decode()
    assert there.title in html and here.title not in html
    # Remembered in the session and a cookie.
    assert response.cookies[COOKIE_NAME].value == "fredensborg"
    html = client.get(reverse("catalog:offer_list")).content.decode()
    assert there.title in html and here.title not in html


def test_catalog_defaults_to_the_school_staffs_municipality(
    client, other_municipality, municipality, teacher
):
    f.OfferFactory(
        association=f.AssociationFactory(municipalities=[municipality]),
        published=True,
        title="Hjemme",
    )
    client.force_login(teacher)
    assert "Hjemme" in client.get(reverse("catalog:offer_list")).content.decode()


def test_pagination_keeps_the_filters(client, make_offer):
    for i in range(30):
        make_offer(title=f"Fodbold {i:02d}", domain="sport")
    response = client.get(reverse("catalog:offer_list"), {"domain": "sport", "grade": "5"})
    html = response.content.decode()
    assert "domain=sport&amp;grade=5&amp;page=2" in html


def test_facet_counts_are_shown(client, make_offer):
    make_offer(domain="sport")
    make_offer(domain="sport")
    make_offer(domain="music")
    response = client.get(reverse("catalog:offer_list"), {"domain": "music"})
    counts = response.context["counts"]
    assert counts["domain"]["sport"] == 2
    assert counts["domain"]["music"] == 1
    assert counts["format"]["visit"] == 1  # the domain filter applies to other facets
    assert response.context["page_obj"].paginator.count == 1


def test_offer_detail_by_slug_and_id(client, published_offer):
    assert client.get(published_offer.get_absolute_url()).status_code == 200
    url = reverse("catalog:offer_detail", args=[str(published_offer.pk)])
    assert client.get(url).status_code == 200
    for number in ("0", "9" * 18, "9" * 19, "9" * 40):  # no such id, and past any id's range
        assert client.get(reverse("catalog:offer_detail", args=[number])).status_code == 404


def test_offer_detail_hides_unpublished(client, association):
    draft = f.OfferFactory(association=association)
    assert client.get(reverse("catalog:offer_detail", args=[draft.slug])).status_code == 404


def test_offer_detail_contact_only_for_school_staff(
    client, published_offer, teacher, association_member
):
    email = published_offer.association.contact_email
    html = client.get(published_offer.get_absolute_url()).content.decode()
    assert email not in html
    assert published_offer.get_absolute_url() + "book/" in html
    client.force_login(association_member)
    assert email not in client.get(published_offer.get_absolute_url()).content.decode()
    client.force_login(teacher)
    assert email in client.get(published_offer.get_absolute_url()).content.decode()


def test_offer_detail_shows_occasions_with_free_places_and_class_price(client, association):
    offer = f.OfferFactory(
        association=association,
        published=True,
        on_request=False,
        price_model="hourly",
        price_amount=400,
        duration_minutes=90,
    )
    f.OccasionFactory(offer=offer, capacity=4, reserved=1)
    f.OccasionFactory(offer=offer, starts_at=timezone.now() - timedelta(days=2))
    response = client.get(offer.get_absolute_url())
    assert len(response.context["occasions"]) == 1
    html = response.content.decode()
    assert "3 ledige pladser" in html or "3 free places" in html
    assert response.context["class_price"] == 600


def test_favourites_for_school_staff_only(client, published_offer, teacher, association_member):
    url = reverse("catalog:favourite_toggle", args=[published_offer.slug])
    response = client.post(url)
    assert response.status_code == 302 and "login" in response.url
    client.force_login(association_member)
    assert client.post(url).status_code == 403
    assert client.get(reverse("catalog:favourite_list")).status_code == 403
    client.force_login(teacher)
    listing = client.get(reverse("catalog:offer_list"), {"q": published_offer.title})
    card = f'id="offer-{published_offer.pk}"'
    assert card in listing.content.decode()
    # The card's button leads back to the card in the list, not to the top of the page.
    back = f"{listing.wsgi_request.get_full_path()}#offer-{published_offer.pk}"
    assert f'name="next" value="{escape(back)}"' in listing.content.decode()
    assert client.post(url, {"next": back})["Location"] == back
    assert Favourite.objects.filter(user=teacher, offer=published_offer).exists()
    html = client.get(reverse("catalog:favourite_list")).content.decode()
    assert published_offer.title in html
    client.post(url)
    assert not Favourite.objects.filter(user=teacher).exists()


def test_new_since_last_visit(client, teacher, association, make_offer):
    client.force_login(teacher)
    client.get(reverse("catalog:offer_list"))
    visit = CatalogVisit.objects.get(user=teacher)
    visit.last_visit_at = timezone.now() - timedelta(days=3)
    visit.save()
    make_offer(title="Gammelt", approved_at=timezone.now() - timedelta(days=10))
    make_offer(title="Helt nyt")
    response = client.get(reverse("catalog:offer_list"))
    assert [o.title for o in response.context["new_offers"]] == ["Helt nyt"]


def test_near_my_school(client, teacher, municipality):
    near = f.AssociationFactory(municipalities=[municipality], latitude=56.04, longitude=12.60)
    far = f.AssociationFactory(municipalities=[municipality], latitude=55.0, longitude=10.0)
    f.OfferFactory(association=far, published=True, title="Langt væk")
    f.OfferFactory(association=near, published=True, title="Tæt på")
    client.force_login(teacher)
    near_offers = client.get(reverse("catalog:offer_list")).context["near_offers"]
    assert [o.title for o in near_offers] == ["Tæt på", "Langt væk"]
    assert near_offers[0].distance < 3


def test_anonymous_catalog_has_no_personal_lists(client, published_offer):
    response = client.get(reverse("catalog:offer_list"))
    assert "new_offers" not in response.context
    assert "/favourite/" not in response.content.decode()


def test_association_page(client, association, published_offer):
    draft = f.OfferFactory(association=association, title="Ikke godkendt")
    response = client.get(reverse("catalog:association_detail", args=[association.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert published_offer.title in html and draft.title not in html


def test_association_page_lists_the_published_offers_by_title(client, association):
    """The page reads its offers with ``Offer.objects.shown()`` (no join on the association): the
    same offers as ``published()``, in title order."""
    f.OfferFactory(association=association, published=True, title="B-tilbud")
    first = f.OfferFactory(association=association, published=True, title="A-tilbud")
    f.OfferFactory(association=association, published=True, is_paused=True, title="Pause")
    f.OfferFactory(
        association=association,
        published=True,
        certificates_valid_until=timezone.localdate() - timedelta(days=1),
        title="Udløbet",
    )
    f.OfferFactory(association=association, published=True, revision_of=first, title="Ændring")
    f.OfferFactory(published=True, title="Andens")
    response = client.get(reverse("catalog:association_detail", args=[association.slug]))
    html = response.content.decode()
    shown = list(Offer.objects.published().filter(association=association).order_by("title"))
    assert [o.title for o in shown] == ["A-tilbud", "B-tilbud"]
    assert [o.title for o in response.context["offers"]] == ["A-tilbud", "B-tilbud"]
    assert f'href="{first.get_absolute_url()}"' in html
    assert not any(t in html for t in ("Pause", "Udløbet", "Ændring", "Andens"))


def test_association_page_hides_unapproved_association(client, municipality):
    pending = f.AssociationFactory(municipalities=[municipality], state="submitted")
    url = reverse("catalog:association_detail", args=[pending.slug])
    assert client.get(url).status_code == 404


def test_default_municipality_is_the_one_with_offers(client, municipality, other_municipality):
    # "Fredensborg" sorts first but has no offers; the catalog opens on Helsingør.
    f.OfferFactory(
        association=f.AssociationFactory(municipalities=[municipality]),
        published=True,
        title="Her er noget",
    )
    response = client.get(reverse("catalog:offer_list"))
    assert response.context["municipality"] == municipality


def test_head_requests_work(client, published_offer):
    assert client.head(reverse("catalog:offer_list")).status_code == 200
    assert client.head(reverse("catalog:embed_list")).status_code == 200


def test_invalid_filter_values_do_not_break_the_page(client, published_offer):
    response = client.get(reverse("catalog:offer_list"), {"grade": "x", "domain": "nope"})
    assert response.status_code == 200
    assert published_offer.title in response.content.decode()


def test_postal_code_wins_over_the_school_position(client, teacher, municipality):
    f.SchoolFactory(municipality=municipality, postal_code="1000", latitude=55.68, longitude=12.57)
    cph = f.AssociationFactory(municipalities=[municipality], latitude=55.68, longitude=12.57)
    f.OfferFactory(association=cph, published=True, title="København")
    client.force_login(teacher)  # the teacher's school is in Helsingør
    response = client.get(reverse("catalog:offer_list"), {"postal_code": "1000", "distance": "5"})
    assert [o.title for o in response.context["offers"]] == ["København"]
    response = client.get(reverse("catalog:offer_list"), {"distance": "5"})
    assert list(response.context["offers"]) == []


def test_feed_links_on_the_catalog(client, municipality, published_offer):
    html = client.get(reverse("catalog:offer_list")).content.decode()
    assert reverse("catalog:offer_feed", args=[municipality.slug]) in html
    assert reverse("catalog:occasion_calendar", args=[municipality.slug]) in html
    assert reverse("catalog:embed_snippet") not in html


def test_favourite_redirect_stays_on_the_site(client, published_offer, teacher):
    client.force_login(teacher)
    url = reverse("catalog:favourite_toggle", args=[published_offer.slug])
    response = client.post(url, {"next": "https://evil.example/"})
    assert response.url == published_offer.get_absolute_url()
    response = client.post(url, {"next": "/offers/?domain=sport"})
    assert response.url == "/offers/?domain=sport"


def test_every_filter_label_names_its_own_control(client, make_offer):
    """A label whose for= points nowhere (or at another box) ticks the wrong filter."""
    import re

    from associations.models import Subject

    Subject.objects.get_or_create(slug="matematik", defaults={"name": "Matematik"})
    make_offer()
    html = client.get(reverse("catalog:offer_list")).content.decode()
    form = html[html.index('class="catalog-filters"') :]
    form = form[: form.index("</form>")]
    ids = re.findall(r'<(?:input|select)[^>]*\bid="([^"]*)"', form)
    assert ids and "None" not in ids and "" not in ids
    assert len(ids) == len(set(ids)), "duplicate ids"
    targets = re.findall(r'<label[^>]*\bfor="([^"]*)"', form)
    assert set(targets) <= set(ids)
    inputs = re.findall(r'<input[^>]*type="(?:checkbox|radio)"[^>]*>', form)
    assert len(targets) >= len(inputs)  # every box and radio button has its label
    assert 'name="subject"' in form and 'name="where"' in form


@pytest.mark.parametrize(
    "query, notice",
    [
        ("postal_code=9999&distance=10", "Postnummeret 9999 kendes ikke"),
        ("distance=10", "Angiv et postnummer"),
    ],
)
def test_a_distance_that_cannot_be_used_is_explained(client, make_offer, query, notice):
    make_offer()
    html = client.get(reverse("catalog:offer_list") + "?" + query).content.decode()
    assert notice in html
    assert 'aria-describedby="distance-notice"' in html


def test_a_known_postal_code_gives_no_notice(client, make_offer, municipality):
    f.SchoolFactory(municipality=municipality, postal_code="3000", latitude=56.03, longitude=12.6)
    make_offer()
    html = client.get(reverse("catalog:offer_list") + "?postal_code=3000&distance=10")
    assert "distance-notice" not in html.content.decode()


def test_on_a_phone_a_link_leads_past_the_filters_to_the_results(client, make_offer):
    make_offer()
    html = client.get(reverse("catalog:offer_list")).content.decode()
    link = html.index('href="#results-heading"')
    assert link < html.index('class="catalog-filters"')  # before the filters, not after
    assert 'id="results-heading" tabindex="-1"' in html  # focus moves there for the keyboard


def test_a_municipality_without_offers_says_so(
    client, municipality, other_municipality, make_offer
):
    """Not "no offers match the filters" when there is nothing to filter."""
    make_offer()  # in ``municipality`` only
    empty = client.get(reverse("catalog:offer_list"), {"municipality": other_municipality.slug})
    html = empty.content.decode()
    assert f"{other_municipality.name} har ingen tilbud endnu." in html
    assert "Ingen tilbud passer" not in html
    filtered = client.get(
        reverse("catalog:offer_list"), {"municipality": municipality.slug, "q": "zzzzzz"}
    )
    html = filtered.content.decode()
    assert "har ingen tilbud endnu" not in html


def test_the_filter_form_speaks_the_visitors_language(client, make_offer):
    """The form's options are kept per language (``catalog_tags._options``): a page in
    English after one in Danish, and the other way round, shows each in its own."""
    from django.conf import settings

    make_offer(title="Kajak i havnen")
    pages = {}
    for language in ("en", "da", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get(reverse("catalog:offer_list"), {"weekday": "3"}).content.decode()
        pages[language] = html[html.index('class="catalog-filters"') :]
    assert "Anywhere" in pages["en"] and '<option value="3" selected>Wednesday' in pages["en"]
    assert "Alle steder" in pages["da"] and '<option value="3" selected>Onsdag' in pages["da"]
    assert "Anywhere" not in pages["da"] and "Alle steder" not in pages["en"]
