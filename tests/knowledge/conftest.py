import io
import zipfile

import pytest

from bookings.states import Actor, BookingState
from knowledge import services
from knowledge.models import Category, Item, Kind
from tests import factories as f
from tests.e2e.conftest import (  # noqa: F401 - browser tests
    _playwright,
    axe_page,
    base_url,
    browser,
    consultant_group,
)
from tests.notifications.factories import BookingFactory, at


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.KNOWLEDGE_FILES_ROOT = tmp_path / "private"


def make_item(municipality, consultant_user, **fields):
    """Material published by the municipality's consultant (submitted and approved)."""
    fields.setdefault("kind", Kind.GUIDE)
    fields.setdefault("title", "Sådan planlægger I et Åben Skole-forløb")
    fields.setdefault("summary", "En guide til lærere og foreninger.")
    fields.setdefault("body", "Start tidligt på skoleåret.\n\nAftal mål, tid og sted.")
    item = Item.objects.create(
        municipality=municipality, slug=services.unique_slug(fields["title"]), **fields
    )
    return services.publish(item, by=consultant_user)


@pytest.fixture
def category(municipality):
    return Category.objects.create(municipality=municipality, name="Kom i gang", slug="kom-i-gang")


@pytest.fixture
def guide(municipality, consultant, category):
    return make_item(municipality, consultant, category=category)


@pytest.fixture
def completed_booking(school, teacher, published_offer):
    booking = BookingFactory(
        school=school,
        offer=published_offer,
        requested_by=teacher,
        contact_teacher=teacher,
        starts_at=at(-10, 9),
        ends_at=at(-10, 11),
        state=BookingState.COMPLETED,
        grade=5,
        pupils=22,
    )
    booking.evaluations.create(side=Actor.SCHOOL, author=teacher, rating=5)
    booking.evaluations.create(side=Actor.ASSOCIATION, rating=4)
    return booking


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed time: the same arguments give the same bytes (``writestr``
    with a plain name stamps the current time, and two calls can fall in different seconds)."""
    return zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))


def docx_bytes(main="word/document.xml") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(_entry("[Content_Types].xml"), "<Types/>")
        archive.writestr(_entry(main), "<document/>")
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(_entry("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr(_entry("content.xml"), "<office:document-content/>")
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    """A small real picture, as a camera would not make it but the checks accept."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


__all__ = ["f"]


@pytest.fixture
def partnership(municipality, consultant, association, school):
    from tests.partnerships.conftest import make_partnership

    return make_partnership(municipality, consultant, association=association, schools=[school])
