"""Who may see the dashboard, and of which municipality."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from municipalities.models import Municipality


def can_view_dashboard(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.is_consultant)


def dashboard_municipality(request: HttpRequest) -> Municipality:
    """The consultant's own municipality; operators choose one with ``?municipality=<slug>``.

    Everyone else gets 403. A consultant's ``?municipality=`` is ignored: they only ever
    see their own municipality's numbers.
    """
    user = request.user
    if not can_view_dashboard(user):
        raise PermissionDenied
    if not user.is_superuser:
        return user.consultant_municipality
    slug = request.GET.get("municipality", "")
    municipalities = Municipality.objects.filter(is_active=True).order_by("name")
    if slug:
        municipality = municipalities.filter(slug=slug).first()
        if municipality is None:
            raise Http404
        return municipality
    municipality = user.consultant_municipality or municipalities.first()
    if municipality is None:
        raise Http404
    return municipality
