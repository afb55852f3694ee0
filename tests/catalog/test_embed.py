import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def embeddable(municipality):
    municipality.embed_allowed_origins = "https://intranet.skole.dk/\nhttps://aula.example"
    municipality.save()
    return municipality


def csp(response) -> str:
    return response.headers.get("Content-Security-Policy", "")


def test_embed_allows_only_configured_origins(client, embeddable, published_offer):
    response = client.get(reverse("catalog:embed_list"), {"municipality": embeddable.slug})
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    policy = csp(response)
    assert "frame-ancestors https://intranet.skole.dk https://aula.example" in policy
    assert "'none'" not in policy.split("frame-ancestors")[1].split(";")[0]


def test_embed_detail_allows_configured_origins(client, embeddable, published_offer):
    url = reverse("catalog:embed_detail", args=[published_offer.slug])
    response = client.get(url, {"municipality": embeddable.slug})
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors https://intranet.skole.dk https://aula.example" in csp(response)


def test_embed_without_configured_origins_cannot_be_framed(client, municipality):
    response = client.get(reverse("catalog:embed_list"))
    assert "frame-ancestors 'none'" in csp(response)


def test_other_municipalitys_origins_do_not_apply(
    client, embeddable, other_municipality, published_offer
):
    response = client.get(reverse("catalog:embed_list"), {"municipality": "fredensborg"})
    assert "frame-ancestors 'none'" in csp(response)
    # An offer of another municipality is not shown under this one's origins.
    url = reverse("catalog:embed_detail", args=[published_offer.slug])
    assert client.get(url, {"municipality": "fredensborg"}).status_code == 404


@pytest.mark.parametrize("name,args", [("catalog:offer_list", []), ("catalog:embed_snippet", [])])
def test_other_pages_stay_unframeable(client, embeddable, name, args, consultant):
    client.force_login(consultant)
    response = client.get(reverse(name, args=args))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in csp(response)


def test_offer_page_stays_unframeable(client, embeddable, published_offer):
    response = client.get(published_offer.get_absolute_url())
    assert response.headers["X-Frame-Options"] == "DENY"


def test_embed_presets_filters_from_url(client, embeddable, make_offer):
    make_offer(title="Håndbold", domain="sport", grade_min=4, grade_max=6)
    make_offer(title="Indskolingsidræt", domain="sport", grade_min=0, grade_max=2)
    make_offer(title="Kor", domain="music", grade_min=4, grade_max=6)
    response = client.get(
        reverse("catalog:embed_list"),
        {"municipality": embeddable.slug, "domain": "sport", "grade": "5"},
    )
    assert [o.title for o in response.context["offers"]] == ["Håndbold"]


def test_embed_links_leaving_open_in_new_tab(client, embeddable, published_offer):
    url = reverse("catalog:embed_detail", args=[published_offer.slug])
    html = client.get(url, {"municipality": embeddable.slug}).content.decode()
    book = published_offer.get_absolute_url() + "book/"
    assert f'href="{book}" target="_blank" rel="noopener"' in html
    assert "<script" not in html


def test_embed_page_and_css_weigh_under_60_kb(client, embeddable, make_offer):
    for i in range(20):
        make_offer(title=f"Tilbud med en lang titel nummer {i}", summary="x" * 190)
    response = client.get(reverse("catalog:embed_list"), {"municipality": embeddable.slug})
    html = response.content
    assert b"bootstrap" not in html
    assert b"<script" not in html
    css_path = finders.find("catalog/embed.css")
    with open(css_path, "rb") as fh:
        css = fh.read()
    assert len(html) + len(css) < 60 * 1024


def test_snippet_page_for_operators_and_consultants_only(
    client, embeddable, consultant, teacher, association_admin
):
    url = reverse("catalog:embed_snippet")
    assert client.get(url).status_code == 302
    for user in (teacher, association_admin):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(consultant)
    response = client.get(url, {"domain": "sport", "grade": "5"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "/embed/offers/?municipality=helsingor&amp;domain=sport&amp;grade=5" in html
    assert "&lt;iframe" in html
    assert "https://intranet.skole.dk" in html


def test_snippet_page_for_operator(client, embeddable):
    operator = f.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator)
    assert client.get(reverse("catalog:embed_snippet")).status_code == 200


@pytest.mark.parametrize("lang,heading", [("en", "Offers in"), ("da", "Tilbud i")])
def test_embed_language_from_the_url(client, embeddable, published_offer, settings, lang, heading):
    """An intranet's iframe gets no language cookie: ?lang= chooses, and links keep it."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en" if lang == "da" else "da"
    url = reverse("catalog:embed_list")
    html = client.get(url, {"municipality": embeddable.slug, "lang": lang}).content.decode()
    assert f'<html lang="{lang}">' in html
    assert heading in html
    assert f'<input type="hidden" name="lang" value="{lang}">' in html
    detail = reverse("catalog:embed_detail", args=[published_offer.slug])
    assert f"{detail}?municipality={embeddable.slug}&amp;lang={lang}" in html
    html = client.get(detail, {"municipality": embeddable.slug, "lang": lang}).content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"{url}?municipality={embeddable.slug}&amp;lang={lang}" in html


def test_embed_ignores_an_unknown_language(client, embeddable, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("catalog:embed_list")
    html = client.get(url, {"municipality": embeddable.slug, "lang": "xx"}).content.decode()
    assert '<html lang="en">' in html
    assert 'name="lang"' not in html


def test_embed_language_pages_are_cached_apart(client, embeddable, settings):
    settings.PAGECACHE_ENABLED = True
    url = reverse("catalog:embed_list")
    first = client.get(url, {"municipality": embeddable.slug, "lang": "en"}).content.decode()
    second = client.get(url, {"municipality": embeddable.slug, "lang": "da"}).content.decode()
    assert '<html lang="en">' in first and '<html lang="da">' in second


def test_snippet_carries_the_chosen_language(client, embeddable, consultant):
    client.force_login(consultant)
    html = client.get(reverse("catalog:embed_snippet"), {"lang": "en"}).content.decode()
    assert "/embed/offers/?municipality=helsingor&amp;lang=en" in html
    assert '<option value="en" selected>' in html


def test_embedded_cards_show_the_price_amount(client, embeddable, make_offer):
    make_offer(title="Fodbold", price_model="hourly", price_amount=350)
    make_offer(title="Kor", price_model="per_class", price_amount=1200)
    make_offer(title="Gratis løb", price_model="free")
    html = client.get(reverse("catalog:embed_list"), {"municipality": embeddable.slug})
    html = html.content.decode()
    assert "Timeløn til instruktør: 350 kr. i timen" in html
    assert "Fast pris pr. klasse: 1.200 kr." in html


def test_an_embed_of_a_municipality_without_offers_says_so(client, embeddable):
    html = client.get(reverse("catalog:embed_list"), {"municipality": embeddable.slug})
    html = html.content.decode()
    assert f"{embeddable.name} har ingen tilbud endnu." in html
    assert "Prøv at fjerne et" not in html
