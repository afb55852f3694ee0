"""The knowledge bank through its pages: who sees what, the search and filters, the feed,
templates' downloads, and a good example proposed, screened and shown on the offer page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog import services as catalog_services
from knowledge import services
from knowledge.models import Audience, Category, Item, Kind
from screening import services as screening_services
from screening.models import ScreeningEvent
from screening.workflow import S, Transition
from tests import factories as f
from tests.knowledge.conftest import docx_bytes, make_item, png_bytes

pytestmark = pytest.mark.django_db

LIST = "/knowledge/"


def titles(response) -> list[str]:
    return [item.title for item in response.context["page"]]


def test_anonymous_sees_public_items_not_the_logged_in_only(client, municipality, consultant):
    make_item(municipality, consultant, title="Offentlig guide")
    hidden = make_item(municipality, consultant, title="Kun for brugere", is_public=False)
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == ["Offentlig guide"]
    # The item's own page asks a visitor to log in first (nothing of it is shown).
    page = client.get(hidden.get_absolute_url())
    assert page.status_code == 302 and page["Location"].startswith("/login/")


def test_a_teacher_sees_logged_in_only_items(client, municipality, consultant, teacher):
    make_item(municipality, consultant, title="Kun for brugere", is_public=False)
    client.force_login(teacher)
    assert titles(client.get(LIST)) == ["Kun for brugere"]


def test_other_municipalities_material_is_hidden_unless_shared(
    client, municipality, other_municipality, other_consultant, teacher
):
    theirs = make_item(other_municipality, other_consultant, title="Fremmed guide")
    internal = make_item(other_municipality, other_consultant, title="Intern", is_public=False)
    make_item(other_municipality, other_consultant, title="Delt guide", shared=True)
    client.force_login(teacher)
    assert titles(client.get(LIST)) == ["Delt guide"]
    # Their public guide opens from a link (it is public); their logged-in-only one not.
    assert client.get(theirs.get_absolute_url()).status_code == 200
    assert client.get(internal.get_absolute_url()).status_code == 404
    client.force_login(other_consultant)
    assert sorted(titles(client.get(LIST))) == ["Delt guide", "Fremmed guide", "Intern"]


def test_a_visitor_opens_what_another_municipalitys_list_and_feed_link_to(
    client, municipality, other_municipality, other_consultant
):
    """A helper's walk: /knowledge/?municipality=<theirs> listed public material whose pages
    then said 404 (the item's page followed the visitor's remembered municipality)."""
    theirs = make_item(other_municipality, other_consultant, title="Fremmed guide")
    hidden = make_item(other_municipality, other_consultant, title="Skjult", is_public=False)
    listed = client.get(LIST, {"municipality": other_municipality.slug})
    assert titles(listed) == ["Fremmed guide"]
    feed = client.get(reverse("knowledge:feed", args=[other_municipality.slug])).content.decode()
    assert theirs.get_absolute_url() in feed
    # A visitor who browses their own municipality follows the link.
    client.cookies.clear()
    client.cookies[catalog_services.COOKIE_NAME] = municipality.slug
    assert client.get(theirs.get_absolute_url()).status_code == 200
    page = client.get(hidden.get_absolute_url())  # logged-in only: log in first, as before
    assert page.status_code == 302 and page["Location"].startswith("/login/")


def test_drafts_and_suspended_items_are_not_shown(client, municipality, consultant):
    item = make_item(municipality, consultant, title="Suspenderet")
    screening_services.decide(item, Transition.SUSPEND, by=consultant)
    assert titles(client.get(LIST)) == []
    assert client.get(reverse("knowledge:detail", args=[item.slug])).status_code == 404


def test_search_is_danish_full_text_with_typo_tolerance(
    client, municipality, consultant, is_postgres
):
    make_item(municipality, consultant, title="Tjekliste til idrætsdagen", kind=Kind.CHECKLIST)
    make_item(municipality, consultant, title="Evalueringsskema", kind=Kind.GUIDE)
    assert titles(client.get(LIST, {"q": "idrætsdag"})) == ["Tjekliste til idrætsdagen"]
    if is_postgres:
        # A typo in the title still finds it (the catalog's trigram similarity).
        assert titles(client.get(LIST, {"q": "evalueringskema"})) == ["Evalueringsskema"]


def test_filters_by_category_audience_domain_grade_and_kind(
    client, municipality, consultant, category
):
    other = Category.objects.create(municipality=municipality, name="Evaluering", slug="evaluering")
    make_item(
        municipality,
        consultant,
        title="For skoler, idræt, 5.",
        category=category,
        audience=Audience.SCHOOLS,
        domain="sport",
        grade_min=4,
        grade_max=6,
    )
    make_item(
        municipality,
        consultant,
        title="For foreninger",
        category=other,
        audience=Audience.ASSOCIATIONS,
        grade_min=8,
        grade_max=9,
    )
    make_item(municipality, consultant, title="For alle", kind=Kind.CHECKLIST)
    assert titles(client.get(LIST, {"category": "kom-i-gang"})) == ["For skoler, idræt, 5."]
    assert sorted(titles(client.get(LIST, {"audience": "schools"}))) == [
        "For alle",
        "For skoler, idræt, 5.",
    ]
    assert titles(client.get(LIST, {"domain": "sport"})) == ["For skoler, idræt, 5."]
    assert sorted(titles(client.get(LIST, {"grade": "5"}))) == ["For alle", "For skoler, idræt, 5."]
    assert titles(client.get(LIST, {"kind": "checklist"})) == ["For alle"]
    # Impossible values give an empty list or the form's error, never a 500.
    for bad in ({"grade": "99"}, {"grade": "x"}, {"audience": "x"}, {"q": "a\x00b"}):
        assert client.get(LIST, bad).status_code in (200, 400)


def test_the_list_pages_make_a_constant_number_of_queries(client, municipality, consultant):
    tag = municipality.knowledge_tags.create(name="Idrætsdag", slug="idraetsdag")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    make_item(municipality, consultant, title="Den første").tags.add(tag)
    first = count()
    for n in range(5):
        make_item(municipality, consultant, title=f"Flere {n}").tags.add(tag)
    assert count() == first


def test_the_atom_feed_has_public_material_of_the_municipality(
    client, municipality, consultant, other_municipality, other_consultant
):
    make_item(municipality, consultant, title="Offentlig guide")
    make_item(municipality, consultant, title="Kun for brugere", is_public=False)
    make_item(other_municipality, other_consultant, title="Fremmed")
    response = client.get(reverse("knowledge:feed", args=[municipality.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Offentlig guide" in body and "Kun for brugere" not in body and "Fremmed" not in body


def test_a_template_is_downloaded_with_safe_headers(client, municipality, consultant):
    upload = SimpleUploadedFile("aftale.docx", docx_bytes())
    item = make_item(municipality, consultant, title="Samarbejdsaftale", kind=Kind.TEMPLATE)
    item.file.save("aftale.docx", upload)
    response = client.get(reverse("knowledge:download", args=[item.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="samarbejdsaftale.docx"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == docx_bytes()


def test_a_logged_in_only_template_is_not_downloaded_anonymously(
    client, municipality, consultant, teacher
):
    item = make_item(municipality, consultant, title="Intern skabelon", kind=Kind.TEMPLATE)
    item.is_public = False
    item.file.save("x.docx", SimpleUploadedFile("x.docx", docx_bytes()))
    url = reverse("knowledge:download", args=[item.slug])
    assert client.get(url).status_code == 302
    client.force_login(teacher)
    assert client.get(url).status_code == 200


# --- Proposing a good example ---------------------------------------------------------------


def test_a_teacher_proposes_a_good_example_prefilled_from_a_completed_booking(
    client, teacher, completed_booking, consultant
):
    client.force_login(teacher)
    page = client.get(reverse("knowledge:propose"))
    assert completed_booking.offer.title in page.content.decode()
    url = reverse("knowledge:propose_booking", args=[completed_booking.pk])
    # The teacher's browser asks for English; the stored title is in the portal's language.
    first = client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    second = client.post(url)  # a double click
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    item = Item.objects.get()
    assert (item.kind, item.source, item.state) == ("example", "school", S.DRAFT)
    assert item.title == f"{completed_booking.offer.title} på {completed_booking.school}"
    assert item.offer == completed_booking.offer
    assert item.school == completed_booking.school
    assert item.association == completed_booking.offer.association
    assert (item.grade_min, item.grade_max, item.pupils) == (5, 5, 22)
    assert (float(item.school_rating), float(item.association_rating)) == (5.0, 4.0)
    # The story is written, then sent to the municipality.
    edit = client.post(first["Location"], _story())
    assert edit.status_code == 302
    client.post(reverse("knowledge:proposal_submit", args=[item.pk]))
    item.refresh_from_db()
    assert item.state == S.SUBMITTED
    assert ScreeningEvent.objects.filter(object_id=item.pk, transition="submit").exists()
    # A second click gets the first one's answer, not a refusal.
    again = client.post(reverse("knowledge:proposal_submit", args=[item.pk]), follow=True)
    shown = [(m.level_tag, str(m)) for m in again.context["messages"]]
    sent = ("success", "Eksemplet er sendt til kommunen. I hører fra konsulenten.")
    assert shown.count(sent) == 1 and "error" not in dict(shown)
    assert ScreeningEvent.objects.filter(object_id=item.pk, transition="submit").count() == 1


def test_a_proposal_is_only_seen_by_its_proposer_and_the_consultant_until_approved(
    client, teacher, completed_booking, consultant, other_consultant, association_admin, school
):
    item = services.propose_from_booking(completed_booking, by=teacher)
    colleague = f.SchoolMembershipFactory(school=school, role="teacher").user
    url = reverse("knowledge:proposal", args=[item.pk])
    for user, status in ((None, 302), (colleague, 404), (association_admin, 404), (teacher, 200)):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(url).status_code == status
    # Not in the list (a draft), for anyone.
    assert client.get(LIST).context["page"].paginator.count == 0
    # The consultant sees it in the screening queue; another municipality's does not.
    admin_url = reverse("admin:knowledge_item_change", args=[item.pk])
    client.force_login(consultant)
    assert client.get(admin_url).status_code == 200
    client.force_login(other_consultant)
    assert client.get(admin_url).status_code in (302, 404)


def test_screening_requests_changes_then_approves_and_the_offer_page_shows_it(
    client, teacher, completed_booking, consultant
):
    item = services.propose_from_booking(completed_booking, by=teacher)
    item.body = "Vi " + "lærte meget. " * 8
    item.is_public = True
    item.save()
    services.submit(item, by=teacher)
    item = screening_services.decide(
        item, Transition.REQUEST_CHANGES, by=consultant, message="Skriv mere om forberedelsen."
    )
    client.force_login(teacher)
    page = client.get(reverse("knowledge:proposal", args=[item.pk])).content.decode()
    assert "Skriv mere om forberedelsen." in page
    item.body += " Vi forberedte os i to uger."
    item.save()
    item = services.submit(item, by=teacher)
    resubmission = screening_services.resubmission(item)
    assert [name for name, *_rest in resubmission.changes] == ["body"]
    screening_services.add_note(item, "Internt: god case", by=consultant, internal=True)
    assert (
        "Internt" not in client.get(reverse("knowledge:proposal", args=[item.pk])).content.decode()
    )
    screening_services.decide(item, Transition.APPROVE, by=consultant)
    client.logout()
    offer_page = client.get(completed_booking.offer.get_absolute_url()).content.decode()
    assert item.title in offer_page
    assert client.get(item.get_absolute_url()).status_code == 200


def test_a_rejected_proposal_carries_its_coded_reason(
    client, teacher, completed_booking, consultant
):
    item = _submitted_proposal(completed_booking, teacher)
    client.force_login(consultant)
    url = reverse("admin:knowledge_item_decide", args=[item.pk, "reject"])
    offered = client.get(url).context["form"].fields["reason"].queryset
    # The offers' reasons (child certificates, a local club…) are not offered for an example.
    assert [r.code for r in offered] == ["A5", "A6"]
    client.post(url, {"reason": offered[1].pk, "message": ""})
    event = ScreeningEvent.objects.filter(object_id=item.pk, transition="reject").get()
    assert event.data["reason_code"] == "A6"


def test_an_incomplete_proposal_is_not_submitted(client, teacher, completed_booking):
    item = services.propose_from_booking(completed_booking, by=teacher)
    client.force_login(teacher)
    client.post(reverse("knowledge:proposal_submit", args=[item.pk]))
    item.refresh_from_db()
    assert item.state == S.DRAFT


def test_strangers_cannot_propose_a_booking(client, completed_booking, other_teacher):
    client.force_login(other_teacher)
    url = reverse("knowledge:propose_booking", args=[completed_booking.pk])
    assert client.post(url).status_code == 404
    assert not Item.objects.exists()


def test_the_association_proposes_from_its_partnership(client, association_admin, partnership):
    from partnerships import services as partnership_services

    partnership_services.transition(partnership, "activate")
    client.force_login(association_admin)
    url = reverse("knowledge:propose_partnership", args=[partnership.pk])
    assert client.post(url, HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    assert client.post(url).status_code == 302
    item = Item.objects.get()
    assert (item.partnership, item.source) == (partnership, "association")
    assert item.title == f"Partnerskab: {partnership.partner}"  # the portal's language


def test_a_picture_is_checked_by_content(client, teacher, completed_booking):
    item = services.propose_from_booking(completed_booking, by=teacher)
    client.force_login(teacher)
    url = reverse("knowledge:proposal_photo", args=[item.pk])
    fake = SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")
    assert client.post(url, {"image": fake, "alt_text": "Børn"}).status_code == 400
    assert not item.photos.exists()


def _submitted_proposal(booking, teacher) -> Item:
    """The teacher's proposal of ``booking``, with a story, sent to the municipality."""
    item = services.propose_from_booking(booking, by=teacher)
    item.body = "Vi " + "lærte meget. " * 8
    item.save()
    return services.submit(item, by=teacher)


