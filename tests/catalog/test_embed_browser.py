"""In a real browser: the embed shows inside an iframe on a page served from an allowed
intranet origin and is refused from any other origin (CSP frame-ancestors). Two tiny HTTP
servers play the intranets; the iframe loads from the live server."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests import factories as f
from tests.e2e.conftest import _playwright, browser  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e


@contextmanager
def intranet(iframe_src: str):
    """Serve a page with one iframe on 127.0.0.1:<free port>; yields the origin."""
    body = (
        f'<!doctype html><html lang="da"><title>Intranet</title>'
        f'<iframe src="{iframe_src}" title="Åben Skole"></iframe></html>'
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def municipality_with_offer(transactional_db):
    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    association = f.AssociationFactory(municipalities=[municipality])
    f.OfferFactory(association=association, published=True, title="Roning i inrigger")
    return municipality


def open_in_frame(browser, origin: str) -> str:  # noqa: F811
    """The text of the framed document as the browser shows it ('' when refused)."""
    context = browser.new_context(locale="da-DK")
    try:
        page = context.new_page()
        page.goto(origin + "/")
        page.wait_for_load_state("load")
        frame = page.frames[1]
        if not frame.url.startswith("http"):
            return ""  # chrome-error://: the browser refused to show it
        return frame.locator("body").inner_text(timeout=5000)
    finally:
        context.close()


def test_embed_shows_on_allowed_origin_only(browser, live_server, municipality_with_offer):  # noqa: F811
    src = f"{live_server.url}/embed/offers/?municipality=helsingor&domain=sport&grade=5"
    with intranet(src) as allowed, intranet(src) as other:
        municipality_with_offer.embed_allowed_origins = allowed
        municipality_with_offer.save()
        assert "Roning i inrigger" in open_in_frame(browser, allowed)
        assert "Roning i inrigger" not in open_in_frame(browser, other)


def test_catalog_page_is_refused_even_on_allowed_origin(
    browser,  # noqa: F811
    live_server,
    municipality_with_offer,
):
    with intranet(f"{live_server.url}/offers/") as allowed:
        municipality_with_offer.embed_allowed_origins = allowed
        municipality_with_offer.save()
        assert "Roning i inrigger" not in open_in_frame(browser, allowed)
