import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from associations.forms import OFFER_STEPS, STEP_OF_FIELD, STEPS_BY_SLUG, OfferForm
from associations.models import Association, Offer, OfferPhoto
from screening.services import transition
from screening.workflow import ScreeningState as S
from screening.workflow import Transition
from tests import factories as f

from .images import broken_image, fake_image, image_upload


def offer_data(**overrides):
    data = {
        "title": "Kajak for 5. klasse",
        "summary": "Eleverne lærer at padle sikkert",
        "description": "En dag på vandet med instruktører.",
        "domain": "sport",
        "grade_min": "4",
        "grade_max": "6",
        "format": "visit",
        "location": "association",
        "location_address": "",
        "location_postal_code": "",
        "duration_minutes": "120",
        "pupils_min": "10",
        "pupils_max": "28",
        "sessions_per_week": "2",
        "season_start_week": "33",
        "season_end_week": "40",
        "weekdays": ["2", "4"],
        "on_request": "on",
        "price_model": "materials",
        "price_amount": "250",
        "learning_goals": "Idræt: kropsbevidsthed",
        "faelles_maal_url": "https://emu.dk/grundskole/idraet",
        "what_to_bring": "Skiftetøj",
        "accessibility": "Kontakt os",
        "weather": "Aflyses ved storm",
        "transport": "Bus 340",
        "instructor_experience": "Mange års erfaring",
    }
    data.update(overrides)
    return data


def step_data(step, data: dict, go: str = "next") -> dict:
    """What the form of one step sends: that step's fields of ``data`` and the button."""
    return {**{k: v for k, v in data.items() if k in step.fields}, "go": go}


def step_url(offer, step) -> str:
    return reverse("associations:offer_step", args=[offer.association.slug, offer.pk, step.slug])


def fill_offer(client, association, data: dict, offer=None):
    """Fill in the offer form step by step, the way a volunteer does; returns the offer."""
    if offer is None:
        url = reverse("associations:offer_create", args=[association.slug])
        response = client.post(url, step_data(OFFER_STEPS[0], data))
        assert response.status_code == 302, response.context["form"].errors
        offer = Offer.objects.get(pk=int(re.search(r"/offers/(\d+)/", response.url).group(1)))
    for step in OFFER_STEPS[int(offer is None) : -1]:
        response = client.post(step_url(offer, step), step_data(step, data))
        assert response.status_code == 302, response.context["form"].errors
    return offer


@pytest.mark.django_db
def test_create_offer_with_all_fields(client, association_member, association, instructor):
    client.force_login(association_member)
    url = reverse("associations:offer_create", args=[association.slug])
    data = offer_data(instructors=[instructor.pk])
    response = client.post(url, step_data(OFFER_STEPS[0], data))
    offer = Offer.objects.get(title="Kajak for 5. klasse")
    # The first step creates the draft and leads to the second.
    assert response.status_code == 302 and response.url == step_url(offer, OFFER_STEPS[1])
    assert offer.slug == "kajak-for-5-klasse" and offer.state == S.DRAFT
    fill_offer(client, association, data, offer=offer)
    offer.refresh_from_db()
    assert offer.association == association and offer.state == S.DRAFT
    assert offer.weekdays == "24" and offer.grade_min == 4 and offer.grade_max == 6
    assert offer.on_request and offer.price_amount == 250 and offer.transport == "Bus 340"
    assert list(offer.instructors.all()) == [instructor]
    # The certificate validity is computed right away.
    assert offer.certificates_valid_until is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"pupils_min": "30", "pupils_max": "10"}, "pupils_max"),
        ({"grade_min": "7", "grade_max": "3"}, "grade_max"),
        ({"grade_max": "11"}, "grade_max"),
        ({"price_amount": "-5"}, "price_amount"),
        ({"duration_minutes": "5"}, "duration_minutes"),
        ({"duration_minutes": "lang"}, "duration_minutes"),
        ({"weekdays": ["6"]}, "weekdays"),
        ({"season_start_week": "54"}, "season_start_week"),
        ({"faelles_maal_url": "not a url"}, "faelles_maal_url"),
        ({"domain": "cooking"}, "domain"),
        ({"title": "x" * 121}, "title"),
    ],
)
def test_invalid_value_in_a_step_is_refused_next_to_the_field_and_keeps_input(
    client, association_member, draft_offer, overrides, field
):
    """A draft is checked field by field (types, ranges, choices), even if nothing is required."""
    client.force_login(association_member)
    step = STEP_OF_FIELD[field]
    data = offer_data(**overrides)
    before = Offer.objects.values().get(pk=draft_offer.pk)
    response = client.post(step_url(draft_offer, step), step_data(step, data))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    page = response.content.decode()
    assert 'id="error-summary"' in page and f'href="#id_{field}' in page
    for name in step.fields:  # what was typed in the other fields of the step is still there
        if isinstance(data.get(name), str) and name not in overrides and data[name]:
            assert data[name] in page, name
    assert Offer.objects.values().get(pk=draft_offer.pk) == before