def _story(**changes):
    return {
        "title": "Idræt med 5.A",
        "summary": "Det virkede",
        "body": "Vi " + "lærte meget. " * 8,
        "audience": "both",
        "grade_min": "5",
        "grade_max": "5",
        "pupils": "22",
        **changes,
    }


def test_the_story_typed_is_kept_by_every_button(client, teacher, completed_booking):
    """The page is one form: a picture added or the example sent without "Save" first keeps
    the story (a helper lost it in the browser before)."""
    item = services.propose_from_booking(completed_booking, by=teacher)
    client.force_login(teacher)
    page = client.get(reverse("knowledge:proposal", args=[item.pk])).content.decode()
    for name in ("proposal_photo", "proposal_submit"):
        assert f'formaction="{reverse(f"knowledge:{name}", args=[item.pk])}"' in page
    # A picture that is refused: the story is saved all the same.
    photo = client.post(reverse("knowledge:proposal_photo", args=[item.pk]), _story())
    assert photo.status_code == 400
    item.refresh_from_db()
    assert item.title == "Idræt med 5.A" and item.body.startswith("Vi lærte")
    # A story with an error: nothing is sent, and the page shows what was typed.
    refused = client.post(
        reverse("knowledge:proposal_submit", args=[item.pk]),
        _story(title="Ny titel", grade_min="9", grade_max="1"),
    )
    assert refused.status_code == 400
    assert 'value="Ny titel"' in refused.content.decode()
    item.refresh_from_db()
    assert (item.state, item.title) == (S.DRAFT, "Idræt med 5.A")
    # Sent with a changed story: saved, then sent.
    sent = client.post(
        reverse("knowledge:proposal_submit", args=[item.pk]), _story(summary="Bedre end ventet")
    )
    assert sent.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.summary) == (S.SUBMITTED, "Bedre end ventet")
    # The same again (a second click): the first answer, once.
    again = client.post(
        reverse("knowledge:proposal_submit", args=[item.pk]),
        _story(summary="Bedre end ventet"),
        follow=True,
    )
    assert [m.level_tag for m in again.context["messages"]] == ["success"]
    # An old tab with another story: told it was not saved, not "sent".
    stale = client.post(
        reverse("knowledge:proposal_submit", args=[item.pk]),
        _story(summary="Skrevet i en gammel fane"),
        follow=True,
    )
    assert [m.level_tag for m in stale.context["messages"]] == ["error"]
    item.refresh_from_db()
    assert item.summary == "Bedre end ventet"


