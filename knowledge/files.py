"""The knowledge bank's stored files as responses: a template as an attachment with its
checked content type, a good example's picture as an image. Who may have them is decided by
the caller (the site's views, or the admin for the consultant screening an item or an edit
of it); both are kept outside the public media folder (``models.PrivateFiles``)."""

from django.http import FileResponse, Http404

from portal.uploads import DOCUMENT_TYPES

from . import services
from .models import Item, ItemPhoto

#: The pictures' types, by the extension ``portal.uploads`` gives a checked image.
PICTURE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}


def template_response(item: Item, *, public: bool) -> FileResponse:
    """The item's own file (an edit's new file, not the published one); 404 without one,
    or when its content is no longer an allowed document."""
    kind = services.file_kind(item) if item.file else None
    if kind is None:
        raise Http404
    response = FileResponse(
        _opened(item.file),
        as_attachment=True,
        filename=services.download_name(item, kind),
        content_type=DOCUMENT_TYPES[kind],
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _headers(response, public)


def picture_response(photo: ItemPhoto, *, public: bool) -> FileResponse:
    content_type = PICTURE_TYPES.get(photo.image.name.rsplit(".", 1)[-1].lower())
    if content_type is None:
        raise Http404
    return _headers(FileResponse(_opened(photo.image), content_type=content_type), public)


def _opened(stored):
    try:
        return stored.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error


def _headers(response: FileResponse, public: bool) -> FileResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response
