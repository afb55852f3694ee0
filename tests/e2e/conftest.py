"""Browser fixtures: a live server and Debian's Chromium driven by Playwright (sync API).

No browser is ever downloaded (`playwright install` is not used): the tests launch
/usr/bin/chromium. Where it is missing the browser tests are skipped with a reason,
except when PORTAL_REQUIRE_BROWSER=1 (CI): then they fail.

The accessibility checks inject axe-core from node_modules (`npm ci` at the repo root);
they follow the same skip/fail rule.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.cache import cache

# Playwright's sync API runs an event loop in this thread; the ORM calls that the tests make
# to set up data would otherwise be refused as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery"  # tests.factories.UserFactory's password


def browser_required() -> bool:
    return os.environ.get("PORTAL_REQUIRE_BROWSER", "") == "1"


def skip_or_fail(reason: str):
    if browser_required():
        pytest.fail(f"{reason} (PORTAL_REQUIRE_BROWSER=1, so this is an error)")
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


# One Playwright driver and one Chromium per test process. Other apps' browser tests import
# these fixtures (``from tests.e2e.conftest import browser``), which defines them a second time
# in their module; a second sync_playwright() in the same process would fail ("Sync API inside
# the asyncio loop"), so every definition shares the same instances, counted by users.
_SHARED: dict = {"playwright": None, "browser": None, "users": 0}


@pytest.fixture(scope="session")
def _playwright():
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        skip_or_fail("playwright (Python) is not installed")
    if _SHARED["playwright"] is None:
        _SHARED["playwright"] = sync_playwright().start()
    _SHARED["users"] += 1
    yield _SHARED["playwright"]
    _SHARED["users"] -= 1
    if _SHARED["users"] == 0:
        if _SHARED["browser"] is not None:
            _SHARED["browser"].close()
            _SHARED["browser"] = None
        _SHARED["playwright"].stop()
        _SHARED["playwright"] = None


@pytest.fixture(scope="session")
def browser(_playwright):
    if _SHARED["browser"] is None:
        _SHARED["browser"] = _playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
    return _SHARED["browser"]


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the (shared, in-process) cache; start each journey clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def base_url(live_server):
    return live_server.url


def _new_context(browser, **kwargs):
    context = browser.new_context(locale="da-DK", **kwargs)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser, transactional_db, live_server):
    context = _new_context(browser)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_page(browser, transactional_db, live_server):
    """A page whose context bypasses the CSP so that axe-core can be injected (a11y only)."""
    if not AXE_JS.exists():
        skip_or_fail(f"axe-core not found at {AXE_JS}: run `npm ci` in the repository root")
    context = _new_context(browser, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def run_axe(page) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) and return the serious and critical violations."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary'].splitlines()[-1]}")
    return "\n".join(lines)


def login(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Log in through the real login form (the language follows the page)."""
    page.goto(f"{base_url}/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def switch_language(page, code: str) -> None:
    """Use the language switch in the header (a link per language) like a visitor would."""
    with page.expect_navigation():
        page.locator(f".language-switch a[hreflang={code}]").click()


@pytest.fixture
def consultant_group(transactional_db):
    """The Consultant group with its admin permissions.

    It comes from a data migration, and the flush after each browser test (transactional_db)
    removes it; the migration's function is idempotent, so run it again.
    """
    import importlib

    from django.apps import apps as global_apps

    migration = importlib.import_module("screening.migrations.0003_consultant_group")
    migration.create_group(global_apps, None)


def open_account_menu(page):
    """The account menu is a <details> element (works without JavaScript)."""
    menu = page.locator("header details.account-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    return menu