def test_the_proposer_adds_and_removes_a_picture_and_its_file_goes(
    client, teacher, completed_booking, other_teacher, django_capture_on_commit_callbacks
):
    item = services.propose_from_booking(completed_booking, by=teacher)
    client.force_login(teacher)
    picture = SimpleUploadedFile("kajak.png", png_bytes(), content_type="image/png")
    added = client.post(
        reverse("knowledge:proposal_photo", args=[item.pk]),
        {"image": picture, "alt_text": "Kajakker på stranden"},
    )
    assert added.status_code == 302
    photo = item.photos.get()
    storage, name = photo.image.storage, photo.image.name
    assert storage.exists(name)
    url = reverse("knowledge:proposal_photo_remove", args=[item.pk, photo.pk])
    page = client.get(reverse("knowledge:proposal", args=[item.pk])).content.decode()
    assert f'formaction="{url}"' in page and "Fjern billedet “Kajakker på stranden”" in page
    client.force_login(other_teacher)
    assert client.post(url).status_code == 404
    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not item.photos.exists() and not storage.exists(name)
    assert client.post(url).status_code == 302  # a second click: nothing more to remove
    # Once sent to the municipality, the pictures are the consultant's to judge.
    again = item.photos.create(image=SimpleUploadedFile("b.png", png_bytes()), alt_text="Båd")
    item.body = "Vi " + "lærte meget. " * 8
    item.save()
    services.submit(item, by=teacher)
    response = client.post(
        reverse("knowledge:proposal_photo_remove", args=[item.pk, again.pk]), follow=True
    )
    assert item.photos.filter(pk=again.pk).exists()
    assert "kan ikke ændres nu" in " ".join(str(m) for m in response.context["messages"])


