from django.template.loader import render_to_string
from django.utils import translation

from tests import factories as f


def test_offer_body_renders_profile_without_contact_by_default(published_offer):
    published_offer.learning_goals = "Samarbejde og bevægelse"
    published_offer.weekdays = "13"
    html = render_to_string("catalog/_offer_body.html", {"offer": published_offer})
    assert published_offer.summary in html
    assert "Samarbejde og bevægelse" in html
    assert published_offer.association.name in html
    assert published_offer.association.contact_email not in html


def test_offer_body_shows_contact_and_occasions_when_asked(published_offer):
    occasion = f.OccasionFactory(offer=published_offer, capacity=3, reserved=1)
    published_offer.on_request = False
    html = render_to_string(
        "catalog/_offer_body.html",
        {"offer": published_offer, "occasions": [occasion], "show_contact": True},
    )
    assert published_offer.association.contact_email in html
    assert "2" in html  # free places


def test_offer_body_renders_a_draft_for_preview(association):
    draft = f.OfferFactory(association=association)
    html = render_to_string("catalog/_offer_body.html", {"offer": draft})
    assert draft.summary in html


def test_association_body_lists_offers(association, published_offer):
    html = render_to_string(
        "catalog/_association_body.html",
        {"association": association, "offers": [published_offer]},
    )
    assert association.description in html
    assert published_offer.title in html
    assert published_offer.get_absolute_url() in html


def test_association_body_offer_lines(association, published_offer):
    """The association_offer tag: the line as the template wrote it, values escaped, a link
    only for an offer with a slug, the embed's link target."""
    published_offer.title = "Kajak & <kano>"
    draft = f.OfferFactory(
        association=association, slug="", title="Kladde", grade_min=3, grade_max=3
    )
    context = {"association": association, "offers": [published_offer, draft]}
    with translation.override("en"):
        html = render_to_string("catalog/_association_body.html", context)
    url = published_offer.get_absolute_url()
    assert (
        f'<a href="{url}" class="fw-semibold">Kajak &amp; &lt;kano&gt;</a>\n      '
        f"<br><span>{published_offer.summary}</span>\n      "
        '<br><small class="text-body-secondary">Sport · Grades 0.–10. · Single visit · Free</small>'
    ) in html
    assert '<span class="fw-semibold">Kladde</span>' in html and "Grades 3. ·" in html
    html = render_to_string("catalog/_association_body.html", {**context, "link_target": "_blank"})
    assert f'<a href="{url}" class="fw-semibold" target="_blank" rel="noopener">' in html
