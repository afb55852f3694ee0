"""Drawn illustrations for the demo offers: no real photos of children in demo data."""

import io

from PIL import Image, ImageDraw

ILLUSTRATION_COLOURS = {
    "sport": ((21, 101, 192), (144, 202, 249)),
    "scouting": ((46, 125, 50), (200, 230, 201)),
    "culture": ((106, 27, 154), (225, 190, 231)),
    "music": ((173, 20, 87), (248, 187, 208)),
    "nature": ((27, 94, 32), (165, 214, 167)),
    "science": ((1, 87, 155), (179, 229, 252)),
    "social": ((191, 54, 12), (255, 204, 188)),
    "other": ((55, 71, 79), (207, 216, 220)),
}


def illustration(domain: str, size=(800, 500)) -> bytes:
    """A JPEG in the domain's colours with a few shapes (the page shows the title)."""
    dark, light = ILLUSTRATION_COLOURS.get(domain, ILLUSTRATION_COLOURS["other"])
    width, height = size
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    for y in range(height // 2, height):  # a darker band towards the bottom: ground or sea
        t = (y - height // 2) / (height // 2)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(lc + (dc - lc) * t * 0.8) for lc, dc in zip(light, dark, strict=True)),
        )
    draw.ellipse([width - 190, 50, width - 70, 170], fill=(255, 236, 179))  # a sun
    for n, x in enumerate(range(60, width, 170)):  # hills, trees or people: simple shapes
        top = height // 2 - 40 - (n % 3) * 25
        draw.polygon([(x, height // 2 + 40), (x + 60, top), (x + 120, height // 2 + 40)], fill=dark)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