def test_a_school_proposal_is_screened_with_its_own_words(
    client, teacher, completed_booking, consultant
):
    """Not an offer's checklist (instructors, certificates) nor 'the association'."""
    item = _submitted_proposal(completed_booking, teacher)
    client.force_login(consultant)
    change = client.get(reverse("admin:knowledge_item_change", args=[item.pk]))
    assert list(change.context["screening_checklist"].fields) == []
    assert "Gem tjeklisten" not in change.content.decode()
    assert screening_services.checklist_passed(item)
    decide = client.get(
        reverse("admin:knowledge_item_decide", args=[item.pk, "request_changes"])
    ).content.decode()
    school = completed_booking.school.name
    assert f"Besked til {school}" in decide and f"Fortæl {school}, hvad der skal ændres" in decide
    assert "foreningen" not in decide
    # With no box to tick, "approve the selected" does not publish what nobody opened.
    response = client.post(
        reverse("admin:knowledge_item_changelist"),
        {"action": "approve_selected", "_selected_action": [item.pk]},
        follow=True,
    )
    item.refresh_from_db()
    assert item.state == S.SUBMITTED
    assert "åbn det for at godkende det" in " ".join(str(m) for m in response.context["messages"])


def test_a_picture_chosen_and_sent_with_save_or_send_is_added_too(
    client, teacher, completed_booking
):
    """Nothing chosen on the one-form page is dropped without a word."""
    item = services.propose_from_booking(completed_booking, by=teacher)
    client.force_login(teacher)

    def picture(name):
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")

    url = reverse("knowledge:proposal", args=[item.pk])
    saved = client.post(url, {**_story(), "image": picture("a.png"), "alt_text": "Båden"})
    assert saved.status_code == 302
    assert list(item.photos.values_list("alt_text", flat=True)) == ["Båden"]
    refused = client.post(url, {**_story(summary="Nyt resumé"), "image": picture("b.png")})
    assert refused.status_code == 400  # no description: the picture's own error is shown
    item.refresh_from_db()
    assert item.summary == "Nyt resumé" and item.photos.count() == 1  # the story is kept
    sent = client.post(
        reverse("knowledge:proposal_submit", args=[item.pk]),
        {**_story(), "image": picture("c.png"), "alt_text": "Stranden"},
    )
    assert sent.status_code == 302
    item.refresh_from_db()
    assert item.state == S.SUBMITTED and item.photos.count() == 2


