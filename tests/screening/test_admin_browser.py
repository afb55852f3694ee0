"""The consultant's screening queue in a real browser at 1366 px (a common laptop): its own
title, every column in sight, and axe-core finds no serious problems (breadcrumb links, links
in text); the filter links are at least 24 px high. Skipped without Chromium (tests/e2e)."""

import pytest

from screening.workflow import ScreeningState
from tests import factories as f
from tests.e2e.conftest import format_violations, login, run_axe

pytestmark = pytest.mark.e2e


@pytest.fixture
def offer(transactional_db, municipality):
    # The Consultant group comes from a data migration; the flush of a browser test removes it.
    import importlib

    from django.apps import apps

    importlib.import_module("screening.migrations.0003_consultant_group").create_group(apps, None)
    association = f.AssociationFactory(
        municipalities=[municipality],
        name="Helsingør Kajakklub med et meget langt navn til skærmen",
        state=ScreeningState.SUBMITTED,
    )
    return f.OfferFactory(
        association=association,
        title="Kajak på Øresund for udskolingen – en hel dag på vandet med instruktører",
        state=ScreeningState.SUBMITTED,
    )


@pytest.fixture
def consultant_page(axe_page, base_url, municipality, offer):
    axe_page.set_viewport_size({"width": 1366, "height": 768})
    login(axe_page, base_url, f.ConsultantFactory(municipality=municipality).user.email)
    return axe_page


def _layout(page) -> dict:
    return page.evaluate(
        """() => {
            const table = document.querySelector('#result_list');
            const links = [...document.querySelectorAll('#changelist-filter li a')];
            return {
                title: document.title,
                h1: document.querySelector('#content h1').innerText,
                page_overflow: document.documentElement.scrollWidth - window.innerWidth,
                table_overflow: table.scrollWidth - table.parentElement.clientWidth,
                lowest_filter_link: Math.min(...links.map(a => a.getBoundingClientRect().height)),
            };
        }"""
    )


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/admin/associations/offer/", "Screeningkø: tilbud"),
        ("/admin/associations/association/", "Screeningkø: foreninger"),
    ],
)
def test_the_queue_fits_1366_px_with_its_own_title(consultant_page, base_url, url, title):
    consultant_page.goto(base_url + url)
    layout = _layout(consultant_page)
    assert layout["h1"] == title and layout["title"].startswith(title), layout
    assert layout["page_overflow"] <= 0 and layout["table_overflow"] <= 0, layout
    assert layout["lowest_filter_link"] >= 24, layout
    violations = run_axe(consultant_page)
    assert not violations, format_violations(violations)


def test_an_item_and_its_decision_have_no_serious_violations(consultant_page, base_url, offer):
    for url in (
        f"/admin/associations/offer/{offer.pk}/change/",
        f"/admin/associations/offer/{offer.pk}/decide/approve/",
        "/admin/screening/screeningevent/",
    ):
        consultant_page.goto(base_url + url)
        violations = run_axe(consultant_page)
        assert not violations, f"{url}\n" + format_violations(violations)
