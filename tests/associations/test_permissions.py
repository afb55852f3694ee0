"""Nobody touches another association by changing an id or a slug (IDOR)."""

import pytest
from django.urls import reverse

from associations.models import AssociationMembership, Instructor, Offer, OfferPhoto
from screening.workflow import ScreeningState as S
from tests import factories as f

from .images import image_upload


@pytest.fixture
def foreign_offer(other_association):
    return f.OfferFactory(association=other_association)


def _member_pages(association, offer, instructor):
    slug = association.slug
    return [
        reverse("associations:detail", args=[slug]),
        reverse("associations:profile_edit", args=[slug]),
        reverse("associations:profile_preview", args=[slug]),
        reverse("associations:offer_create", args=[slug]),
        reverse("associations:offer_edit", args=[slug, offer.pk]),
        reverse("associations:offer_preview", args=[slug, offer.pk]),
        reverse("associations:instructor_create", args=[slug]),
        reverse("associations:instructor_edit", args=[slug, instructor.pk]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "stranger", "teacher", "consultant", "other_admin"])
def test_no_access_for_outsiders(
    client, who, association, draft_offer, instructor, teacher, consultant, other_association_admin
):
    users = {
        "stranger": f.UserFactory(),
        "teacher": teacher,
        "consultant": consultant,
        "other_admin": other_association_admin,
    }
    if who != "anonymous":
        client.force_login(users[who])
    for url in _member_pages(association, draft_offer, instructor):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/login/" in response.url, url
        else:
            assert response.status_code == 404, url


@pytest.mark.django_db
def test_member_sees_drafts(client, association_member, association, draft_offer, instructor):
    client.force_login(association_member)
    for url in _member_pages(association, draft_offer, instructor):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_own_slug_with_foreign_offer_id_is_404(
    client, association_member, association, foreign_offer
):
    client.force_login(association_member)
    slug = association.slug
    for name in ("offer_edit", "offer_preview"):
        assert (
            client.get(reverse(f"associations:{name}", args=[slug, foreign_offer.pk])).status_code
            == 404
        )
    for action in ("submit", "withdraw", "pause"):
        url = reverse("associations:offer_action", args=[slug, foreign_offer.pk, action])
        assert client.post(url).status_code == 404
    response = client.post(
        reverse("associations:offer_edit", args=[slug, foreign_offer.pk]), {"title": "Hacked"}
    )
    assert response.status_code == 404
    url = reverse("associations:offer_photo_add", args=[slug, foreign_offer.pk])
    assert client.post(url, {"image": image_upload(), "alt_text": "x"}).status_code == 404
    foreign_offer.refresh_from_db()
    assert foreign_offer.title != "Hacked" and foreign_offer.state == S.DRAFT
    assert not OfferPhoto.objects.exists()


@pytest.mark.django_db
def test_own_slug_with_foreign_instructor_and_photo_is_refused(
    client, association_member, association, draft_offer, other_instructor, foreign_offer
):
    client.force_login(association_member)
    slug = association.slug
    url = reverse("associations:instructor_edit", args=[slug, other_instructor.pk])
    assert client.post(url, {"name": "Hacked"}).status_code == 404
    url = reverse("associations:instructor_delete", args=[slug, other_instructor.pk])
    assert client.post(url).status_code == 404
    assert Instructor.objects.get(pk=other_instructor.pk).name != "Hacked"
    photo = OfferPhoto.objects.create(offer=foreign_offer, image=image_upload(), alt_text="x")
    url = reverse("associations:offer_photo_delete", args=[slug, draft_offer.pk, photo.pk])
    # Answered as a photo already removed (a second click): an id of another offer is not
    # told apart from one that does not exist, and it is left alone.
    gone = reverse("associations:offer_photo_delete", args=[slug, draft_offer.pk, 99999999])
    assert client.post(url).status_code == client.post(gone).status_code == 302
    assert OfferPhoto.objects.filter(pk=photo.pk).exists()


@pytest.mark.django_db
def test_admin_cannot_touch_members_of_another_association(
    client, association_admin, association, other_association_admin
):
    foreign = AssociationMembership.objects.get(user=other_association_admin)
    client.force_login(association_admin)
    slug = association.slug
    client.post(reverse("associations:remove_member", args=[slug, foreign.pk]))
    client.post(reverse("associations:set_role", args=[slug, foreign.pk]), {"role": "member"})
    foreign.refresh_from_db()
    assert foreign.is_admin


@pytest.mark.django_db
def test_offer_post_cannot_move_the_offer_to_another_association(
    client, association_member, association, other_association
):
    client.force_login(association_member)
    from .test_offers import offer_data

    client.post(
        reverse("associations:offer_create", args=[association.slug]),
        offer_data(association=other_association.pk, state="approved"),
    )
    offer = Offer.objects.get()
    assert offer.association == association and offer.state == S.DRAFT


@pytest.mark.django_db
def test_profile_post_cannot_set_state(client, association_member, association, municipality):
    from associations.models import Association

    Association.objects.filter(pk=association.pk).update(state=S.DRAFT)
    client.force_login(association_member)
    from .test_views_profile import profile_data

    client.post(
        reverse("associations:profile_edit", args=[association.slug]),
        profile_data(municipality, state="approved", slug="stolen"),
    )
    association.refresh_from_db()
    assert association.state == S.DRAFT and association.slug != "stolen"


@pytest.mark.django_db
def test_edit_rows_are_not_reachable_as_associations(client, association_member, association):
    """An edit of an approved profile is a second row; its slug must not open My association."""
    from associations.services import editable_version

    edit = editable_version(association, by=association_member)
    client.force_login(association_member)
    assert client.get(reverse("associations:detail", args=[edit.slug])).status_code == 404
