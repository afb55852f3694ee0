"""The demo's knowledge bank: three categories, guides, checklists and two templates of the
municipality (one shared with every municipality, some for logged-in users only), and two
good examples: one proposed by the teacher from a completed booking and approved by the
consultant through the screening, and one the consultant wrote about the partnership."""

import io
import zipfile

from django.core.files.base import ContentFile

from accounts.models import User
from bookings.models import Booking
from bookings.states import BookingState
from knowledge import services
from knowledge.models import Category, Item, ItemPhoto, Kind
from municipalities.models import Municipality
from partnerships.models import Partnership
from portal import formatting
from screening import services as screening_services
from screening.workflow import Transition

from . import data
from .illustrations import illustration


def create_knowledge(municipality: Municipality) -> None:
    if Item.objects.filter(municipality=municipality).exists():
        return
    consultant = User.objects.get(email=data.CONSULTANT["email"])
    categories = {
        slug: Category.objects.get_or_create(
            municipality=municipality, slug=slug, defaults={"name": name, "position": n}
        )[0]
        for n, (slug, name) in enumerate(data.KNOWLEDGE_CATEGORIES)
    }
    for entry in data.KNOWLEDGE_ITEMS:
        fields = dict(entry)
        category = categories[fields.pop("category")]
        tags = fields.pop("tags", [])
        file_kind = fields.pop("file", None)
        item = Item.objects.create(
            municipality=municipality,
            category=category,
            slug=services.unique_slug(fields["title"]),
            **fields,
        )
        for name in tags:
            tag, _created = municipality.knowledge_tags.get_or_create(
                slug=formatting.slug(name),
                defaults={"name": name},
            )
            item.tags.add(tag)
        if file_kind:
            item.file.save(f"{item.slug}.{file_kind}", ContentFile(document(file_kind, item)))
        services.publish(item, by=consultant)
    create_good_examples(municipality, consultant, categories[data.EXAMPLE_CATEGORY])


def create_good_examples(municipality, consultant, category) -> None:
    booking = (
        Booking.objects.filter(school__municipality=municipality, state=BookingState.COMPLETED)
        .select_related("offer", "school", "requested_by")
        .order_by("starts_at", "pk")
        .first()
    )
    if booking is not None:
        example = services.propose_from_booking(booking, by=booking.requested_by)
        example.body = data.EXAMPLE_STORY
        example.is_public = True
        example.save()
        ItemPhoto.objects.create(
            item=example,
            image=ContentFile(illustration(booking.offer.domain), name="eksempel.jpg"),
            alt_text="Tegning: eleverne i gang med aktiviteten",
        )
        example = services.submit(example, by=booking.requested_by)
        example.category = category
        example.save()
        screening_services.decide(example, Transition.APPROVE, by=consultant)
    partnership = Partnership.objects.filter(
        municipality=municipality, association__isnull=False
    ).first()
    if partnership is not None:
        item = Item.objects.create(
            municipality=municipality,
            kind=Kind.EXAMPLE,
            category=category,
            slug=services.unique_slug(data.PARTNERSHIP_EXAMPLE["title"]),
            association=partnership.association,
            partnership=partnership,
            school=partnership.schools.first(),
            **data.PARTNERSHIP_EXAMPLE,
        )
        services.publish(item, by=consultant)


def document(kind: str, item: Item) -> bytes:
    """A small real document of ``kind`` ("pdf" or "docx") with the item's title."""
    if kind == "pdf":
        return _pdf(item.title)
    return _docx(item.title, item.summary)


def _docx(title: str, text: str) -> bytes:
    out = io.BytesIO()
    body = "".join(
        f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in (title, text, "", "_" * 40)
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
            '/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
            '"word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            f'openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>',
        )
    return out.getvalue()


def _pdf(title: str) -> bytes:
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()
