"""Journeys that exist today: front page, language switch, log-in, 404 page."""

import re

from playwright.sync_api import expect

from tests import factories as f
from tests.e2e.conftest import login, open_account_menu, switch_language


def test_home_page_in_danish_with_skip_link(page, base_url):
    response = page.goto(base_url + "/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "da"
    expect(page.locator("h1")).to_have_count(1)
    # The first Tab reaches the skip link, which jumps to the main content.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_every_page_sends_a_csp_without_inline_scripts(page, base_url):
    response = page.goto(base_url + "/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_language_switch_to_english_and_back(page, base_url):
    page.goto(base_url + "/about/contact/")
    switch_language(page, "en")
    # We stay on the same page, now in English.
    assert page.url.endswith("/about/contact/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("footer")).to_contain_text("Privacy policy")

    switch_language(page, "da")
    assert page.url.endswith("/about/contact/")
    assert page.locator("html").get_attribute("lang") == "da"
    expect(page.locator("footer")).to_contain_text("Privatlivspolitik")


def test_login_with_wrong_password_shows_an_error_then_logs_in(page, base_url):
    user = f.UserFactory(email="frivillig@example.com")
    login(page, base_url, user.email, "not the password")
    assert page.url.endswith("/login/")
    expect(page.locator("main")).to_contain_text("adgangskode")  # Danish error text
    login(page, base_url, user.email)
    assert "/login/" not in page.url
    # Logged in: the account menu offers "Log out".
    menu = open_account_menu(page)
    expect(menu.locator("button[type=submit]", has_text="Log ud")).to_be_visible()


def test_login_and_logout_in_english(page, base_url):
    user = f.UserFactory(email="teacher@example.com")
    page.goto(base_url + "/login/")
    switch_language(page, "en")
    login(page, base_url, user.email)
    logout = open_account_menu(page).locator("button[type=submit]", has_text="Log out")
    expect(logout).to_be_visible()
    logout.click()
    page.wait_for_load_state()
    expect(page.locator("header")).to_contain_text("Log in")


def test_unknown_page_shows_the_custom_404(page, base_url):
    response = page.goto(base_url + "/findes-ikke/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Siden findes ikke")
    # In the site's look: the navigation and the footer are there.
    expect(page.locator("footer")).to_be_visible()
    expect(page.locator("a", has_text="Gå til forsiden")).to_be_visible()


def test_on_a_phone_the_account_menu_opens_on_screen_and_keys_work(browser, live_server):
    """At 375 px the menu's button sits at the left edge: its list opens below it on the
    screen (hung from the right it opened off the screen, and nobody could log out). Esc
    closes it; a form's errors take the focus; fields show a strong focus ring."""
    user = f.UserFactory(email="telefon@example.com")
    context = browser.new_context(locale="da-DK", viewport={"width": 375, "height": 740})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        login(page, live_server.url, user.email, "not the password")
        expect(page.locator("#error-summary")).to_be_focused()
        page.keyboard.press("Tab")
        focused = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
        assert focused == "3px"
        login(page, live_server.url, user.email)
        menu = open_account_menu(page)
        logout = menu.locator("button[type=submit]", has_text="Log ud")
        box = logout.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375
        page.keyboard.press("Escape")
        assert menu.get_attribute("open") is None
        expect(menu.locator("summary")).to_be_focused()
        open_account_menu(page)
        logout.click()
        page.wait_for_load_state()
        expect(page.locator("header")).to_contain_text("Log ind")
    finally:
        context.close()
