"""Image uploads: checked by content (not by name), size-limited, resized, stored under random names."""

import io
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own limit
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


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
            params={"size": round(upload.size / 1024 / 1024, 1)},
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
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The file is not a valid image."), code="invalid") from exc
    finally:
        upload.seek(0)


def resized_image(upload, max_size: tuple[int, int]) -> InMemoryUploadedFile:
    """Return the image re-encoded and scaled down to fit ``max_size``; strips metadata."""
    upload.seek(0)
    with Image.open(upload) as img:
        fmt = img.format if img.format in ALLOWED_FORMATS else "PNG"
        img = img.convert("RGBA" if fmt in ("PNG", "WEBP") else "RGB")
        img.thumbnail(max_size)
        out = io.BytesIO()
        img.save(out, format=fmt, quality=85, optimize=True)
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
