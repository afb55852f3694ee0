"""Image uploads: checked by content (not by name), size-limited, resized, stored under random names."""

import io
import uuid
import zlib
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own limit
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
#: What Pillow raises for a file that is no image it can read (its structure or its pixels).
UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
)


@deconstructible
class RandomUploadPath:
    """An ``upload_to`` that stores ``<prefix>/<random>.<ext>``; the user's file name is dropped."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename):
        ext = PurePath(filename).suffix.lower().lstrip(".") or "bin"
        return f"{self.prefix}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other):
        return isinstance(other, RandomUploadPath) and other.prefix == self.prefix


random_upload_path = RandomUploadPath


def validate_image(upload) -> None:
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The image is too large (%(size)s MB). The limit is 5 MB."),
            params={"size": _megabytes(upload.size)},
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as img:
            if img.format not in ALLOWED_FORMATS:
                raise ValidationError(_("Upload a JPEG, PNG or WebP image."), code="format")
            if img.width * img.height > MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels."), code="pixels")
            img.verify()
    except Image.DecompressionBombError as exc:  # past Pillow's own limit: not even opened
        raise ValidationError(_("The image has too many pixels."), code="pixels") from exc
    except UNREADABLE as exc:
        raise ValidationError(_("The file is not a valid image."), code="invalid") from exc
    finally:
        upload.seek(0)


def resized_image(upload, max_size: tuple[int, int]) -> InMemoryUploadedFile:
    """Return the image re-encoded and scaled down to fit ``max_size``; strips metadata.

    Raises ``ValidationError`` when its pixels cannot be read: ``validate_image`` checks the
    file's structure, and a truncated JPEG or a PNG with broken data passes it.
    """
    upload.seek(0)
    try:
        with Image.open(upload) as img:
            fmt = img.format if img.format in ALLOWED_FORMATS else "PNG"
            img = img.convert("RGBA" if fmt in ("PNG", "WEBP") else "RGB")
            img.thumbnail(max_size)
            out = io.BytesIO()
            img.save(out, format=fmt, quality=85, optimize=True)
    except UNREADABLE as exc:
        raise ValidationError(_("The file is not a valid image."), code="invalid") from exc
    out.seek(0)
    name = f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[fmt]}"
    return InMemoryUploadedFile(
        out,
        None,
        name,
        f"image/{ALLOWED_FORMATS[fmt].replace('jpg', 'jpeg')}",
        out.getbuffer().nbytes,
        None,
    )


# --- Documents (the knowledge bank's templates) -----------------------------------------------

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
#: A document is a ZIP (Office Open XML, OpenDocument) or a PDF; a ZIP that unpacks to more
#: than this, or has more entries, is refused (a "zip bomb" is not a template).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000

#: extension -> content type served; the type is told by the content, never by the name.
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
#: In an Office Open XML package: the part that says which kind it is.
_OOXML_MAIN_PART = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}


def _megabytes(size: int) -> str:
    """A file's size for a message, in the reader's format ("6,4" in Danish)."""
    return number_format(round(size / 1024 / 1024, 1), 1)


def document_type(upload) -> str | None:
    """The document's kind by its content ("pdf", "docx", "xlsx", "odt"), or None."""
    import zipfile

    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return None
            if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                return None
            names = {i.filename for i in infos}
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return None  # macros: not a template anyone should open
            if infos and infos[0].filename == "mimetype":
                mimetype = archive.read("mimetype").strip()
                return "odt" if mimetype == DOCUMENT_TYPES["odt"].encode() else None
            if "[Content_Types].xml" in names:
                kinds = [kind for part, kind in _OOXML_MAIN_PART.items() if part in names]
                return kinds[0] if len(kinds) == 1 else None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        KeyError,
        ValueError,
        RuntimeError,  # an encrypted entry; NotImplementedError: an unknown compression
        zlib.error,
    ):
        return None
    finally:
        upload.seek(0)
    return None


def validate_document(upload) -> None:
    """A PDF, DOCX, XLSX or ODT file of at most 10 MB whose content is what its name says."""
    try:
        size = upload.size
    except OSError:  # a stored file that is no longer on the disk (a server moved)
        # Not code "missing": a model form shows FileField's own message for that code.
        raise ValidationError(
            _("The file is missing on the server. Upload it again."), code="gone"
        ) from None
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The limit is 10 MB."),
            params={"size": _megabytes(size)},
            code="too_large",
        )
    kind = document_type(upload)
    if kind is None:
        raise ValidationError(
            _("Upload a PDF, Word (DOCX), Excel (XLSX) or OpenDocument text (ODT) file."),
            code="format",
        )
    ext = PurePath(getattr(upload, "name", "") or "").suffix.lower().lstrip(".")
    if ext != kind:
        raise ValidationError(
            _("The file's content is %(kind)s, but its name ends in .%(ext)s."),
            params={"kind": kind.upper(), "ext": ext or "?"},
            code="mismatch",
        )
