import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from associations.models import Association, AssociationMembership
from screening.models import ScreeningEvent
from screening.workflow import ScreeningState as S
from tests import factories as f

from .images import fake_image, image_upload


def profile_data(municipality, **overrides):
    data = {
        "name": "Helsingør Kajakklub",
        "cvr": "29403473",
        "domains": ["sport", "nature"],
        "description": "Vi padler med børn og unge.",
        "address": "Strandvejen 5",
        "postal_code": "3000",
        "town": "Helsingør",
        "latitude": "",
        "longitude": "",
        "website": "https://kajak.example",
        "contact_name": "Karen Kajak",
        "contact_role": "Formand",
        "contact_phone": "12345678",
        "contact_email": "karen@kajak.example",
        "members_under_18": "40",
        "members_under_25": "55",
        "municipalities": [municipality.pk],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_create_association_makes_the_creator_admin(client, stranger, municipality):
    client.force_login(stranger)
    data = profile_data(municipality)
    data["logo"] = image_upload("logo.png", size=(2000, 1000), fmt="PNG")
    response = client.post(reverse("associations:create"), data)
    association = Association.objects.get(name="Helsingør Kajakklub")
    assert response.status_code == 302
    assert response.url == reverse("associations:detail", args=[association.slug])
    assert association.state == S.DRAFT
    assert association.domains == ["sport", "nature"]
    assert list(association.municipalities.all()) == [municipality]
    membership = AssociationMembership.objects.get(association=association)
    assert membership.user == stranger and membership.is_admin
    # The logo was re-encoded and scaled down to fit 600×600.
    assert association.logo.width <= 600 and association.logo.height <= 600


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"cvr": "12345678"}, "cvr"),
        ({"cvr": "1234"}, "cvr"),
        ({"domains": []}, "domains"),
        ({"domains": ["cooking"]}, "domains"),
        ({"postal_code": "30"}, "postal_code"),
        ({"members_under_18": "50", "members_under_25": "10"}, "members_under_25"),
        ({"municipalities": []}, "municipalities"),
        ({"latitude": "56.03"}, "longitude"),
        ({"latitude": "40.0", "longitude": "12.0"}, "latitude"),
        ({"contact_email": "nope"}, "contact_email"),
    ],
)
def test_invalid_profile_is_refused_and_keeps_input(
    client, stranger, municipality, overrides, field
):
    client.force_login(stranger)
    response = client.post(reverse("associations:create"), profile_data(municipality, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert b"error-summary" in response.content
    assert "Karen Kajak" in response.content.decode()
    assert not Association.objects.filter(name="Helsingør Kajakklub").exists()


@pytest.mark.django_db
def test_logo_that_is_not_an_image_is_refused(client, stranger, municipality):
    client.force_login(stranger)
    data = profile_data(municipality, logo=fake_image("logo.png"))
    response = client.post(reverse("associations:create"), data)
    assert response.status_code == 200 and "logo" in response.context["form"].errors


@pytest.mark.django_db
def test_create_needs_a_confirmed_address(client, municipality):
    user = f.UserFactory(email_confirmed_at=None)
    client.force_login(user)
    response = client.post(reverse("associations:create"), profile_data(municipality))
    assert response.status_code == 302 and response.url == reverse("accounts:home")
    assert not Association.objects.filter(name="Helsingør Kajakklub").exists()


@pytest.mark.django_db
def test_anonymous_cannot_create(client, municipality):
    response = client.post(reverse("associations:create"), profile_data(municipality))
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.django_db
def test_editing_a_draft_changes_it_in_place(client, association_member, association, municipality):
    Association.objects.filter(pk=association.pk).update(state=S.DRAFT)
    client.force_login(association_member)
    url = reverse("associations:profile_edit", args=[association.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, profile_data(municipality, name="Nyt navn"))
    assert response.status_code == 302
    association.refresh_from_db()
    assert association.name == "Nyt navn"
    assert not association.revisions.exists()


@pytest.mark.django_db
def test_editing_an_approved_profile_makes_a_hidden_edit(
    client, association_member, association, municipality
):
    client.force_login(association_member)
    url = reverse("associations:profile_edit", args=[association.slug])
    old_name = association.name
    response = client.post(url, profile_data(municipality, name="Nyt navn"))
    assert response.status_code == 302
    association.refresh_from_db()
    assert association.name == old_name and association.state == S.APPROVED
    edit = association.revisions.get()
    assert edit.name == "Nyt navn" and edit.state == S.DRAFT
    # The form now shows the edit, and submitting submits the edit, not the live row.
    assert client.get(url).context["form"].instance == edit
    client.post(reverse("associations:profile_submit", args=[association.slug]))
    edit.refresh_from_db()
    association.refresh_from_db()
    assert edit.state == S.SUBMITTED and association.state == S.APPROVED
    # While it waits, a further edit is refused with a message and changes nothing.
    response = client.post(url, profile_data(municipality, name="Tredje navn"), follow=True)
    assert "waiting for screening" in str(list(response.context["messages"])[0]).lower() or (
        "screening" in response.content.decode()
    )
    edit.refresh_from_db()
    assert edit.name == "Nyt navn"


@pytest.mark.django_db
def test_invalid_edit_of_an_approved_profile_leaves_no_edit_behind(
    client, association_member, association, municipality
):
    client.force_login(association_member)
    url = reverse("associations:profile_edit", args=[association.slug])
    response = client.post(url, profile_data(municipality, cvr="123"))
    assert response.status_code == 200
    assert not association.revisions.exists()


@pytest.mark.django_db
def test_submit_draft_profile_and_transition_errors_are_messages(
    client, association_admin, association
):
    Association.objects.filter(pk=association.pk).update(state=S.DRAFT)
    client.force_login(association_admin)
    url = reverse("associations:profile_submit", args=[association.slug])
    client.post(url)
    association.refresh_from_db()
    assert association.state == S.SUBMITTED
    assert ScreeningEvent.objects.filter(transition="submit", object_id=association.pk).exists()
    # A second click gets the first one's answer, once.
    response = client.post(url, follow=True)
    assert response.status_code == 200
    shown = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert len(shown) == 1 and shown[0][0] == "success"
    assert ScreeningEvent.objects.filter(transition="submit").count() == 1
    # An action the state does not allow is a message, not a crash.
    reopen = reverse("associations:profile_reopen", args=[association.slug])
    response = client.post(reopen, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert any("ikke muligt" in str(m) for m in response.context["messages"])


@pytest.mark.django_db
def test_withdraw_profile_is_for_admins(client, association_member, association_admin, association):
    client.force_login(association_member)
    url = reverse("associations:profile_withdraw", args=[association.slug])
    assert client.post(url).status_code == 403
    client.force_login(association_admin)
    client.post(url)
    association.refresh_from_db()
    assert association.state == S.WITHDRAWN


@pytest.mark.django_db
def test_preview_shows_the_profile_as_a_school_sees_it(client, association_member, association):
    client.force_login(association_member)
    response = client.get(reverse("associations:profile_preview", args=[association.slug]))
    assert response.status_code == 200
    assert "catalog/_association_body.html" in [t.name for t in response.templates]
    assert association.description in response.content.decode()


@pytest.mark.django_db
def test_my_association_page(client, association_member, association, published_offer):
    client.force_login(association_member)
    response = client.get(reverse("associations:mine"))
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 200
    page = response.content.decode()
    assert published_offer.title in page
    assert association_member.full_name in page
    assert "bookings/_association_bookings.html" in [t.name for t in response.templates]


@pytest.mark.django_db
def test_my_association_lists_several(client, association_member, other_association):
    f.AssociationMembershipFactory(user=association_member, association=other_association)
    client.force_login(association_member)
    response = client.get(reverse("associations:mine"))
    assert response.status_code == 200
    assert len(response.context["associations"]) == 2


@pytest.mark.django_db
def test_my_association_shows_consultant_messages_but_not_internal_notes(
    client, association_member, draft_offer, consultant
):
    from screening.services import record

    record(
        draft_offer,
        transition="request_changes",
        message="Skriv mere om læringsmål",
        actor=consultant,
    )
    record(draft_offer, message="Intern note om foreningen", actor=consultant, internal=True)
    client.force_login(association_member)
    page = client.get(
        reverse("associations:detail", args=[draft_offer.association.slug])
    ).content.decode()
    assert "Skriv mere om læringsmål" in page
    assert "Intern note" not in page


@pytest.mark.django_db
def test_user_without_role_is_sent_to_me(client, stranger):
    client.force_login(stranger)
    response = client.get(reverse("associations:mine"))
    assert response.status_code == 302 and response.url == reverse("accounts:home")
    page = client.get(response.url).content.decode()
    assert reverse("associations:create") in page and "/school/join/" in page


def test_mail_outbox_is_empty_between_tests():
    assert mail.outbox == []


@pytest.mark.django_db
def test_profile_preview_lists_offers_as_they_will_be(client, association_member, association):
    draft = f.OfferFactory(association=association, title="Kladdetilbud")
    f.OfferFactory(association=association, title="Tilbagetrukket", state=S.WITHDRAWN)
    client.force_login(association_member)
    response = client.get(reverse("associations:profile_preview", args=[association.slug]))
    page = response.content.decode()
    assert draft.title in page and "Tilbagetrukket" not in page


@pytest.mark.django_db
def test_a_new_address_finds_a_new_position_unless_the_marker_moved(municipality):
    from associations.forms import AssociationForm

    f.SchoolFactory(municipality=municipality, postal_code="3100", latitude=56.09, longitude=12.46)
    association = f.AssociationFactory(
        municipalities=[municipality], postal_code="3000", latitude=56.03, longitude=12.6
    )

    def save(**overrides):
        fields = {
            "name": association.name,
            "cvr": association.cvr,
            "latitude": str(association.latitude),
            "longitude": str(association.longitude),
            **overrides,
        }
        data = profile_data(municipality, **fields)
        form = AssociationForm(data, instance=association)
        assert form.is_valid(), form.errors
        return form.save()

    # Moved to Hornbæk, marker untouched: the position follows the new postal code.
    moved = save(postal_code="3100", town="Hornbæk")
    assert (moved.latitude, moved.longitude) == (56.09, 12.46)
    # A dragged marker wins over the address.
    dragged = save(postal_code="3000", town="Helsingør", latitude="56.05", longitude="12.55")
    assert (dragged.latitude, dragged.longitude) == (56.05, 12.55)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [("nan", "12.6"), ("inf", "12.6"), ("56.0\x00", "12.6"), ("1e400", "12"), ("56", "-190")],
)
def test_hostile_coordinates_are_form_errors(client, stranger, municipality, latitude, longitude):
    client.force_login(stranger)
    data = profile_data(municipality, latitude=latitude, longitude=longitude)
    response = client.post(reverse("associations:create"), data)
    assert response.status_code in (200, 400)
    assert not Association.objects.filter(name="Helsingør Kajakklub").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "domains", [5, -1, 0, False, "", {}, 18446744073709551616, [["sport"]], "sport", ["chess"]]
)
def test_domains_that_are_no_list_of_known_names_are_refused(domains):
    """The operator's admin edits the domains as JSON, which takes any value: a number or a
    list of lists was a 500 (TypeError) where a form error was due."""
    association = f.AssociationFactory(domains=["sport"])
    association.domains = domains
    with pytest.raises(ValidationError) as refused:
        association.clean()
    assert "domains" in refused.value.message_dict


@pytest.mark.django_db
def test_no_domains_at_all_is_an_empty_list():
    """An emptied JSON field in the operator's admin is null: stored as no domains, not a
    NOT NULL error."""
    association = f.AssociationFactory(domains=["sport"])
    association.domains = None
    association.clean()
    association.save()
    association.refresh_from_db()
    assert association.domains == []
