"""The API documentation page in a real browser, under the strict CSP: Swagger UI renders
from our own static files, and the browser reports no CSP violation or script error."""

from playwright.sync_api import expect


def test_docs_page_renders_swagger_ui_without_csp_violations(page, base_url):
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    requested_hosts = set()
    page.on("request", lambda req: requested_hosts.add(req.url.split("/")[2]))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))

    response = page.goto(base_url + "/api/docs/")
    assert response.status == 200
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Åben Skole")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert page.locator(".opblock-summary-path", has_text="/offers/").count() == 1
    assert not problems, problems
    assert requested_hosts == {base_url.split("/")[2]}  # no CDN
