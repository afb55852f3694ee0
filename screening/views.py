from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse


@login_required
def queue(request):
    """The consultant's queue lives in the admin: waiting offers, oldest first."""
    if not (request.user.is_consultant or request.user.is_superuser):
        raise Http404
    return redirect(
        reverse("admin:associations_offer_changelist") + "?state__in=submitted,in_review"
    )