def test_a_refused_send_keeps_the_story_and_picture_sent_with_it(
    client, teacher, completed_booking
):
    item = services.propose_from_booking(completed_booking, by=teacher)
    client.force_login(teacher)
    picture = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    short = _story(body="Vi sejlede med 6.A. Det gik godt.")  # under 40 characters
    response = client.post(
        reverse("knowledge:proposal_submit", args=[item.pk]),
        {**short, "image": picture, "alt_text": "Båden"},
        follow=True,
    )
    assert "mindst 40 tegn" in " ".join(str(m) for m in response.context["messages"])
    item.refresh_from_db()
    assert item.state == S.DRAFT and item.body == "Vi sejlede med 6.A. Det gik godt."
    assert list(item.photos.values_list("alt_text", flat=True)) == ["Båden"]


def test_a_double_click_adds_a_picture_once_and_sends_once(client, teacher, completed_booking):
    item = services.propose_from_booking(completed_booking, by=teacher)
    client.force_login(teacher)
    page = client.get(reverse("knowledge:proposal", args=[item.pk])).content.decode()
    key = page.split('name="submit_key" value="')[1].split('"')[0]

    def sent(name, alt, follow=True):
        picture = SimpleUploadedFile(f"{alt}.png", png_bytes(), content_type="image/png")
        data = {**_story(), "image": picture, "alt_text": alt, "submit_key": key}
        return client.post(reverse(name, args=[item.pk]), data, follow=follow)

    # The browser drops the first click's answer and follows the second's.
    sent("knowledge:proposal_photo", "Båden", follow=False)
    again = sent("knowledge:proposal_photo", "Båden")
    assert item.photos.count() == 1
    assert [str(m) for m in again.context["messages"]].count("Billedet er tilføjet.") == 1
    # The page shown after it carries a new key: a picture sent with "Send", twice.
    page = again.content.decode()
    key = page.split('name="submit_key" value="')[1].split('"')[0]
    sent("knowledge:proposal_submit", "Stranden")
    twice = sent("knowledge:proposal_submit", "Stranden")
    item.refresh_from_db()
    assert item.state == S.SUBMITTED and item.photos.count() == 2
    shown = [(m.level_tag, str(m)) for m in twice.context["messages"]]
    assert "error" not in dict(shown) and len(shown) == 1


