from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import kinds, services
from .forms import PreferencesForm


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "essential_kinds": kinds.essential_kinds(request.user)},
    )


@csrf_exempt  # one-click unsubscribe (RFC 8058) posts from the mail client; the token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Turn off one kind of e-mail without logging in. GET asks; POST does it."""
    found = services.read_unsubscribe_token(token)
    if found is None:
        raise Http404
    user_id, code = found
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    kind = kinds.KINDS.get(code)
    if user is None or kind is None or kind.essential:
        raise Http404
    done = request.method == "POST"
    if done:
        services.set_preference(user, code, False)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kind": kind, "done": done, "email": user.email},
    )
