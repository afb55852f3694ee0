from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from portal.redirects import local_url

from . import services
from .models import OIDCProvider

ERRORS = {
    "discovery": _("The login service could not be reached. Try again later."),
    "issuer": _("The login service is not configured correctly."),
    "state": _("The login took too long or was started elsewhere. Please try again."),
    "provider": _("This login service is no longer available."),
    "token": _("The login service did not confirm the login. Please try again."),
    "id_token": _("The login service's answer could not be verified."),
    "email": _("The login service did not give an e-mail address."),
    "inactive": _("This account is deactivated."),
    "link": _(
        "An account with this e-mail address already exists and cannot be joined to this "
        "login service. Log in with your password, or ask the consultant."
    ),
    "denied": _("The login was cancelled."),
}


def _safe_next(request: HttpRequest) -> str:
    return local_url(request, request.GET.get("next", ""))


@require_GET
def choose(request: HttpRequest) -> HttpResponse:
    """All enabled login services, by municipality."""
    providers = OIDCProvider.objects.enabled().select_related("municipality")
    return render(request, "sso/choose.html", {"providers": providers, "next": _safe_next(request)})


@require_GET
def start(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(OIDCProvider.objects.enabled(), pk=pk)
    redirect_uri = request.build_absolute_uri(reverse("sso:callback"))
    try:
        url = services.start_login(request, provider, redirect_uri, _safe_next(request))
    except services.SSOError as exc:
        messages.error(request, ERRORS[str(exc)])
        return redirect("accounts:login")
    return redirect(url)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    try:
        flow = services.pop_flow(request, request.GET.get("state", ""))
        if request.GET.get("error") or not request.GET.get("code"):
            raise services.SSOError("denied")
        user, _provider = services.finish_login(flow, request.GET["code"])
    except services.SSOError as exc:
        messages.error(request, ERRORS[str(exc)])
        return redirect("accounts:login")
    login(request, user, backend=settings.LOGIN_BACKEND)
    return redirect(flow["next"] or "accounts:home")
