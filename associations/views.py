"""Thin views: find the object through ``permissions``, validate a form, call ``services``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import confirmed_email_required
from portal.ratelimit import ratelimit
from portal.submitkeys import tell_once
from screening.services import history, history_for, open_change_request
from screening.workflow import (
    EDITABLE_STATES,
    AlreadyDone,
    IncompleteSubmission,
    S,
    TransitionNotAllowed,
)

from . import services
from .forms import (
    OFFER_STEPS,
    STEP_OF_FIELD,
    STEPS_BY_SLUG,
    AssociationForm,
    InstructorForm,
    InviteForm,
    JoinRequestForm,
    OfferForm,
    OfferPhotoForm,
    OfferStep,
)
from .models import Association, AssociationRole, Invitation, Offer, OfferPhoto
from .permissions import get_association_for, get_instructor_for, get_offer_for


def _detail(association):
    return redirect("associations:detail", association.slug)


# --- Start: my associations, create, ask to join, invitations -------------------------------


@login_required
def my_association(request):
    associations = list(Association.objects.live().for_member(request.user).order_by("name"))
    if len(associations) == 1:
        return _detail(associations[0])
    if not associations:
        return redirect("accounts:home")
    return render(request, "associations/choose.html", {"associations": associations})


@confirmed_email_required
def create(request):
    form = AssociationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        association = services.create_association(
            user=request.user,
            instance=form.save(commit=False),
            municipalities=form.cleaned_data["municipalities"],
        )
        messages.success(
            request,
            _("The association is created as a draft. Add instructors and offers, then submit."),
        )
        return _detail(association)
    return render(request, "associations/profile_form.html", {"form": form, "creating": True})


@require_POST
@confirmed_email_required
def join_request(request):
    form = JoinRequestForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.request_to_join(
                request.user, form.cleaned_data["association"], form.cleaned_data["message"]
            )
        except services.MembershipError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your request is sent. The administrators decide."))
    else:
        messages.error(request, _("Choose an association."))
    return redirect("accounts:home")


@login_required
def invitation_list(request):
    invitations = (
        Invitation.objects.pending()
        .filter(email__iexact=request.user.email)
        .select_related("association", "invited_by")
    )
    items = [(i, services.invitation_token(i)) for i in invitations]
    return render(request, "associations/invitation_list.html", {"items": items})


def invitation(request, token):
    """The link in the invitation e-mail: sign up or log in, then accept."""
    try:
        invitation = services.invitation_from_token(token)
    except services.MembershipError as exc:
        return render(request, "associations/invitation.html", {"error": str(exc)}, status=400)
    if not request.user.is_authenticated:
        return render(request, "associations/invitation.html", {"invitation": invitation})
    if request.method == "POST":
        if not request.user.email_confirmed:
            messages.warning(request, _("Please confirm your e-mail address first."))
            return redirect("accounts:home")
        try:
            services.accept_invitation(invitation, request.user)
        except services.MembershipError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Welcome to %(name)s.") % {"name": invitation.association.name}
            )
            return _detail(invitation.association)
    return render(request, "associations/invitation.html", {"invitation": invitation})


# --- My association -----------------------------------------------------------------------


@login_required
def detail(request, slug):
    association, membership = get_association_for(request.user, slug)
    profile = services.current_version(association)
    # Two queries for all offers: their open edits, and the consultant's visible messages.
    live_offers = list(
        association.offers.live()
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=Offer.objects.exclude(state__in=services.CLOSED_REVISION_STATES),
                to_attr="open_revisions",
            ),
            "instructors",
        )
        .order_by("title")
    )
    messages_by_offer = history_for(Offer, [o.pk for o in live_offers])
    # Offers schools no longer see because a child certificate ran out, and whose.
    hidden = services.hidden_by_certificates(live_offers, association)
    offers = [
        {
            "offer": offer,
            "edit": offer.open_revisions[0] if offer.open_revisions else None,
            "messages": [e for e in messages_by_offer.get(offer.pk, []) if e.message],
            "hidden": offer.pk in hidden,
            "expired": hidden.get(offer.pk, []),
            "expired_names": services.names_of(hidden.get(offer.pk, [])),
        }
        for offer in live_offers
    ]
    instructors = list(association.instructors.all())
    context = {
        "association": association,
        "membership": membership,
        "profile": profile,
        "profile_messages": [e for e in history(association) if e.message],
        "offers": offers,
        "instructors": instructors,
        "expired_instructor_ids": {
            e.instructor.pk
            for e in services.expired_certificates(
                instructors, services.certificate_limit(association)
            )
        },
        "members": association.memberships.select_related("user").order_by("user__full_name"),
        "join_requests": association.join_requests.pending().select_related("user"),
        "invitations": association.invitations.pending(),
        "invite_form": InviteForm(),
        "S": S,
        "editable_states": EDITABLE_STATES,
    }
    return render(request, "associations/detail.html", context)


@login_required
def profile_edit(request, slug):
    association, _membership = get_association_for(request.user, slug)
    if request.method == "POST":
        with transaction.atomic():
            try:
                target = services.editable_version(association, by=request.user)
            except TransitionNotAllowed as exc:
                messages.error(request, str(exc))
                return _detail(association)
            form = AssociationForm(request.POST, request.FILES, instance=target)
            if form.is_valid():
                target = form.save(commit=False)
                target.updated_by = request.user
                target.save()
                form.save_m2m()
                # The municipalities decide how old a child certificate may be.
                services.after_instructors_changed(association)
                messages.success(request, _("The profile is saved. Preview it, then submit it."))
                return _detail(association)
            transaction.set_rollback(True)
    else:
        form = AssociationForm(instance=services.current_version(association))
    return render(
        request,
        "associations/profile_form.html",
        {
            "form": form,
            "association": association,
            "can_edit": services.can_edit(association),
            "change_request": open_change_request(services.current_version(association)),
        },
    )


@login_required
def profile_preview(request, slug):
    association, _membership = get_association_for(request.user, slug)
    profile = services.current_version(association)
    # The offers as they will look: their pending edits, without withdrawn and rejected ones.
    offers = [
        services.current_version(o)
        for o in association.offers.live()
        .exclude(state__in=[S.WITHDRAWN, S.REJECTED])
        .order_by("title")
    ]
    return render(
        request,
        "associations/profile_preview.html",
        {"association": association, "profile": profile, "offers": offers},
    )


def _screening_action(request, item, action, done_message):
    """Run ``action``; tell the user the outcome. ``IncompleteSubmission`` is the caller's."""
    try:
        action(item, by=request.user)
    except IncompleteSubmission:
        raise
    except AlreadyDone:  # a second click: the first one's answer
        tell_once(request, messages.SUCCESS, done_message)
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    else:
        tell_once(request, messages.SUCCESS, done_message)