@pytest.mark.django_db
def test_free_offer_drops_a_typed_price(association):
    form = OfferForm(
        offer_data(price_model="free", price_amount="99"),
        association=association,
        step=STEPS_BY_SLUG["price"],
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["price_amount"] is None


@pytest.mark.django_db
def test_another_associations_instructor_is_refused(
    client, association_member, draft_offer, other_instructor
):
    client.force_login(association_member)
    step = STEPS_BY_SLUG["goals"]
    response = client.post(
        step_url(draft_offer, step), step_data(step, offer_data(instructors=[other_instructor.pk]))
    )
    assert response.status_code == 200
    assert "instructors" in response.context["form"].errors
    assert not draft_offer.instructors.exists()


@pytest.mark.django_db
def test_a_second_click_on_the_first_step_creates_one_offer(
    client, association_member, association
):
    client.force_login(association_member)
    url = reverse("associations:offer_create", args=[association.slug])
    key = str(uuid.uuid4())
    data = {**step_data(OFFER_STEPS[0], offer_data()), "submit_key": key}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Offer.objects.filter(association=association).count() == 1


@pytest.mark.django_db
def test_a_draft_with_required_fields_missing_is_saved(client, association_member, association):
    """ "Save as draft" keeps whatever is filled in: only a title, nothing else."""
    client.force_login(association_member)
    url = reverse("associations:offer_create", args=[association.slug])
    response = client.post(url, {"title": "Kajak", "go": "draft"})
    offer = Offer.objects.get(association=association)
    # "Save as draft" stays on the step, and says so.
    assert response.url == reverse("associations:offer_edit", args=[association.slug, offer.pk])
    assert offer.title == "Kajak" and offer.summary == "" and offer.format == ""
    assert offer.state == S.DRAFT
    # An empty "When" step saves too: no duration, no weekday.
    when = STEPS_BY_SLUG["when"]
    response = client.post(step_url(offer, when), {"duration_minutes": "", "go": "draft"})
    assert response.status_code == 302 and response.url == step_url(offer, when)
    offer.refresh_from_db()
    assert offer.duration_minutes is None and offer.weekdays == ""
    # A paid price model without a price yet is a draft too.
    price = STEPS_BY_SLUG["price"]
    client.post(step_url(offer, price), {"price_model": "hourly", "go": "draft"})
    offer.refresh_from_db()
    assert offer.price_model == "hourly" and offer.price_amount is None
    page = client.get(response.url, follow=True).content.decode()
    assert "Gemt som kladde" in page or "Saved as a draft" in page
    # Even a draft with nothing in it is kept, and listed by a name for its link.
    client.post(url, {"go": "draft"})
    untitled = Offer.objects.get(association=association, title="")
    assert untitled.slug and untitled.state == S.DRAFT
    page = client.get(reverse("associations:detail", args=[association.slug])).content.decode()
    edit = reverse("associations:offer_edit", args=[association.slug, untitled.pk])
    assert re.search(rf'href="{edit}">\((ingen titel endnu|no title yet)\)</a>', page)


@pytest.mark.django_db
def test_submit_lists_what_is_missing_with_links_to_the_fields(
    client, association_member, association
):
    client.force_login(association_member)
    url = reverse("associations:offer_create", args=[association.slug])
    client.post(url, {"title": "Kajak", "go": "draft"})
    offer = Offer.objects.get(association=association)
    client.post(step_url(offer, STEPS_BY_SLUG["for-whom"]), {"location": "elsewhere"})
    client.post(step_url(offer, STEPS_BY_SLUG["price"]), {"price_model": "hourly"})
    submit = reverse("associations:offer_action", args=[association.slug, offer.pk, "submit"])
    response = client.post(submit)
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[page.index('id="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    for name, step in [
        ("summary", "what"),
        ("description", "what"),
        ("domain", "what"),
        ("format", "what"),
        ("location_address", "for-whom"),
        ("duration_minutes", "when"),
        ("weekdays", "when"),
        ("price_amount", "price"),
    ]:
        assert re.search(rf'href="[^"]*/steps/{step}/#id_{name}(_0)?"', summary) or (
            step == "what" and f"/offers/{offer.pk}/#id_{name}" in summary
        ), name
    assert "#id_title" not in summary  # it is filled in
    offer.refresh_from_db()
    assert offer.state == S.DRAFT
    assert not mail.outbox
    # Filled in step by step, the same button submits it for screening.
    fill_offer(client, association, offer_data(), offer=offer)
    last = client.get(step_url(offer, OFFER_STEPS[-1])).content.decode()
    assert 'id="missing-summary-done"' in last and "error-summary" not in last
    response = client.post(submit)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.state == S.SUBMITTED


@pytest.mark.django_db
def test_each_step_keeps_what_is_typed(client, association_member, draft_offer):
    client.force_login(association_member)
    when = STEPS_BY_SLUG["when"]
    data = {"duration_minutes": "75", "weekdays": ["1", "3"], "season_start_week": "35"}
    # "Back" saves the step, then shows the one before.
    response = client.post(step_url(draft_offer, when), {**data, "go": "back"})
    assert response.url == step_url(draft_offer, STEPS_BY_SLUG["for-whom"])
    # A step in the progress list saves too, then shows that step.
    response = client.post(
        step_url(draft_offer, STEPS_BY_SLUG["price"]),
        {
            "price_model": "per_class",
            "price_amount": "400",
            "weather": "Regntøj",
            "go": "step:what",
        },
    )
    assert response.url == reverse(
        "associations:offer_edit", args=[draft_offer.association.slug, draft_offer.pk]
    )
    draft_offer.refresh_from_db()
    assert draft_offer.duration_minutes == 75 and draft_offer.weekdays == "13"
    assert draft_offer.price_amount == 400 and draft_offer.weather == "Regntøj"
    # Back on the step, the form shows what was saved.
    form = client.get(step_url(draft_offer, when)).context["form"]
    assert form["duration_minutes"].value() == 75
    assert form["weekdays"].value() == ["1", "3"]
    assert form["season_start_week"].value() == 35
    # Fields of other steps are left as they were.
    assert draft_offer.title.startswith("Tilbud")


@pytest.mark.django_db
def test_progress_list_marks_the_current_step(client, association_member, draft_offer):
    client.force_login(association_member)
    Offer.objects.filter(pk=draft_offer.pk).update(weekdays="")
    page = client.get(step_url(draft_offer, STEPS_BY_SLUG["price"])).content.decode()
    steps = page[page.index('<ol class="offer-steps"') : page.index("</ol>")]
    assert steps.count("<li") == len(OFFER_STEPS)
    assert steps.count('aria-current="step"') == 1
    current = re.search(r'aria-current="step">([^<]+)<', steps).group(1)
    assert current in ("Pris og praktisk information", "Price and practical information")
    # Every other step is a button of the form: moving there saves what is typed.
    assert steps.count('name="go" value="step:') == len(OFFER_STEPS) - 1
    # The step with a missing weekday says so.
    when = steps[steps.index("step:when") :]
    assert "badge" in when[: when.index("</li>")]
    # (The list of everything missing waits for the last step.)
    assert 'id="missing-summary"' not in page
    # One form of the step's fields, and no empty "---------" radio choice.
    assert page.count('id="offer-form"') == 1 and page.count("<h1") == 1
    assert not re.search(r'<input[^>]*type="radio"[^>]*value=""', page)
    # Enter in a field means "Save and continue": that is the form's first button.
    form = page[page.index('id="offer-form"') :]
    assert re.search(r'<button type="submit" name="go" value="next"', form).start() < form.index(
        'value="step:'
    )


@pytest.mark.django_db
def test_no_weekday_and_no_on_request_is_ticked_in_advance(client, association_member, association):
    assert Offer().weekdays == "" and Offer().on_request is False
    client.force_login(association_member)
    url = reverse("associations:offer_create", args=[association.slug])
    client.post(url, {"title": "Kajak"})
    offer = Offer.objects.get(association=association)
    assert offer.weekdays == "" and offer.on_request is False
    page = client.get(step_url(offer, STEPS_BY_SLUG["when"])).content.decode()
    boxes = re.findall(r'<input[^>]*type="checkbox"[^>]*>', page)
    assert len([b for b in boxes if 'name="weekdays"' in b]) == 5
    assert any('name="on_request"' in b for b in boxes)
    assert not [b for b in boxes if "checked" in b]
    # Nothing is pre-ticked on any step of a new offer either.
    for step in OFFER_STEPS[:-1]:
        page = client.get(step_url(offer, step)).content.decode()
        assert not re.search(r'<input[^>]*type="checkbox"[^>]*checked', page), step.slug


@pytest.mark.django_db
def test_edit_draft_offer(client, association_member, draft_offer):
    client.force_login(association_member)
    url = reverse("associations:offer_edit", args=[draft_offer.association.slug, draft_offer.pk])
    response = client.get(url)
    assert response.status_code == 200
    response = client.post(url, offer_data(title="Nyt navn"))
    assert response.status_code == 302
    draft_offer.refresh_from_db()
    assert draft_offer.title == "Nyt navn"


@pytest.mark.django_db
def test_edit_of_published_offer_waits_while_schools_see_the_approved_one(
    client, association_member, published_offer
):
    slug = published_offer.association.slug
    client.force_login(association_member)
    url = reverse("associations:offer_edit", args=[slug, published_offer.pk])
    old = published_offer.title
    response = client.post(
        url, offer_data(title="Ny titel", instructors=[published_offer.instructors.get().pk])
    )
    assert response.status_code == 302
    published_offer.refresh_from_db()
    assert published_offer.title == old
    assert Offer.objects.published().get() == published_offer
    edit = published_offer.revisions.get()
    assert edit.title == "Ny titel" and edit.state == S.DRAFT
    assert edit not in Offer.objects.published()
    client.post(reverse("associations:offer_action", args=[slug, published_offer.pk, "submit"]))
    edit.refresh_from_db()
    assert edit.state == S.SUBMITTED
    # Approving the edit puts it live.
    transition(edit, Transition.APPROVE)
    published_offer.refresh_from_db()
    assert published_offer.title == "Ny titel"


@pytest.mark.django_db
def test_pause_unpause_and_withdraw(client, association_member, published_offer):
    slug = published_offer.association.slug
    client.force_login(association_member)

    def act(action):
        return client.post(
            reverse("associations:offer_action", args=[slug, published_offer.pk, action])
        )

    act("pause")
    published_offer.refresh_from_db()
    assert published_offer.is_paused and not Offer.objects.published().exists()
    act("unpause")
    assert Offer.objects.published().exists()
    act("withdraw")
    published_offer.refresh_from_db()
    assert published_offer.state == S.WITHDRAWN
    assert not Offer.objects.published().exists()
    response = client.post(
        reverse("associations:offer_action", args=[slug, published_offer.pk, "withdraw"]),
        follow=True,
    )
    # Withdrawing twice (an old tab, a second click) gets the first answer, once.
    shown = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert shown[-1] == ("success", "Tilbuddet er trukket tilbage.")
    assert shown.count(shown[-1]) == 1 and "error" not in dict(shown)
    assert (
        client.post(
            reverse("associations:offer_action", args=[slug, published_offer.pk, "approve"])
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_member_cannot_approve_own_offer_by_submitting_twice(
    client, association_member, draft_offer
):
    client.force_login(association_member)
    url = reverse(
        "associations:offer_action", args=[draft_offer.association.slug, draft_offer.pk, "submit"]
    )
    client.post(url)
    second = client.post(url, follow=True)
    draft_offer.refresh_from_db()
    assert draft_offer.state == S.SUBMITTED
    # The second click gets the first one's answer, once, not a refusal.
    shown = [(m.level_tag, str(m)) for m in second.context["messages"]]
    assert shown == [("success", "Tilbuddet er sendt til screening.")]


@pytest.mark.django_db
def test_preview_uses_the_catalog_partial(client, association_member, draft_offer):
    client.force_login(association_member)
    url = reverse("associations:offer_preview", args=[draft_offer.association.slug, draft_offer.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "catalog/_offer_body.html" in [t.name for t in response.templates]
    assert draft_offer.description in response.content.decode()


@pytest.mark.django_db
def test_add_photos_up_to_five(client, association_member, draft_offer):
    client.force_login(association_member)
    url = reverse(
        "associations:offer_photo_add", args=[draft_offer.association.slug, draft_offer.pk]
    )
    for i in range(OfferPhoto.MAX_PER_OFFER):
        response = client.post(url, {"image": image_upload(f"p{i}.jpg"), "alt_text": f"Foto {i}"})
        assert response.status_code == 302
    assert draft_offer.photos.count() == 5
    response = client.post(url, {"image": image_upload("p6.jpg"), "alt_text": "Foto 6"})
    assert response.status_code == 400
    assert "højst have 5 billeder" in response.content.decode()
    assert draft_offer.photos.count() == 5


@pytest.mark.django_db
def test_a_double_click_adds_the_photo_once(client, association_member, draft_offer):
    """The same form sent twice adds one photo and says so once, also when it was the last
    one allowed (the second click is not told that the offer is full)."""
    client.force_login(association_member)
    url = reverse(
        "associations:offer_photo_add", args=[draft_offer.association.slug, draft_offer.pk]
    )
    for i in range(OfferPhoto.MAX_PER_OFFER - 1):
        client.post(url, {"image": image_upload(f"p{i}.jpg"), "alt_text": f"Foto {i}"})
    key = str(uuid.uuid4())
    for _click in range(2):
        response = client.post(
            url, {"image": image_upload("last.jpg"), "alt_text": "Sidste", "submit_key": key}
        )
        assert response.status_code == 302
    assert draft_offer.photos.count() == OfferPhoto.MAX_PER_OFFER
    assert draft_offer.photos.filter(alt_text="Sidste").count() == 1
    shown = [str(m) for m in client.get(response.url).context["messages"]]
    assert shown == ["Billedet er tilføjet."]
    # Another rendering of the form (a new key) is a new photo: refused, the offer is full.
    response = client.post(
        url,
        {"image": image_upload("x.jpg"), "alt_text": "Sidste", "submit_key": str(uuid.uuid4())},
    )
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"image": "fake", "alt_text": "Et foto"},
        {"image": "real", "alt_text": ""},
        {"alt_text": "Uden billede"},
        {"image": "JPEG", "alt_text": "Halvt billede"},
        {"image": "PNG", "alt_text": "Ødelagt billede"},
    ],
)
def test_bad_photo_is_refused(client, association_member, draft_offer, data):
    data = dict(data)
    if data.get("image") == "fake":
        data["image"] = fake_image()
    elif data.get("image") == "real":
        data["image"] = image_upload()
    elif data.get("image") in ("JPEG", "PNG"):  # sound headers, broken pixels
        data["image"] = broken_image(data["image"])
    client.force_login(association_member)
    url = reverse(
        "associations:offer_photo_add", args=[draft_offer.association.slug, draft_offer.pk]
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert not draft_offer.photos.exists()


@pytest.mark.django_db
def test_too_large_photo_is_refused(client, association_member, draft_offer, monkeypatch):
    import portal.uploads

    monkeypatch.setattr(portal.uploads, "MAX_UPLOAD_BYTES", 100)
    client.force_login(association_member)
    url = reverse(
        "associations:offer_photo_add", args=[draft_offer.association.slug, draft_offer.pk]
    )
    response = client.post(url, {"image": image_upload(size=(200, 200)), "alt_text": "Stort"})
    assert response.status_code == 400
    assert "5 MB" in response.content.decode()
    assert not draft_offer.photos.exists()


@pytest.mark.django_db
def test_photo_of_a_published_offer_goes_into_the_edit(client, association_member, published_offer):
    live_photo = OfferPhoto.objects.create(
        offer=published_offer, image=image_upload(), alt_text="Gammelt"
    )
    slug = published_offer.association.slug
    client.force_login(association_member)
    client.post(
        reverse("associations:offer_photo_delete", args=[slug, published_offer.pk, live_photo.pk])
    )
    assert published_offer.photos.get() == live_photo  # schools still see it
    edit = published_offer.revisions.get()
    assert not edit.photos.exists()


@pytest.mark.django_db
def test_offer_with_old_certificate_drops_out_after_instructor_change(
    client, association_member, published_offer
):
    instructor = published_offer.instructors.get()
    slug = published_offer.association.slug
    client.force_login(association_member)
    old = (timezone.now() - timedelta(days=800)).date()
    response = client.post(
        reverse("associations:instructor_edit", args=[slug, instructor.pk]),
        {
            "name": instructor.name,
            "role": "Træner",
            "school_experience": "",
            "child_certificate_confirmed": "on",
            "child_certificate_date": old.isoformat(),
        },
    )
    assert response.status_code == 302
    assert not Offer.objects.published().exists()
    # Renewing it brings the offer back.
    client.post(
        reverse("associations:instructor_edit", args=[slug, instructor.pk]),
        {
            "name": instructor.name,
            "role": "Træner",
            "child_certificate_confirmed": "on",
            "child_certificate_date": timezone.localdate().isoformat(),
        },
    )
    assert Offer.objects.published().get() == published_offer


@pytest.mark.django_db
def test_deleting_the_only_instructor_unpublishes(client, association_member, published_offer):
    instructor = published_offer.instructors.get()
    client.force_login(association_member)
    client.post(
        reverse(
            "associations:instructor_delete",
            args=[published_offer.association.slug, instructor.pk],
        )
    )
    assert not Offer.objects.published().exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "A", "child_certificate_confirmed": "on"}, "child_certificate_date"),
        (
            {
                "name": "A",
                "child_certificate_confirmed": "on",
                "child_certificate_date": "2999-01-01",
            },
            "child_certificate_date",
        ),
        ({"name": ""}, "name"),
    ],
)
def test_invalid_instructor(client, association_member, association, data, field):
    client.force_login(association_member)
    response = client.post(reverse("associations:instructor_create", args=[association.slug]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not association.instructors.exists()


@pytest.mark.django_db
def test_add_instructor(client, association_member, association):
    client.force_login(association_member)
    response = client.post(
        reverse("associations:instructor_create", args=[association.slug]),
        {
            "name": "Ole",
            "role": "Træner",
            "child_certificate_confirmed": "on",
            "child_certificate_date": "2025-09-01",
        },
    )
    assert response.status_code == 302
    assert association.instructors.get().name == "Ole"


@pytest.mark.django_db
def test_my_association_renders_offers_in_every_state(client, association_member, association):
    offers = {state: f.OfferFactory(association=association, state=state) for state in S.values}
    client.force_login(association_member)
    response = client.get(reverse("associations:detail", args=[association.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    for offer in offers.values():
        assert offer.title in page
        edit = client.get(reverse("associations:offer_edit", args=[association.slug, offer.pk]))
        assert edit.status_code == 200
        assert edit.context["can_edit"] is (
            offer.state in ("draft", "changes_requested", "approved", "suspended", "expired")
        )


@pytest.mark.django_db
def test_submitted_offer_cannot_be_changed(client, association_member, draft_offer):
    Offer.objects.filter(pk=draft_offer.pk).update(state=S.SUBMITTED)
    client.force_login(association_member)
    url = reverse("associations:offer_edit", args=[draft_offer.association.slug, draft_offer.pk])
    response = client.post(url, offer_data(title="Ændret"), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    draft_offer.refresh_from_db()
    assert draft_offer.title != "Ændret"


@pytest.mark.django_db
def test_offer_with_fixed_dates_links_to_its_occasions(client, association_member, association):
    fixed = f.OfferFactory(association=association, on_request=False)
    on_request = f.OfferFactory(association=association, on_request=True)
    client.force_login(association_member)
    page = client.get(reverse("associations:detail", args=[association.slug])).content.decode()
    assert reverse("bookings:occasions", args=[fixed.pk]) in page
    assert reverse("bookings:occasions", args=[on_request.pk]) not in page


@pytest.mark.django_db
def test_stricter_municipality_in_profile_unpublishes_old_certificates(
    client, association_member, association, municipality
):
    Association = type(association)
    Association.objects.filter(pk=association.pk).update(state=S.DRAFT)
    offer = f.OfferFactory(association=association, published=True)
    instructor = offer.instructors.get()
    instructor.child_certificate_date = timezone.localdate() - timedelta(days=200)
    instructor.save()
    municipality.child_certificate_max_age_months = 6
    municipality.save()
    from .test_views_profile import profile_data

    client.force_login(association_member)
    client.post(
        reverse("associations:profile_edit", args=[association.slug]), profile_data(municipality)
    )
    offer.refresh_from_db()
    assert offer.certificates_valid_until < timezone.localdate()


@pytest.mark.django_db
def test_the_association_page_says_when_schools_see_no_offers(
    client, association_member, published_offer
):
    association = published_offer.association
    client.force_login(association_member)
    page_url = reverse("associations:detail", args=[association.slug])
    assert 'id="offers-not-shown"' not in client.get(page_url).content.decode()
    Association.objects.filter(pk=association.pk).update(state=S.WITHDRAWN)
    page = client.get(page_url).content.decode()
    assert 'id="offers-not-shown"' in page and "før foreningens profil er godkendt" in page


@pytest.mark.django_db
def test_a_paused_offer_can_be_resumed_whatever_its_state(
    client, association_member, published_offer
):
    """A pause sent from an old tab while the offer waits for screening is undone on the page."""
    Offer.objects.filter(pk=published_offer.pk).update(state=S.SUBMITTED, is_paused=True)
    association = published_offer.association
    client.force_login(association_member)
    page = client.get(reverse("associations:detail", args=[association.slug])).content.decode()
    resume = reverse(
        "associations:offer_action", args=[association.slug, published_offer.pk, "unpause"]
    )
    assert f'action="{resume}"' in page
    client.post(resume)
    published_offer.refresh_from_db()
    assert not published_offer.is_paused


@pytest.mark.django_db
@pytest.mark.parametrize("offer_fixture", ["draft_offer", "published_offer"])
def test_removing_a_photo_twice_answers_once(client, association_member, offer_fixture, request):
    """A double click on "Remove": the second finds the photo gone (on an approved offer:
    its copy in the edit) and gets the first one's answer, once, not a 404 page."""
    offer = request.getfixturevalue(offer_fixture)
    photo = OfferPhoto.objects.create(offer=offer, image=image_upload(), alt_text="Gammelt")
    client.force_login(association_member)
    url = reverse(
        "associations:offer_photo_delete", args=[offer.association.slug, offer.pk, photo.pk]
    )
    assert client.post(url).status_code == 302
    second = client.post(url, follow=True)
    assert second.status_code == 200
    assert [str(m) for m in second.context["messages"]] == ["Billedet er fjernet."]
    version = offer.revisions.get() if offer_fixture == "published_offer" else offer
    assert not version.photos.exists()


@pytest.mark.django_db
def test_removing_a_photo_that_is_gone_begins_no_edit(client, association_member, published_offer):
    """A stale tab's "Remove" of a photo no longer there changes nothing: no edit of the
    approved offer is begun for it."""
    client.force_login(association_member)
    slug = published_offer.association.slug
    url = reverse("associations:offer_photo_delete", args=[slug, published_offer.pk, 99999999])
    assert client.post(url).status_code == 302
    assert not published_offer.revisions.exists()
