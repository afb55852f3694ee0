"""Templates are checked by content and size; the consultant publishes material in the admin,
scoped to their municipality; GDPR keeps a good example without its proposer."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from knowledge import services
from knowledge.models import Category, Item
from portal import uploads
from privacy import services as privacy
from screening import services as screening_services
from screening.models import ScreeningEvent
from screening.workflow import S
from tests.knowledge.conftest import docx_bytes, make_item, odt_bytes, png_bytes

pytestmark = pytest.mark.django_db


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
        ("a.docx", docx_bytes()),
        ("a.xlsx", docx_bytes("xl/workbook.xml")),
        ("a.odt", odt_bytes()),
    ],
)
def test_the_four_kinds_of_document_pass(name, data):
    uploads.validate_document(upload(name, data))


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("a.pdf", b"<html><script>alert(1)</script>", "format"),  # HTML named .pdf
        ("a.exe", b"MZ\x90\x00", "format"),
        ("a.docx", b"PK\x03\x04 not a zip", "format"),
        ("a.pdf", docx_bytes(), "mismatch"),  # a DOCX named .pdf
        ("a.docx", b"%PDF-1.4", "mismatch"),
    ],
)
def test_other_files_are_refused(name, data, code):
    with pytest.raises(ValidationError) as error:
        uploads.validate_document(upload(name, data))
    assert error.value.code == code


def test_macros_and_zip_bombs_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr("word/vbaProject.bin", "macro")
    with pytest.raises(ValidationError):
        uploads.validate_document(upload("m.docx", out.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (uploads.MAX_UNPACKED_BYTES + 1))
    with pytest.raises(ValidationError):
        uploads.validate_document(upload("b.docx", bomb.getvalue()))


def _odt_with_header(flags: int = 0, method: int | None = None, corrupt: bool = False) -> bytes:
    """An ODT whose first entry, ``mimetype``, has other header fields than zipfile writes:
    encrypted (flag 1), an unknown compression method (99: AES), or damaged deflate data."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text" * 3)
        archive.writestr("content.xml", "<office:document-content/>")
    data = bytearray(out.getvalue())
    central = data.index(b"PK\x01\x02")
    for flag_at in (6, central + 8):  # the local header's and the central directory's
        data[flag_at] |= flags
        if method is not None:
            data[flag_at + 2 : flag_at + 4] = method.to_bytes(2, "little")
    if corrupt:
        data[30 + len("mimetype") : 30 + len("mimetype") + 8] = b"\xff" * 8
    return bytes(data)


@pytest.mark.parametrize(
    "data",
    [_odt_with_header(flags=1), _odt_with_header(method=99), _odt_with_header(corrupt=True)],
    ids=["encrypted", "unknown-compression", "damaged"],
)
def test_an_unreadable_document_is_refused_not_a_failure(data):
    """zipfile raises RuntimeError, NotImplementedError or zlib.error on these (a 500 in the
    admin before)."""
    with pytest.raises(ValidationError) as error:
        uploads.validate_document(upload("a.odt", data))
    assert error.value.code == "format"


def test_a_files_size_is_written_as_the_reader_writes_numbers():
    six_and_a_bit = int(6.4 * 1024 * 1024)
    with translation.override("da"):
        assert uploads._megabytes(six_and_a_bit) == "6,4"
    with translation.override("en"):
        assert uploads._megabytes(six_and_a_bit) == "6.4"


def test_a_large_file_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_DOCUMENT_BYTES", 10)
    with pytest.raises(ValidationError) as error:
        uploads.validate_document(upload("a.pdf", b"%PDF-1.7 and more than ten bytes"))
    assert error.value.code == "too_large"


# --- The admin --------------------------------------------------------------------------------


