"""The whole OpenID Connect round trip against a real local provider: no mocks."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.cache import cache

from associations.models import AssociationMembership
from schools.models import SchoolMembership
from sso.models import OIDCProvider
from tests import factories as f

from .conftest import CVR, SCHOOL_SLUG

pytestmark = pytest.mark.django_db


class FormParser(HTMLParser):
    """The first form's action and input values (hidden fields and submit buttons)."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action") or ""
        if tag == "input" and attrs.get("name") and attrs.get("type") in ("hidden", None):
            self.fields[attrs["name"]] = attrs.get("value") or ""


def form_of(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


@pytest.fixture
def sso_provider(oidc_provider, municipality):
    return OIDCProvider.objects.create(
        municipality=municipality,
        name="Testlogin",
        issuer=oidc_provider.issuer,
        client_id=oidc_provider.client_id,
        client_secret=oidc_provider.client_secret,
        school_claim="school",
        role_claim="school_role",
        cvr_claim="cvr",
    )


def provider_login(oidc_provider, authorize_url: str, username: str, allow=True) -> str:
    """Log in at the provider and give consent, as a browser would; return the callback URL."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)
    assert "/accounts/login/" in page.url
    login = form_of(page.text)
    page = browser.post(
        page.url,
        data={**login.fields, "username": username, "password": oidc_provider.password},
        timeout=10,
    )
    assert page.status_code == 200
    assert "/o/authorize/" in page.url, page.text[:500]
    consent = form_of(page.text)
    assert "redirect_uri" in consent.fields
    data = dict(consent.fields)
    if allow:
        data["allow"] = "Authorize"
    answer = browser.post(page.url, data=data, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    return answer.headers["Location"]


def start(client, sso_provider, next_url=""):
    response = client.get(f"/login/sso/{sso_provider.pk}/", {"next": next_url} if next_url else {})
    assert response.status_code == 302
    return response["Location"]


def local(url: str) -> str:
    parts = urlsplit(url)
    assert parts.netloc == "testserver"
    return f"{parts.path}?{parts.query}"


def test_login_page_lists_enabled_providers(client, sso_provider, municipality):
    OIDCProvider.objects.create(
        municipality=municipality,
        name="Slukket",
        issuer="https://example.invalid",
        client_id="x",
        client_secret="y",
        is_enabled=False,
    )
    html = client.get("/login/sso/").content.decode()
    assert "Log ind med Testlogin" in html
    assert "Slukket" not in html


def test_school_staff_round_trip(client, oidc_provider, sso_provider, municipality):
    school = f.SchoolFactory(municipality=municipality, slug=SCHOOL_SLUG)

    authorize_url = start(client, sso_provider, next_url="/school/")
    query = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith(f"{oidc_provider.issuer}/authorize/")
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] and query["nonce"] and query["code_challenge"]
    assert "client_secret" not in authorize_url

    callback = provider_login(oidc_provider, authorize_url, "lone")
    response = client.get(local(callback))

    assert response.status_code == 302
    assert response["Location"] == "/school/"
    user = response.wsgi_request.user
    assert user.is_authenticated
    assert user.email == "lone.larsen@skole.example"
    assert user.full_name == "Lone Larsen"
    assert user.email_confirmed
    assert not user.has_usable_password()
    membership = SchoolMembership.objects.get(user=user, school=school)
    assert membership.role == "department_head"
    assert membership.is_approved and membership.approved_at
    assert client.get("/me/").status_code == 302  # logged in: sent on to their role's page


def test_association_round_trip_updates_existing_user(
    client, oidc_provider, sso_provider, municipality
):
    association = f.AssociationFactory(municipalities=[municipality], cvr=CVR)
    existing = f.UserFactory(email="karl@klub.example", full_name="K", email_confirmed_at=None)

    callback = provider_login(oidc_provider, start(client, sso_provider), "karl")
    response = client.get(local(callback))

    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.full_name == "Karl Kasserer"
    assert existing.email_confirmed
    assert existing.has_usable_password()  # an existing password still works
    assert AssociationMembership.objects.filter(user=existing, association=association).exists()
    assert int(client.session["_auth_user_id"]) == existing.pk


def test_a_replayed_or_foreign_state_is_refused(client, oidc_provider, sso_provider):
    callback = provider_login(oidc_provider, start(client, sso_provider), "lone")
    # Another browser (no flow in its session) cannot use the code.
    from django.test import Client

    stranger = Client()
    response = stranger.get(local(callback), follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert "Log ind" in response.content.decode()
    # The right browser can, once; a replay fails.
    assert client.get(local(callback)).status_code == 302
    client.logout()
    replay = client.get(local(callback), follow=True)
    assert not replay.wsgi_request.user.is_authenticated


def test_a_wrong_nonce_is_refused(client, oidc_provider, sso_provider):
    authorize_url = start(client, sso_provider)
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]
    session = client.session
    session["sso_flows"][state]["nonce"] = "not-the-nonce-we-sent"
    session.save()
    callback = provider_login(oidc_provider, authorize_url, "lone")
    response = client.get(local(callback), follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert "kunne ikke bekræftes" in response.content.decode()


def test_a_wrong_pkce_verifier_is_refused_by_the_provider(client, oidc_provider, sso_provider):
    authorize_url = start(client, sso_provider)
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]
    session = client.session
    session["sso_flows"][state]["verifier"] = "x" * 64
    session.save()
    callback = provider_login(oidc_provider, authorize_url, "lone")
    response = client.get(local(callback), follow=True)
    assert not response.wsgi_request.user.is_authenticated


def test_cancelled_consent(client, oidc_provider, sso_provider):
    callback = provider_login(oidc_provider, start(client, sso_provider), "lone", allow=False)
    assert "error=access_denied" in callback
    response = client.get(local(callback), follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert "afbrudt" in response.content.decode()


def test_disabled_provider_cannot_start(client, sso_provider):
    sso_provider.is_enabled = False
    sso_provider.save()
    assert client.get(f"/login/sso/{sso_provider.pk}/").status_code == 404


def test_secret_is_not_logged(client, oidc_provider, sso_provider, caplog):
    cache.clear()
    caplog.set_level("DEBUG")
    callback = provider_login(oidc_provider, start(client, sso_provider), "lone")
    client.get(local(callback))
    assert oidc_provider.client_secret not in caplog.text
    assert oidc_provider.client_secret not in repr(sso_provider)
