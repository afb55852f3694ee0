"""The knowledge bank's stored files as responses: a template as an attachment with its
checked content type. Who may have it is decided by the caller (the download view for the
site, the admin for the consultant screening an item or an edit of it)."""

from django.http import FileResponse, Http404

from portal.uploads import DOCUMENT_TYPES

from . import services
from .models import Item


def template_response(item: Item, *, public: bool) -> FileResponse:
    """The item's own file (an edit's new file, not the published one); 404 without one,
    or when its content is no longer an allowed document."""
    if not item.file:
        raise Http404
    kind = services.file_kind(item)
    if kind is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=services.download_name(item, kind),
        content_type=DOCUMENT_TYPES[kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response