def test_the_consultant_publishes_a_template_in_the_admin(client, consultant, municipality):
    category = Category.objects.create(municipality=municipality, name="Aftaler", slug="aftaler")
    client.force_login(consultant)
    response = client.post(
        reverse("admin:knowledge_item_add"),
        {
            "kind": "template",
            "title": "Samarbejdsaftale",
            "summary": "Skabelon",
            "body": "",
            "category": category.pk,
            "audience": "both",
            "is_public": "on",
            "file": upload("aftale.docx", docx_bytes()),
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = Item.objects.get()
    assert (item.municipality, item.state, item.source) == (municipality, S.APPROVED, "consultant")
    assert item.approval_expires_at is None  # the bank's material does not run out
    assert list(
        ScreeningEvent.objects.filter(object_id=item.pk).values_list("transition", flat=True)
    ) == ["submit", "approve"]
    assert client.get(reverse("knowledge:download", args=[item.slug])).status_code == 200
    # Opened again: the file, which has no public address, links to the admin's own copy.
    page = client.get(reverse("admin:knowledge_item_change", args=[item.pk]))
    assert page.status_code == 200
    assert f'href="{reverse("admin:knowledge_item_file", args=[item.pk])}"' in page.content.decode()


def test_the_consultant_screens_an_edits_own_file(
    client, consultant, other_consultant, municipality
):
    """An edit's new template is what the consultant opens, not the published one."""
    item = Item.objects.create(
        municipality=municipality,
        kind="template",
        title="Samarbejdsaftale",
        slug="samarbejdsaftale",
        file=upload("gammel.docx", docx_bytes()),
    )
    item = services.publish(item, by=consultant)
    edit = screening_services.start_revision(item, by=consultant)
    new = io.BytesIO()
    with zipfile.ZipFile(new, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document>Ny aftale</document>")
    edit.file = upload("ny.docx", new.getvalue())
    edit.save()
    url = reverse("admin:knowledge_item_file", args=[edit.pk])
    client.force_login(consultant)
    page = client.get(reverse("admin:knowledge_item_change", args=[edit.pk])).content.decode()
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == edit.file.open("rb").read()
    published = client.get(reverse("knowledge:download", args=[item.slug]))
    assert b"".join(published.streaming_content) != edit.file.open("rb").read()
    client.force_login(other_consultant)  # another municipality's
    assert client.get(url).status_code in (302, 404)
    client.logout()
    assert client.get(url).status_code == 302  # the admin's log-in


def test_a_template_whose_file_is_gone_asks_for_it_again(client, consultant, municipality):
    """After a server move without the private files: saving the item said 500 before."""
    category = Category.objects.create(municipality=municipality, name="Aftaler", slug="aftaler")
    client.force_login(consultant)
    data = {
        **_material(kind="template", title="Samarbejdsaftale", category=category.pk),
        "is_public": "on",
    }
    added = client.post(
        reverse("admin:knowledge_item_add"), {**data, "file": upload("a.docx", docx_bytes())}
    )
    assert added.status_code == 302
    item = Item.objects.get()
    item.file.storage.delete(item.file.name)
    assert client.get(reverse("knowledge:download", args=[item.slug])).status_code == 404
    url = reverse("admin:knowledge_item_change", args=[item.pk])
    response = client.post(url, {**data, "summary": "Ny tekst"})
    assert response.status_code == 200
    assert "Filen mangler på serveren" in str(response.context["adminform"].form.errors["file"])
    fixed = client.post(url, {**data, "summary": "Ny", "file": upload("b.docx", docx_bytes())})
    assert fixed.status_code == 302
    assert client.get(reverse("knowledge:download", args=[item.slug])).status_code == 200


def test_the_consultant_may_remove_a_picture_in_the_admin(
    client, consultant, municipality, django_capture_on_commit_callbacks
):
    """One that shows a pupil by mistake must be able to go (knowledge 0003); the item not."""
    item = make_item(municipality, consultant)
    photo = item.photos.create(
        image=SimpleUploadedFile("p.png", png_bytes()), alt_text="Eleverne på stranden"
    )
    storage, name = photo.image.storage, photo.image.name
    client.force_login(consultant)
    url = reverse("admin:knowledge_item_change", args=[item.pk])
    page = client.get(url).content.decode()
    assert 'name="photos-0-DELETE"' in page
    assert client.get(reverse("admin:knowledge_item_delete", args=[item.pk])).status_code == 403
    # An edit's copy of the picture shares the file: removing one row keeps it for the other.
    copy = item.photos.create(image=name, alt_text=photo.alt_text)
    with django_capture_on_commit_callbacks(execute=True):
        copy.delete()
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()  # as the admin's inline does: the file goes with the last row
    assert not storage.exists(name)


def _material(**changes):
    data = {
        "kind": "guide",
        "title": "Kom godt i gang",
        "summary": "Sådan",
        "body": "",
        "audience": "both",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_the_admin_refuses_a_title_too_short_to_publish(client, consultant):
    """Added material is published at once: the form asks for what publishing needs."""
    client.force_login(consultant)
    response = client.post(reverse("admin:knowledge_item_add"), _material(title="AI"))
    assert response.status_code == 200
    assert "title" in response.context["adminform"].form.errors
    assert not Item.objects.exists()


def test_a_partnerships_story_from_the_municipality_is_told_once(client, consultant, partnership):
    client.force_login(consultant)
    url = reverse("admin:knowledge_item_add")
    assert client.post(url, _material(partnership=partnership.pk)).status_code == 302
    again = client.post(url, _material(title="Igen", partnership=partnership.pk))
    assert again.status_code == 200
    assert "partnership" in again.context["adminform"].form.errors
    assert Item.objects.count() == 1
    # Nor can other material be pointed at it.
    other = client.post(url, _material(title="Anden"))
    assert other.status_code == 302
    item = Item.objects.get(title="Anden")
    change = client.post(
        reverse("admin:knowledge_item_change", args=[item.pk]),
        _material(title="Anden", partnership=partnership.pk),
    )
    assert change.status_code == 200
    assert "partnership" in change.context["adminform"].form.errors


def test_the_admin_refuses_a_disguised_file_and_a_foreign_category(
    client, consultant, other_municipality
):
    foreign = Category.objects.create(municipality=other_municipality, name="Deres", slug="deres")
    client.force_login(consultant)
    response = client.post(
        reverse("admin:knowledge_item_add"),
        {
            "kind": "template",
            "title": "Falsk",
            "category": foreign.pk,
            "audience": "both",
            "file": upload("falsk.pdf", b"<script>alert(1)</script>"),
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not Item.objects.exists()
    errors = response.context["adminform"].form.errors
    assert "file" in errors and "category" in errors


def test_the_admin_lists_only_the_consultants_municipality(
    client, consultant, municipality, other_municipality, other_consultant
):
    make_item(municipality, consultant, title="Vores guide")
    theirs = make_item(other_municipality, other_consultant, title="Deres guide", shared=True)
    client.force_login(consultant)
    page = client.get(reverse("admin:knowledge_item_changelist")).content.decode()
    assert "Vores guide" in page and "Deres guide" not in page
    change = client.get(reverse("admin:knowledge_item_change", args=[theirs.pk]))
    assert change.status_code in (302, 404)


# --- GDPR ---------------------------------------------------------------------------------------


def test_the_proposer_is_in_the_export_and_removed_on_deletion(teacher, completed_booking):
    item = services.propose_from_booking(completed_booking, by=teacher)
    exported = json.loads(privacy.export_json(teacher))
    assert exported["good_examples_proposed"][0]["title"] == item.title
    privacy.delete_account(teacher)
    item.refresh_from_db()
    assert item.proposed_by is None
    assert Item.objects.filter(pk=item.pk).exists()
