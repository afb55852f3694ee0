"""Hardening: login lockout, production settings, CSP, CSRF, passwords, escaping, uploads, error pages."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from portal.uploads import validate_image
from tests import factories as f

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


# --- Login throttling (django-axes) --------------------------------------------------------


def test_login_locks_out_after_the_failure_limit(db):
    user = f.UserFactory(email="laerer@example.com")
    client = Client()
    url = reverse("accounts:login")
    limit = settings.AXES_FAILURE_LIMIT
    assert 1 <= limit <= 10
    for _ in range(limit - 1):
        response = client.post(url, {"username": user.email, "password": "wrong"})
        assert response.status_code == 200  # the form again, with an error
    response = client.post(url, {"username": user.email, "password": "wrong"})
    assert response.status_code in (403, 429)
    # Now even the right password is refused, and the lockout page is in the site's look.
    response = client.post(url, {"username": user.email, "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
    assert "errors/lockout.html" in [t.name for t in response.templates]


def test_failures_below_the_limit_do_not_lock(db):
    user = f.UserFactory(email="frivillig@example.com")
    client = Client()
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": user.email, "password": "wrong"})
    response = client.post(url, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


# --- Production settings -------------------------------------------------------------------


def _prod_env(**extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser tests (tests/e2e); never in production.
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DEBUG",
            "SECURE_SSL_REDIRECT",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
            "SECRET_KEY": "x" * 20 + "-not-a-real-key-but-long-enough-" + "y" * 20,
            "ALLOWED_HOSTS": "portal.example.dk",
            "REDIS_URL": "redis://127.0.0.1:6379/15",  # required; no check connects to it
        }
    )
    env.update(extra)
    return env


def _check_deploy():
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=_prod_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = _check_deploy()
    output = result.stdout + result.stderr
    assert "security.W" not in output and "security.E" not in output, output
    assert result.returncode == 0, output


def test_production_refuses_a_missing_or_short_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=_prod_env(SECRET_KEY="short"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_values():
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) "
        "for k in ['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY',"
        " 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT',"
        " 'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS', 'LANGUAGE_COOKIE_SECURE']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=REPO,
        env=_prod_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    import json

    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"


# --- CSP and templates without inline script or style ---------------------------------------

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script> (no src)"),
    (re.compile(r"<style[\s>]", re.I), "<style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on*= event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def _page_templates() -> list[Path]:
    roots = [REPO / "templates", *(p for p in REPO.glob("*/templates") if ".venv" not in str(p))]
    files = []
    for root in roots:
        for path in root.rglob("*.html"):
            # HTML e-mails need inline styles (mail clients ignore style sheets); no CSP there.
            if "emails" in path.relative_to(root).parts:
                continue
            files.append(path)
    return files


def test_templates_have_no_inline_script_style_or_handlers():
    problems = []
    templates = _page_templates()
    assert len(templates) > 10
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(REPO)}:{line}: {what}")
    assert not problems, "The CSP forbids these (move them to a .js/.css file):\n" + "\n".join(
        problems
    )


def test_the_template_scan_finds_inline_code():
    sample = '<p style="x"><script>alert(1)</script><a onclick="x()" href="javascript:x">'
    found = {what for pattern, what in INLINE if pattern.search(sample)}
    assert len(found) == 4
    assert not any(p.search('<script src="/static/x.js" defer></script>') for p, _ in INLINE)


def _simple_get_urls() -> list[str]:
    """Every URL of the project without parameters (admin excluded)."""
    urls = []

    def walk(patterns, prefix):
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                if route.startswith("admin/"):
                    continue
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern) and "<" not in route and not route.startswith("^"):
                urls.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(urls))


def test_every_page_sends_a_strict_csp(db, client):
    urls = _simple_get_urls()
    assert "/" in urls and "/login/" in urls
    checked = 0
    for url in urls:
        response = client.get(url)
        if response.get("Content-Type", "").startswith("text/html"):
            csp = response.get("Content-Security-Policy", "")
            assert "default-src 'self'" in csp, url
            assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
            assert "object-src 'none'" in csp, url
            checked += 1
    assert checked >= 5


# --- CSRF ------------------------------------------------------------------------------------

# Views that may legitimately be csrf_exempt, with the reason. Nothing that serves a form.
CSRF_EXEMPT_ALLOWED: dict[str, str] = {
    # RFC 8058 one-click unsubscribe: the mail client POSTs; the signed token is the proof.
    "notifications:unsubscribe": "one-click unsubscribe",
    # The open data API is read-only, anonymous and has no session authentication.
    "api:index": "read-only API",
    "api:schema": "read-only API",
    "api:municipalities": "read-only API",
    "api:offers": "read-only API",
    "api:associations": "read-only API",
    "api:occasions": "read-only API",
}


def _all_patterns():
    out = []

    def walk(patterns, prefix, ns):
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                if route.startswith("admin/"):
                    continue
                walk(p.url_patterns, prefix + route, p.namespace or ns)
            else:
                out.append((prefix + route, f"{ns}:{p.name}" if ns else str(p.name), p.callback))

    walk(get_resolver().url_patterns, "", None)
    return out


def test_no_view_is_csrf_exempt():
    exempt = [
        name
        for route, name, callback in _all_patterns()
        if getattr(callback, "csrf_exempt", False) and name not in CSRF_EXEMPT_ALLOWED
    ]
    assert not exempt, f"csrf_exempt views: {exempt}"


@pytest.mark.parametrize(
    "name,data",
    [
        ("accounts:login", {"username": "a@example.com", "password": "x"}),
        ("accounts:logout", {}),
        ("accounts:signup", {"full_name": "A", "email": "a@example.com"}),
    ],
)
def test_post_without_csrf_token_is_refused(db, name, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(f.UserFactory()) if name == "accounts:logout" else None
    response = client.post(reverse(name), data)
    assert response.status_code == 403
    # Django's CSRF failure view uses templates/403_csrf.html: the site's look, no detail.
    assert "403_csrf.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert 'class="site-footer' in html
    assert "CSRF" not in html and "DEBUG" not in html


def test_every_no_argument_url_refuses_post_without_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    for url in _simple_get_urls():
        response = client.post(url, {"x": "1"})
        assert response.status_code in (403, 405), f"{url}: {response.status_code}"


def test_only_allowed_views_are_csrf_exempt_and_they_refuse_plain_form_posts(db):
    client = Client(enforce_csrf_checks=True)
    for route, name, _callback in _all_patterns():
        if name in CSRF_EXEMPT_ALLOWED and name.startswith("api:") and "<" not in route:
            # Read-only: a cross-site POST changes nothing.
            response = client.post("/" + route, {"x": "1"})
            assert response.status_code in (403, 405), f"{route}: {response.status_code}"


# --- Passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["12345678", "password", "kort", "98765432101"])
def test_weak_passwords_are_refused(db, password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_password_like_the_email_is_refused(db):
    user = f.UserFactory.build(email="mette.hansen@skole.dk", full_name="Mette Hansen")
    with pytest.raises(ValidationError):
        validate_password("mette.hansen", user)


def test_signup_refuses_a_weak_password(db, client):
    from accounts.models import User

    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Ny Frivillig",
            "email": "ny@forening.example",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="ny@forening.example").exists()


# --- Escaping of user-written text ------------------------------------------------------------

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_user_text_is_escaped_on_public_pages(db, client):
    m = f.MunicipalityFactory(slug="helsingor", code="217")
    association = f.AssociationFactory(
        municipalities=[m], name="Klub " + XSS, slug="klub", description="Om os " + XSS
    )
    offer = f.OfferFactory(
        association=association,
        published=True,
        slug="tilbud",
        title="Tilbud " + XSS,
        summary="Kort " + XSS,
        description="Lang " + XSS,
        on_request=False,
    )
    f.OccasionFactory(offer=offer, place="Sted " + XSS)  # on the offer page and the calendar
    pages = [
        reverse("catalog:offer_list"),
        reverse("catalog:offer_calendar")
        + f"?month={timezone.localtime(offer.occasions.get().starts_at):%Y-%m}",
        reverse("catalog:offer_detail", kwargs={"slug": offer.slug}),
        reverse("catalog:association_detail", kwargs={"slug": association.slug}),
        reverse("catalog:embed_list"),
        reverse("catalog:embed_detail", kwargs={"slug": offer.slug}),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<script>alert" not in html, url
        assert "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", ""), url
        assert "&lt;script&gt;" in html, f"{url}: the text is not shown (escaped) at all"


# --- Uploads ---------------------------------------------------------------------------------


def _png(width: int, height: int, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, format="PNG")
    return out.getvalue()


def test_upload_that_is_not_an_image_is_refused_despite_its_name():
    upload = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        validate_image(upload)
    assert exc.value.code == "invalid"


def test_upload_of_an_svg_or_gif_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(ValidationError):
        validate_image(SimpleUploadedFile("x.png", out.getvalue(), content_type="image/png"))
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError):
        validate_image(SimpleUploadedFile("x.jpg", svg, content_type="image/jpeg"))


def test_upload_with_huge_dimensions_is_refused():
    data = _png(8000, 6000, mode="1")  # 48 megapixels, but a tiny file
    assert len(data) < 100_000
    with pytest.raises(ValidationError) as exc:
        validate_image(SimpleUploadedFile("big.png", data, content_type="image/png"))
    assert exc.value.code == "pixels"


def test_an_image_past_pillows_own_limit_is_refused_for_its_pixels_too():
    """A header claiming 30,000 x 30,000 pixels: Pillow refuses to open it at all (its
    DecompressionBombError); the user is told that the image has too many pixels, not that
    it is broken."""
    data = bytearray(_png(10, 10, mode="1"))
    data[16:24] = (30_000).to_bytes(4, "big") * 2  # IHDR's width and height
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    with pytest.raises(ValidationError) as exc:
        validate_image(SimpleUploadedFile("huge.png", bytes(data), content_type="image/png"))
    assert exc.value.code == "pixels"


def test_upload_that_is_too_large_is_refused():
    data = _png(10, 10) + b"\0" * (5 * 1024 * 1024 + 1)
    with pytest.raises(ValidationError) as exc:
        validate_image(SimpleUploadedFile("big.png", data, content_type="image/png"))
    assert exc.value.code == "too_large"


def test_a_real_image_is_accepted():
    validate_image(SimpleUploadedFile("ok.png", _png(400, 300), content_type="image/png"))


def test_uploads_are_stored_outside_the_code_directory():
    from portal.settings import base

    assert not Path(base.MEDIA_ROOT).resolve().is_relative_to(REPO / "portal")
    assert Path(base.MEDIA_ROOT).resolve() != REPO.resolve()
    assert not any(
        Path(base.MEDIA_ROOT).resolve().is_relative_to(REPO / app)
        for app in ("accounts", "associations", "catalog", "static", "templates")
    )


# --- Error pages -----------------------------------------------------------------------------


@pytest.mark.urls("tests.security.urls_errors")
@pytest.mark.parametrize(
    "url,status,template",
    [
        ("/__test__/500/", 500, "errors/500.html"),
        ("/__test__/403/", 403, "errors/403.html"),
        ("/__test__/400/", 400, "errors/400.html"),
        ("/findes-ikke/", 404, "errors/404.html"),
    ],
)
def test_error_pages_are_custom_and_leak_nothing(db, settings, url, status, template):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get(url)
    assert response.status_code == status
    assert template in [t.name for t in response.templates]
    html = response.content.decode()
    assert "<h1>" in html and 'class="site-footer' in html  # the site's look
    for leak in (
        "Traceback",
        "secret-detail-in-exception",
        "bad request detail",
        "ExplodingError",
        settings.SECRET_KEY,
        "DJANGO_SETTINGS_MODULE",
        "INSTALLED_APPS",
    ):
        assert leak not in html, f"{leak!r} shown on the {status} page"
    assert "Content-Security-Policy" in response


# --- Rate limits -----------------------------------------------------------------------------


def test_signup_is_rate_limited(db, client, settings, steady_clock):
    from portal.ratelimit import parse_rate

    limit, _ = parse_rate(settings.PORTAL_SIGNUP_RATE)
    statuses = []
    for i in range(limit + 1):
        response = client.post(
            reverse("accounts:signup"), {"full_name": "", "email": f"x{i}@example.com"}
        )
        statuses.append(response.status_code)
    assert statuses[:limit] == [200] * limit
    assert statuses[-1] == 429


def _forged(n: int) -> dict[str, str]:
    """A different X-Forwarded-For header on every request, as a client dodging limits sends."""
    return {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n % 250}, 198.51.100.{n % 7}"}


@pytest.mark.parametrize("proxies", [0, 1])
def test_rate_limits_count_one_client_whatever_it_forwards(db, settings, proxies, steady_clock):
    """The API, the sign-up form and the log-in lockout all take the client's address the
    same way: only the X-Forwarded-For entries our own proxies (TRUSTED_PROXY_COUNT) add
    are believed, so varying the header does not buy a new allowance."""
    from portal.ratelimit import parse_rate

    settings.TRUSTED_PROXY_COUNT = proxies
    settings.API_RATE = "3/min"
    m = f.MunicipalityFactory(slug="helsingor", code="217")
    client = Client()
    # Behind one proxy of ours, the proxy appends the real client; the client forges the rest.
    real = {"REMOTE_ADDR": "10.0.0.9"}
    suffix = ", 192.0.2.7" if proxies else ""

    def headers(n):
        return {**real, "HTTP_X_FORWARDED_FOR": _forged(n)["HTTP_X_FORWARDED_FOR"] + suffix}

    api = reverse("api:offers", kwargs={"slug": m.slug})
    codes = [client.get(api, **headers(n)).status_code for n in range(6)]
    assert codes == [200, 200, 200, 429, 429, 429]

    limit, _ = parse_rate(settings.PORTAL_SIGNUP_RATE)
    statuses = [
        client.post(
            reverse("accounts:signup"), {"email": f"x{n}@example.com"}, **headers(n)
        ).status_code
        for n in range(limit + 2)
    ]
    assert statuses[:limit] == [200] * limit
    assert statuses[limit:] == [429, 429]

    user = f.UserFactory(email="laerer@example.com")
    url = reverse("accounts:login")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": user.email, "password": "wrong"}, **headers(n))
    response = client.post(url, {"username": user.email, "password": PASSWORD}, **headers(99))
    assert response.status_code in (403, 429)


def test_the_proxy_address_counts_when_no_proxy_is_trusted(rf, settings):
    """Without trusted proxies the header is ignored entirely (a second client behind the
    same address shares its allowance, which is the safe side)."""
    from api.throttling import ApiRateThrottle

    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", **_forged(3))
    assert ApiRateThrottle().get_ident(request) == "10.0.0.9"
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7")
    assert ApiRateThrottle().get_ident(request) == "192.0.2.7"


def _hits_until_limited(client, url, rate: str) -> list[int]:
    from portal.ratelimit import parse_rate

    limit, _ = parse_rate(rate)
    return [client.post(url, {}).status_code for _ in range(limit + 1)]


def test_booking_requests_are_rate_limited_per_user(db, settings, steady_clock):
    m = f.MunicipalityFactory(slug="helsingor", code="217")
    offer = f.OfferFactory(
        association=f.AssociationFactory(municipalities=[m]), published=True, slug="tilbud"
    )
    teacher = f.SchoolMembershipFactory(school=f.SchoolFactory(municipality=m)).user
    client = Client()
    client.force_login(teacher)
    url = reverse("bookings:book_offer", kwargs={"slug": offer.slug})
    statuses = _hits_until_limited(client, url, settings.PORTAL_BOOKING_RATE)
    assert 429 not in statuses[:-1]
    assert statuses[-1] == 429


def test_booking_messages_are_rate_limited_per_user(db, settings, steady_clock):
    from tests.bookings.conftest import make_booking

    m = f.MunicipalityFactory(slug="helsingor", code="217")
    offer = f.OfferFactory(
        association=f.AssociationFactory(municipalities=[m]), published=True, on_request=True
    )
    school = f.SchoolFactory(municipality=m)
    teacher = f.SchoolMembershipFactory(school=school).user
    booking = make_booking(teacher, school, offer)
    client = Client()
    client.force_login(teacher)
    url = reverse("bookings:post_message", kwargs={"pk": booking.pk})
    statuses = _hits_until_limited(client, url, settings.PORTAL_MESSAGE_RATE)
    assert 429 not in statuses[:-1]
    assert statuses[-1] == 429


@pytest.mark.django_db
def test_read_only_pages_refuse_post(client, municipality, school, teacher):
    """Feeds, calendars and the API docs only answer GET and HEAD."""
    from bookings.models import CalendarFeed

    feed = CalendarFeed.objects.create(school=school)
    urls = [
        reverse("api:docs"),
        reverse("catalog:offer_feed", args=[municipality.slug]),
        reverse("catalog:occasion_calendar", args=[municipality.slug]),
        reverse("bookings:feed", args=[feed.token]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.post(url).status_code == 405, url
    client.force_login(teacher)
    assert client.get(reverse("bookings:my_ics")).status_code == 200
    assert client.post(reverse("bookings:my_ics")).status_code == 405


# --- Bad values before the database ----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/calendar/%00.ics", "/calendar/a%00b.ics", "/offers/?q=%00", "/offers/?q%00=1", "/%00/"],
)
def test_nul_bytes_in_the_address_are_refused_before_any_view(client, db, url):
    """PostgreSQL cannot compare text with a NUL byte: it used to be a 500 on the calendar feed."""
    response = client.get(url)
    assert response.status_code in (400, 404)


@pytest.mark.parametrize("value", ["abc", "1\x00", "", "-1", str(2**64)])
def test_an_association_id_that_is_no_id_is_not_found(
    client, association_admin, association, school, value
):
    from datetime import timedelta

    from django.utils import timezone

    from schools.models import SchoolEvent

    association.state = "approved"
    association.save()
    event = SchoolEvent.objects.create(
        school=school,
        title="Idrætsdag",
        starts_on=timezone.localdate() + timedelta(days=40),
        ends_on=timezone.localdate() + timedelta(days=40),
        grade_min=0,
        grade_max=9,
        created_by=f.UserFactory(),
    )
    client.force_login(association_admin)
    response = client.post(
        reverse("schools:participate", args=[event.pk]),
        {"association": value, "message": "Vi vil gerne være med"},
    )
    assert response.status_code == (302 if value == "" else 404)  # "": their first association