@require_POST
@login_required
def profile_submit(request, slug):
    association, _membership = get_association_for(request.user, slug)
    _screening_action(
        request,
        association,
        services.submit,
        _("The profile is submitted. The municipality's consultant will contact you."),
    )
    return _detail(association)


@require_POST
@login_required
def profile_withdraw(request, slug):
    association, _membership = get_association_for(request.user, slug, admin=True)
    _screening_action(request, association, services.withdraw, _("The profile is withdrawn."))
    return _detail(association)


@require_POST
@login_required
def profile_reopen(request, slug):
    association, _membership = get_association_for(request.user, slug, admin=True)
    _screening_action(request, association, services.reopen, _("The profile is a draft again."))
    return _detail(association)


# --- Members ------------------------------------------------------------------------------


@require_POST
@login_required
@ratelimit("invite", rate=settings.PORTAL_INVITE_RATE, key="user")
def invite(request, slug):
    association, _membership = get_association_for(request.user, slug, admin=True)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invite(association, form.cleaned_data["email"], by=request.user)
        except services.MembershipError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("An invitation is sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
    else:
        messages.error(request, _("Give a valid e-mail address."))
    return _detail(association)


@require_POST
@login_required
def revoke_invitation(request, slug, invitation_id):
    association, _membership = get_association_for(request.user, slug, admin=True)
    services.revoke_invitation(association, invitation_id)
    messages.success(request, _("The invitation is withdrawn."))
    return _detail(association)


@require_POST
@login_required
def remove_member(request, slug, membership_id):
    association, membership = get_association_for(request.user, slug)
    if membership.pk != membership_id and not membership.is_admin:
        raise PermissionDenied
    try:
        services.remove_member(association, membership_id, by=request.user)
    except services.MembershipError as exc:
        messages.error(request, str(exc))
        return _detail(association)
    if membership.pk == membership_id:
        messages.success(request, _("You have left %(name)s.") % {"name": association.name})
        return redirect("accounts:home")
    messages.success(request, _("The member is removed."))
    return _detail(association)


@require_POST
@login_required
def set_role(request, slug, membership_id):
    association, _membership = get_association_for(request.user, slug, admin=True)
    role = request.POST.get("role")
    if role not in AssociationRole.values:
        raise Http404
    try:
        services.set_role(association, membership_id, role, by=request.user)
    except services.MembershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The role is changed."))
    return _detail(association)


@require_POST
@login_required
def decide_join_request(request, slug, request_id, decision):
    association, _membership = get_association_for(request.user, slug, admin=True)
    if decision not in ("approve", "decline"):
        raise Http404
    try:
        services.decide_join_request(
            association, request_id, approve=decision == "approve", by=request.user
        )
    except services.MembershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The request is answered."))
    return _detail(association)


# --- Instructors --------------------------------------------------------------------------


@login_required
def instructor_form(request, slug, instructor_id=None):
    if instructor_id is None:
        association, _membership = get_association_for(request.user, slug)
        instance = None
    else:
        instance, association = get_instructor_for(request.user, slug, instructor_id)
    # As saved (validating the form below writes the posted values onto the instance).
    expired = services.instructor_certificate_expired(instance) if instance else None
    form = InstructorForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            instructor = form.save(commit=False)
            instructor.association = association
            instructor.save()
            services.after_instructors_changed(association)
        if services.instructor_certificate_expired(instructor) is not None:
            # Saved all the same; the form says what it means for the offers.
            messages.warning(
                request,
                _(
                    "The instructor is saved, but the child certificate is older than the "
                    "municipality allows."
                ),
            )
            return redirect("associations:instructor_edit", slug, instructor.pk)
        messages.success(request, _("The instructor is saved."))
        return redirect(reverse("associations:detail", args=[slug]) + "#instructors")
    return render(
        request,
        "associations/instructor_form.html",
        {
            "form": form,
            "association": association,
            "instructor": instance,
            "expired": expired,
            "hidden_offers": services.offers_with_instructor(instance) if expired else [],
        },
    )


@require_POST
@login_required
def instructor_delete(request, slug, instructor_id):
    instructor, association = get_instructor_for(request.user, slug, instructor_id)
    services.delete_instructor(instructor)
    messages.success(request, _("The instructor is removed."))
    return redirect(reverse("associations:detail", args=[slug]) + "#instructors")


# --- Offers -------------------------------------------------------------------------------
# The offer form is a few steps, each saved as a draft on its own ("Save as draft", "Back",
# "Save and continue", or a step in the progress list: every button saves what is typed).
# The last step checks what is missing and submits the offer for screening.


def _step_or_404(slug: str | None) -> OfferStep:
    if slug is None:
        return OFFER_STEPS[0]
    if slug not in STEPS_BY_SLUG:
        raise Http404
    return STEPS_BY_SLUG[slug]


def _step_url(association, offer, step: OfferStep) -> str:
    if step == OFFER_STEPS[0]:
        return reverse("associations:offer_edit", args=[association.slug, offer.pk])
    return reverse("associations:offer_step", args=[association.slug, offer.pk, step.slug])


def _after_step_saved(request, offer, step: OfferStep):
    """Where the button pressed leads: the next or previous step, the same one, or any."""
    go = request.POST.get("go", "next")
    index = OFFER_STEPS.index(step)
    if go == "back":
        target = OFFER_STEPS[max(index - 1, 0)]
    elif go == "draft":
        target = step
    elif go.startswith("step:") and go[5:] in STEPS_BY_SLUG:
        target = STEPS_BY_SLUG[go[5:]]
    else:
        target = OFFER_STEPS[min(index + 1, len(OFFER_STEPS) - 1)]
    messages.success(request, _("Saved as a draft. You can come back to it at any time."))
    return redirect(_step_url(offer.association, offer, target))


def _missing_links(association, offer, missing: dict[str, str]) -> list[dict]:
    """What is missing, each with a link to its field on its step."""
    multiple = {"subjects", "format", "location", "weekdays", "price_model", "instructors"}
    return [
        {
            "message": message,
            "step": STEP_OF_FIELD[name].title,
            "url": _step_url(association, offer, STEP_OF_FIELD[name])
            + f"#id_{name}{'_0' if name in multiple else ''}",
        }
        for name, message in missing.items()
        if name in STEP_OF_FIELD
    ]


def _offer_step_page(request, association, offer, step, form=None, *, failed=None):
    """One step of the offer form, or (the last step) the check, the photos and "Submit"."""
    version = services.current_version(offer) if offer else None
    missing = version.missing_for_submission() if version else {}
    to_do = {STEP_OF_FIELD[name].slug for name in missing if name in STEP_OF_FIELD}
    context = {
        "form": form,
        "association": association,
        "offer": offer,
        "version": version,
        "step": step,
        "steps": [
            {
                "step": s,
                "number": n,
                "to_do": s.slug in to_do,
                "url": _step_url(association, offer, s) if offer else "",
            }
            for n, s in enumerate(OFFER_STEPS, 1)
        ],
        "previous_url": (
            _step_url(association, offer, OFFER_STEPS[max(OFFER_STEPS.index(step) - 1, 0)])
            if offer
            else ""
        ),
        "can_edit": services.can_edit(offer) if offer else True,
        "change_request": open_change_request(version) if version else None,
        # The list of what is missing is the last step's; the other steps mark it in the list.
        "missing": (
            _missing_links(association, offer, failed or missing)
            if offer and not step.fields
            else []
        ),
        "submit_failed": failed is not None,
        "editable_states": EDITABLE_STATES,
    }
    if offer and not step.fields:
        context.update(
            photos=version.photos.all(),
            photo_form=OfferPhotoForm(),
            max_photos=OfferPhoto.MAX_PER_OFFER,
        )
    return render(request, "associations/offer_form.html", context)


@login_required
def offer_create(request, slug):
    association, _membership = get_association_for(request.user, slug)
    step = OFFER_STEPS[0]
    form = OfferForm(request.POST or None, association=association, step=step)
    if request.method == "POST" and form.is_valid():
        offer = services.create_offer(
            association=association,
            instance=form.save(commit=False),
            by=request.user,
            submit_key=form.cleaned_data.get("submit_key"),
            save_m2m=form.save_m2m,
        )
        return _after_step_saved(request, offer, step)
    return _offer_step_page(request, association, None, step, form)


@login_required
def offer_edit(request, slug, offer_id, step=None):
    offer, _membership = get_offer_for(request.user, slug, offer_id)
    association = offer.association
    step = _step_or_404(step)
    if not step.fields:  # the last step: its forms are sent to their own addresses
        return _offer_step_page(request, association, offer, step)
    if request.method == "POST":
        with transaction.atomic():
            try:
                target = services.editable_version(offer, by=request.user)
            except TransitionNotAllowed as exc:
                messages.error(request, str(exc))
                return _detail(association)
            form = OfferForm(request.POST, instance=target, association=association, step=step)
            if form.is_valid():
                services.save_offer_draft(
                    form.save(commit=False), by=request.user, save_m2m=form.save_m2m
                )
                return _after_step_saved(request, offer, step)
            transaction.set_rollback(True)
    else:
        version = services.current_version(offer)
        form = OfferForm(instance=version, association=association, step=step)
    return _offer_step_page(request, association, offer, step, form)


@login_required
def offer_preview(request, slug, offer_id):
    offer, _membership = get_offer_for(request.user, slug, offer_id)
    return render(
        request,
        "associations/offer_preview.html",
        {
            "association": offer.association,
            "live_offer": offer,
            "offer": services.current_version(offer),
        },
    )


@require_POST
@login_required
def offer_photo_add(request, slug, offer_id):
    offer, _membership = get_offer_for(request.user, slug, offer_id)
    with transaction.atomic():
        try:
            target = services.editable_version(offer, by=request.user)
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return redirect("associations:offer_step", slug, offer.pk, OFFER_STEPS[-1].slug)
        form = OfferPhotoForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_photo(
                    target,
                    image=data["image"],
                    alt_text=data["alt_text"],
                    submit_key=data["submit_key"],
                )
            except services.MembershipError as exc:
                form.add_error(None, str(exc))
            else:
                # A double click gets the first click's answer, once.
                tell_once(request, messages.SUCCESS, _("The photo is added."))
                return redirect("associations:offer_step", slug, offer.pk, OFFER_STEPS[-1].slug)
        transaction.set_rollback(True)
    return render(
        request,
        "associations/offer_photo_form.html",
        {"form": form, "association": offer.association, "offer": offer},
        status=400,
    )


@require_POST
@login_required
def offer_photo_delete(request, slug, offer_id, photo_id):
    offer, _membership = get_offer_for(request.user, slug, offer_id)
    with transaction.atomic():
        # Not this offer's photo (a second click found it gone, or an id of another offer):
        # nothing changes, no edit is begun, and the answer is the first click's.
        versions = [offer, services.current_version(offer)]
        photo = OfferPhoto.objects.filter(pk=photo_id, offer__in=versions).first()
        if photo is not None:
            try:
                target = services.editable_version(offer, by=request.user)
            except TransitionNotAllowed as exc:
                messages.error(request, str(exc))
                return redirect("associations:offer_step", slug, offer.pk, OFFER_STEPS[-1].slug)
            # An edit has its own copies of the photos (sharing the files): find the copy.
            if photo.offer_id != target.pk:
                photo = target.photos.filter(image=photo.image.name).first()
            if photo is not None:
                photo.delete()
    tell_once(request, messages.SUCCESS, _("The photo is removed."))
    return redirect("associations:offer_step", slug, offer.pk, OFFER_STEPS[-1].slug)


@require_POST
@login_required
def offer_action(request, slug, offer_id, action):
    offer, _membership = get_offer_for(request.user, slug, offer_id)
    actions = {
        "submit": (services.submit, _("The offer is submitted for screening.")),
        "withdraw": (services.withdraw, _("The offer is withdrawn.")),
        "reopen": (services.reopen, _("The offer is a draft again.")),
        "pause": (
            lambda item, by: services.set_paused(item, True, by=by),
            _("The offer is paused. Schools do not see it until you resume it."),
        ),
        "unpause": (
            lambda item, by: services.set_paused(item, False, by=by),
            _("The offer is active again."),
        ),
    }
    if action not in actions:
        raise Http404
    func, done = actions[action]
    try:
        _screening_action(request, offer, func, done)
    except IncompleteSubmission as exc:
        # What is missing, at the top of the form's last step, each linked to its field.
        step = OFFER_STEPS[-1]
        return _offer_step_page(request, offer.association, offer, step, failed=exc.missing)
    return _detail(offer.association)
