from tests.e2e.conftest import _playwright, axe_page, base_url, browser  # noqa: F401 - browser tests
