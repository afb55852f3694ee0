from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import confirmed_email_required
from schools.models import SchoolMembership

from . import schools as school_services
from .forms import JoinSchoolForm


@login_required
def queue(request):
    """The consultant's queue lives in the admin: waiting offers, oldest first."""
    if not (request.user.is_consultant or request.user.is_superuser):
        raise Http404
    return redirect(
        reverse("admin:associations_offer_changelist") + "?state__in=submitted,in_review"
    )


@confirmed_email_required
def join_school(request):
    """A staff member picks a school and a role; the membership waits for approval."""
    form = JoinSchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = school_services.request_membership(
                request.user, form.cleaned_data["school"], form.cleaned_data["role"]
            )
        except school_services.MembershipError as error:
            form.add_error(None, str(error))
        else:
            if membership.is_approved:
                messages.success(request, _("Welcome! Your e-mail address is approved at once."))
            else:
                messages.info(
                    request,
                    _(
                        "Thank you. A consultant or a leader of the school will approve you; "
                        "we send you an e-mail."
                    ),
                )
            return redirect("screening:join_school")
    memberships = request.user.school_memberships.select_related("school")
    return render(request, "screening/join_school.html", {"form": form, "memberships": memberships})


@login_required
def school_staff(request):
    """Pending staff for a principal, a department head or a consultant to approve."""
    pending = school_services.pending_for(request.user)
    user = request.user
    is_leader = any(m.is_leader for m in user.active_school_memberships)
    if not (user.is_superuser or user.is_consultant or is_leader):
        raise PermissionDenied
    return render(request, "screening/school_staff.html", {"pending": pending})


def _pending_membership(request, pk: int) -> SchoolMembership:
    """The membership if this user may decide on it: 404 for anyone else."""
    membership = school_services.pending_for(request.user).filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


@login_required
@require_POST
def decide_staff(request, pk: int):
    membership = _pending_membership(request, pk)
    try:
        if request.POST.get("decision") == "approve":
            school_services.approve(membership, by=request.user)
            messages.success(
                request, _("%(name)s is approved.") % {"name": membership.user.get_full_name()}
            )
        elif request.POST.get("decision") == "decline":
            school_services.decline(membership, by=request.user)
            messages.info(
                request, _("%(name)s was declined.") % {"name": membership.user.get_full_name()}
            )
    except school_services.MembershipError as error:
        messages.error(request, str(error))
    return redirect("screening:school_staff")
