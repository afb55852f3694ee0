"""The catalog inside an iframe on a page of another origin (a school's intranet).

A second small HTTP server (on 127.0.0.1, while the portal runs on localhost: another
origin) serves a page with the iframe. The municipality allows one origin; from that one the
catalog renders in the frame, from any other the browser refuses it (CSP frame-ancestors).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests import factories as f


class _Intranet:
    """A one-page HTTP server that frames the given URL."""

    def __init__(self, frame_url: str):
        html = (
            "<!doctype html><html lang='da'><head><meta charset='utf-8'><title>Intranet</title>"
            f"</head><body><h1>Skolens intranet</h1><iframe title='Åben Skole' src='{frame_url}'"
            " width='900' height='700'></iframe></body></html>"
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's API
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(html)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def embed_world(transactional_db):
    m = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    association = f.AssociationFactory(municipalities=[m], name="Helsingør Roklub", slug="roklub")
    offer = f.OfferFactory(
        association=association, published=True, slug="kajak", title="Kajak for 7. klasse"
    )
    return {"m": m, "offer": offer}


def _embed_url(base_url: str) -> str:
    return f"{base_url}/embed/offers/?municipality=helsingor"


@pytest.mark.parametrize("lang", ["da", "en"])
def test_catalog_renders_in_an_iframe_on_an_allowed_origin(browser, base_url, embed_world, lang):
    """The frame follows the browser's language: the portal's language cookie is not sent
    to a cross-site frame (SameSite=Lax), so Accept-Language decides."""
    m = embed_world["m"]
    context = browser.new_context(locale="da-DK" if lang == "da" else "en-GB")
    page = context.new_page()
    with _Intranet(_embed_url(base_url)) as intranet:
        m.embed_allowed_origins = intranet.origin
        m.save()
        responses = []
        page.on("response", lambda r: responses.append(r) if "/embed/offers/" in r.url else None)
        page.goto(intranet.origin + "/")
        frame = page.frame_locator("iframe")
        expect(frame.locator("body")).to_contain_text("Kajak for 7. klasse")
        expect(frame.locator("html")).to_have_attribute("lang", lang)
        csp = responses[0].headers["content-security-policy"]
        assert f"frame-ancestors {intranet.origin}" in csp
    context.close()


def test_catalog_is_refused_in_an_iframe_on_another_origin(page, base_url, embed_world):
    m = embed_world["m"]
    with _Intranet(_embed_url(base_url)) as allowed, _Intranet(_embed_url(base_url)) as stranger:
        m.embed_allowed_origins = allowed.origin
        m.save()
        responses = []
        page.on("response", lambda r: responses.append(r) if "/embed/offers/" in r.url else None)
        page.goto(stranger.origin + "/")
        page.wait_for_load_state("networkidle")
        expect(page.locator("h1")).to_have_text("Skolens intranet")
        # The portal answered, but with a CSP that only the allowed origin may frame ...
        assert responses, "the iframe never asked the portal"
        csp = responses[0].headers["content-security-policy"]
        assert f"frame-ancestors {allowed.origin}" in csp
        assert stranger.origin not in csp
        # ... so the browser shows nothing of the catalog inside the frame.
        frame = page.frames[1]
        assert "Kajak" not in (frame.content() if frame.url.startswith("http") else "")
        assert page.frame_locator("iframe").locator("text=Kajak for 7. klasse").count() == 0


def test_ordinary_pages_refuse_every_frame(page, base_url, embed_world):
    """Ordinary pages (not /embed/) may never be framed, even from the allowed origin."""
    m = embed_world["m"]
    with _Intranet(f"{base_url}/offers/") as intranet:
        m.embed_allowed_origins = intranet.origin
        m.save()
        responses = []
        page.on("response", lambda r: responses.append(r) if r.url.endswith("/offers/") else None)
        page.goto(intranet.origin + "/")
        page.wait_for_load_state("networkidle")
        csp = responses[0].headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert responses[0].headers.get("x-frame-options") == "DENY"
        assert page.frame_locator("iframe").locator("text=Kajak for 7. klasse").count() == 0
