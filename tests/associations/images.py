"""Small real images made in memory for upload tests."""

import io
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_upload(name="photo.jpg", size=(40, 30), fmt="JPEG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def fake_image(name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"<?php echo 'not an image'; ?>", content_type="image/jpeg")


def broken_image(fmt="JPEG") -> SimpleUploadedFile:
    """An image whose header is sound and whose pixels are not: a JPEG cut in half (a photo
    half synced from a phone), or a PNG with its pixel data garbled. Pillow's ``verify()``
    passes both; decoding them fails."""
    out = io.BytesIO()
    noise = Image.frombytes("RGB", (120, 120), bytes(range(256)) * 168 + bytes(192))
    noise.save(out, format=fmt)
    data = out.getvalue()
    if fmt == "JPEG":
        data = data[: len(data) // 2]
    else:  # the compressed pixels garbled, under a correct checksum (verify() reads it)
        at = data.index(b"IDAT") - 4
        length = int.from_bytes(data[at : at + 4], "big")
        pixels = bytes(64) + data[at + 8 + 64 : at + 8 + length]
        crc = zlib.crc32(b"IDAT" + pixels).to_bytes(4, "big")
        data = data[: at + 8] + pixels + crc + data[at + 12 + length :]
    ext = "jpg" if fmt == "JPEG" else "png"
    return SimpleUploadedFile(f"broken.{ext}", data, content_type=f"image/{fmt.lower()}")