def test_a_rejected_proposal_shows_why_and_where_to_go_next(
    client, teacher, completed_booking, consultant, municipality
):
    from screening.models import RejectionReason

    item = _submitted_proposal(completed_booking, teacher)
    reason = RejectionReason.objects.create(
        municipality=municipality, code="K1", text="Eleverne kan genkendes på billederne"
    )
    screening_services.decide(item, Transition.REJECT, by=consultant, reason=reason)
    client.force_login(teacher)
    page = client.get(reverse("knowledge:proposal", args=[item.pk])).content.decode()
    assert "Kommunen har ikke offentliggjort eksemplet" in page
    assert "Begrundelse: Eleverne kan genkendes på billederne" in page
    assert f'href="{reverse("knowledge:propose")}"' in page
    response = client.post(reverse("knowledge:proposal", args=[item.pk]), _story(), follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert texts == ["Eksemplet blev ikke offentliggjort, og det kan ikke ændres."]


def test_the_completed_bookings_page_offers_to_propose_it(client, teacher, completed_booking):
    client.force_login(teacher)
    page = client.get(reverse("bookings:detail", args=[completed_booking.pk])).content.decode()
    assert reverse("knowledge:propose_booking", args=[completed_booking.pk]) in page
    item = services.propose_from_booking(completed_booking, by=teacher)
    page = client.get(reverse("bookings:detail", args=[completed_booking.pk])).content.decode()
    assert reverse("knowledge:proposal", args=[item.pk]) in page


def test_the_screening_emails_reach_the_consultant_and_the_proposer(
    teacher, completed_booking, consultant, django_capture_on_commit_callbacks
):
    from notifications.models import Notification
    from tests.outbox import written

    item = services.propose_from_booking(completed_booking, by=teacher)
    item.body = "Vi " + "lærte meget. " * 8
    item.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(item, by=teacher)
    assert Notification.objects.get(kind="screening.submitted").to_email == consultant.email
    with django_capture_on_commit_callbacks(execute=True):
        screening_services.decide(
            item, Transition.REQUEST_CHANGES, by=consultant, message="Tilføj et billede"
        )
    notification = written(Notification.objects.get(kind="screening.changes_requested"))
    assert notification.to_email == teacher.email
    assert "Tilføj et billede" in notification.body_text
    assert f"/knowledge/proposals/{item.pk}/" in notification.body_text


def test_the_consultants_own_material_sends_no_submission_email(municipality, consultant):
    from municipalities.models import Consultant
    from notifications.models import Notification

    Consultant.objects.filter(user=consultant).update(
        submission_emails=Consultant.DigestChoice.EACH
    )
    make_item(municipality, consultant)
    assert not Notification.objects.filter(kind="screening.submitted").exists()


def test_a_booking_proposed_by_a_colleague_is_not_offered_again(
    client, teacher, school, association_admin, completed_booking
):
    services.propose_from_booking(completed_booking, by=teacher)
    colleague = f.SchoolMembershipFactory(school=school).user
    url = reverse("knowledge:propose_booking", args=[completed_booking.pk])
    client.force_login(colleague)
    assert url not in client.get(reverse("knowledge:propose")).content.decode()
    client.force_login(association_admin)  # the other side may still tell it
    assert url in client.get(reverse("knowledge:propose")).content.decode()


def test_a_consultant_on_the_proposals_page_is_led_to_the_admin(client, consultant, teacher):
    """A consultant proposes nothing: the page says where they write examples instead of
    showing an empty list of bookings."""
    client.force_login(consultant)
    html = client.get(reverse("knowledge:propose")).content.decode()
    assert reverse("admin:knowledge_item_add") in html
    assert "Gennemførte bookinger" not in html
    client.force_login(teacher)
    html = client.get(reverse("knowledge:propose")).content.decode()
    assert "Gennemførte bookinger" in html and reverse("admin:knowledge_item_add") not in html
