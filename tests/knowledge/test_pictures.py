"""A good example's pictures may show pupils: they are kept outside the public media folder
and served by the picture view to whoever may see the example, its proposer and the
municipality's consultants; a public, published example's pictures to anyone."""

import importlib

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge import services
from knowledge.forms import AdminPhotoForm
from knowledge.models import ItemPhoto, private_files
from screening import services as screening_services
from screening.workflow import Transition
from tests.knowledge.conftest import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(completed_booking, teacher):
    item = services.propose_from_booking(completed_booking, by=teacher)
    item.photos.create(image=SimpleUploadedFile("a.png", png_bytes()), alt_text="Eleverne i kajak")
    return item


def test_a_drafts_picture_is_for_its_proposer_and_the_consultant_only(
    client, proposal, teacher, consultant, other_teacher, other_consultant
):
    photo = proposal.photos.get()
    url = reverse("knowledge:photo", args=[photo.pk])
    assert photo.url == url
    # Not under the public media folder, which the web server hands out to anyone.
    assert not (settings.MEDIA_ROOT / photo.image.name).exists()
    assert private_files.exists(photo.image.name)
    assert client.get(url).status_code == 404
    for stranger in (other_teacher, other_consultant):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    for user in (teacher, consultant):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content) == photo.image.open("rb").read()
    client.force_login(teacher)
    page = client.get(reverse("knowledge:proposal", args=[proposal.pk])).content.decode()
    assert f'src="{url}"' in page
    client.force_login(consultant)
    change = reverse("admin:knowledge_item_change", args=[proposal.pk])
    admin_page = client.get(change).content.decode()
    # The admin's picture row shows the picture small, not its stored name.
    assert f'<a href="{url}"><img src="{url}" alt="{photo.alt_text}" height="80"></a>' in admin_page
    assert f">{photo.image.name}</a>" not in admin_page


def test_a_published_public_examples_pictures_are_for_anyone(client, proposal, teacher, consultant):
    proposal.body = "Eleverne padlede i to timer og lærte at redde hinanden op af vandet."
    proposal.is_public = True
    proposal.save()
    item = services.submit(proposal, by=teacher)
    screening_services.decide(item, Transition.APPROVE, by=consultant)
    url = reverse("knowledge:photo", args=[item.photos.get().pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=300"
    assert (
        f'src="{url}"' in client.get(reverse("knowledge:detail", args=[item.slug])).content.decode()
    )
    item.is_public = False  # logged-in only: not for a visitor who is not logged in
    item.save()
    assert client.get(url).status_code == 404
    client.force_login(teacher)
    assert client.get(url)["Cache-Control"] == "private, no-store"


def test_hostile_ids_and_missing_files_are_404(client, proposal, teacher):
    client.force_login(teacher)
    for pk in ("x", "0", "-1", "1\x00", "99999999999999999999"):
        assert client.get(f"/knowledge/pictures/{pk}/").status_code in (400, 404)
    photo = proposal.photos.get()
    private_files.delete(photo.image.name)
    assert client.get(photo.url).status_code == 404


def test_pictures_stored_publicly_before_move_to_the_private_folder(proposal):
    photo = proposal.photos.get()
    name = photo.image.name
    content = private_files.open(name, "rb").read()
    private_files.delete(name)
    default_storage.save(name, ContentFile(content))  # where the pictures were kept before
    migration = importlib.import_module("knowledge.migrations.0004_pictures_private")
    migration.move_pictures(_Apps(), None)
    assert private_files.open(name, "rb").read() == content
    assert not default_storage.exists(name)
    migration.move_pictures(_Apps(), None)  # again: nothing left to move, nothing lost
    assert private_files.exists(name)
    default_storage.save(name, ContentFile(content))  # a copy left by a run that stopped
    migration.move_pictures(_Apps(), None)
    assert not default_storage.exists(name) and private_files.exists(name)


def test_a_picture_added_in_the_admin_is_stored_as_what_it_is(proposal):
    """A camera's "IMG_0042.jpeg" (or a PNG named so) is re-encoded as the proposer's are,
    and named after its content, so that the picture view knows its type."""
    upload = SimpleUploadedFile("IMG_0042.jpeg", png_bytes(), content_type="image/jpeg")
    form = AdminPhotoForm(
        {"alt_text": "Kajakker", "position": "1"},
        {"image": upload},
        instance=ItemPhoto(item=proposal),
    )
    assert form.is_valid(), form.errors
    photo = form.save()
    assert photo.image.name.endswith(".png")
    assert private_files.exists(photo.image.name)


class _Apps:
    """The migration's model registry; the current model has the same table and fields."""

    @staticmethod
    def get_model(app_label, name):
        assert (app_label, name) == ("knowledge", "ItemPhoto")
        return ItemPhoto


def test_no_item_takes_the_pictures_address():
    assert services.unique_slug("Pictures").startswith("pictures-")
