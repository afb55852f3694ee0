"""Small real images made in memory for upload tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_upload(name="photo.jpg", size=(40, 30), fmt="JPEG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def fake_image(name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"<?php echo 'not an image'; ?>", content_type="image/jpeg")
