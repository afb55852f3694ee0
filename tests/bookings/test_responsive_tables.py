"""Wide tables scroll inside their own region on a phone instead of pushing the page sideways."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test.html import Element, parse_html
from django.urls import reverse

from bookings import views
from bookings.models import SubsidyPool

pytestmark = pytest.mark.django_db


def _tables(node, ancestors=()):
    """Each <table> in the page with the elements around it, innermost last."""
    for child in node.children:
        if not isinstance(child, Element):
            continue
        if child.name == "table":
            yield child, ancestors
        yield from _tables(child, (*ancestors, child))


def _classes(element) -> set[str]:
    return set((dict(element.attributes).get("class") or "").split())


def assert_tables_scroll(html: str, expected: int) -> None:
    tables = list(_tables(parse_html(html)))
    assert len(tables) == expected
    for _table, ancestors in tables:
        wrapper = next((a for a in reversed(ancestors) if a.name == "div"), None)
        assert wrapper is not None and "table-responsive" in _classes(wrapper), "not scrollable"
        attributes = dict(wrapper.attributes)
        # Keyboard users can scroll it too, and screen readers hear what it holds.
        assert attributes.get("tabindex") == "0" and attributes.get("role") == "region"
        assert attributes.get("aria-labelledby")


def test_consultant_overview_evaluations_table_scrolls(client, consultant):
    client.force_login(consultant)
    response = client.get(reverse("bookings:consultant"))
    assert response.status_code == 200
    assert_tables_scroll(response.content.decode(), expected=1)


def test_pool_tables_scroll(client, consultant, municipality, school, monkeypatch):
    SubsidyPool.objects.create(municipality=municipality, school_year=2026, amount=Decimal("1000"))
    figures = SimpleNamespace(reserved=Decimal("100"), spent=Decimal("0"), left=Decimal("900"))
    monkeypatch.setattr(views.services, "pool_figures_by_school", lambda pool: [(school, figures)])
    client.force_login(consultant)
    response = client.get(reverse("bookings:pool"))
    assert response.status_code == 200
    html = response.content.decode()
    assert school.name in html
    assert_tables_scroll(html, expected=2)  # the totals and the per-school figures
