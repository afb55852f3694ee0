import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from associations.models import Association, Offer
from schools.models import School
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.django_db
def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_healthz_503_when_redis_is_down(client, settings):
    # A port where nothing listens: Redis is "configured but down".
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert "redis" in response.json()["checks"]


@pytest.mark.django_db
def test_healthz_checks_real_redis_when_configured(client, settings):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL not set (CI sets it)")
    settings.REDIS_URL = url
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "ok"


@pytest.mark.django_db
def test_home_is_danish_by_default_and_has_one_h1(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="da">' in html
    assert html.count("<h1") == 1
    assert 'id="main"' in html and "<nav" in html and "<footer" in html
    assert "Skoler og foreninger finder hinanden" in html


@pytest.mark.django_db
def test_language_switch_to_english(client):
    response = client.get(reverse("switch_language", args=["en"]), {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Schools and associations find each other" in html


@pytest.mark.django_db
def test_footer_links_resolve(client):
    for name in ("privacy", "accessibility", "contact"):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_unknown_page_is_404_in_site_look(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


@pytest.mark.django_db
def test_every_page_has_csp_and_denies_framing(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789abcdef",
        "ALLOWED_HOSTS": "portal.example.dk",
        "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing, env",
    [
        ("SECRET_KEY", {"SECRET_KEY": ""}),
        # Each process would have a cache of its own: cached accounts could outlive a change.
        (
            "REDIS_URL",
            {"SECRET_KEY": "a-long-random-production-secret-key-0123456789abcdef", "REDIS_URL": ""},
        ),
    ],
)
def test_production_settings_refuse_a_missing_setting(missing, env):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.prod", **env}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert missing in result.stderr


def test_settings_defaults_are_embedded():
    assert settings.LANGUAGE_CODE == "da"
    assert settings.TIME_ZONE == "Europe/Copenhagen"
    assert [code for code, _ in settings.LANGUAGES] == ["da", "en"]


@pytest.mark.django_db
def test_tenancy_one_call_per_model(municipality, other_municipality):
    mine = f.SchoolFactory(municipality=municipality)
    f.SchoolFactory(municipality=other_municipality)
    both = f.AssociationFactory(municipalities=[municipality, other_municipality])
    theirs = f.AssociationFactory(municipalities=[other_municipality])
    consultant = f.ConsultantFactory(municipality=municipality).user

    assert list(School.objects.for_consultant(consultant)) == [mine]
    assert list(Association.objects.for_municipality(municipality)) == [both]
    assert theirs in Association.objects.for_municipality(other_municipality)
    offer = f.OfferFactory(association=both, published=True)
    f.OfferFactory(association=theirs, published=True)
    assert list(Offer.objects.for_consultant(consultant).published()) == [offer]
    teacher = f.SchoolMembershipFactory(school=mine).user
    assert list(Offer.objects.for_consultant(teacher)) == []
    # Several municipalities at once: each row once, although "both" is in two of them.
    both_ids = [municipality.pk, other_municipality.pk]
    assert Offer.objects.published().in_municipalities(both_ids).count() == 2
    assert list(Offer.objects.in_municipalities([municipality.pk])) == [offer]
    assert list(School.objects.in_municipalities([municipality.pk])) == [mine]


@pytest.mark.django_db
def test_language_switch_refuses_foreign_redirects_and_unknown_languages(client):
    response = client.get(
        reverse("switch_language", args=["en"]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert client.get(reverse("switch_language", args=["xx"])).status_code == 404


@pytest.mark.django_db
def test_anonymous_pages_carry_no_csrf_cookie(client):
    # Anonymous pages must not depend on the visitor (so they can be cached).
    response = client.get("/")
    assert "csrftoken" not in response.cookies


def test_ping_is_minimal(client):
    response = client.get("/ping")
    assert response.status_code == 200 and response.content == b"pong"


def test_collectstatic_works_with_production_storage(tmp_path):
    """The manifest storage refuses missing files (e.g. source maps) at deploy time."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789abcdef",
        "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
        "REDIS_URL": "redis://build-only:6379/0",  # as in the Dockerfile: never connected
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()


@pytest.mark.django_db
def test_admin_login_page_works_for_anonymous_visitors(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200


def test_rate_limit_address_ignores_forged_forwarded_for(rf, settings):
    from portal.ratelimit import client_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.9"
    settings.TRUSTED_PROXY_COUNT = 1
    forged = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4", REMOTE_ADDR="10.0.0.9")
    assert client_address(forged) == "1.2.3.4"
