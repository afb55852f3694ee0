"""The knowledge bank's pages. Every item is found through ``services.visible_items`` (a
signed-in user's municipalities plus shared material; any public item for a visitor who is not
logged in, while the lists stay per municipality); a proposal
through ``services.proposal_for`` (only its proposer; consultants screen it in the admin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.ids import client_pk
from portal.submitkeys import tell_once
from screening import services as screening_services
from screening.workflow import EDITABLE_STATES, AlreadyDone, S, TransitionNotAllowed

from . import files, services
from .filters import ItemFilter
from .forms import PhotoForm, ProposalForm
from .models import Category, Item, ItemPhoto

PAGE_SIZE = 20


def _listed(queryset):
    return queryset.select_related("category", "offer").prefetch_related("tags")


@require_safe
def item_list(request: HttpRequest) -> HttpResponse:
    municipalities = services.viewer_municipalities(request)
    visible = Item.objects.visible_to(request.user, municipalities)
    categories = {
        c.slug: c
        for c in Category.objects.filter(items__in=visible.values("pk")).order_by(
            "position", "name"
        )
    }.values()
    data = request.GET.copy()
    data.pop("page", None)
    filterset = ItemFilter(data, _listed(visible), categories=categories)
    items = filterset.qs if filterset.is_valid() else _listed(visible).none()
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = data.urlencode()
    context = {
        "filterset": filterset,
        "page": page,
        "query": query,
        "municipality": municipalities[0] if len(municipalities) == 1 else None,
        "can_propose": services.proposable_bookings(request.user).exists()
        or services.proposable_partnerships(request.user).exists(),
    }
    return render(request, "knowledge/item_list.html", context)


def _visible_or_404(request, slug: str) -> Item:
    item = (
        services.visible_items(request)
        .select_related("category", "offer", "association", "school", "partnership", "municipality")
        .prefetch_related("tags", "photos")
        .filter(slug=slug)
        .first()
    )
    if item is None:
        raise Http404
    return item


def _login_first(request, slug: str) -> bool:
    """A logged-in-only item asked for by a visitor who is not logged in: the log-in page
    (the item itself is never shown)."""
    return (
        not request.user.is_authenticated
        and Item.objects.published().filter(slug=slug, is_public=False).exists()
    )


@require_safe
def item_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if _login_first(request, slug):
        return redirect_to_login(request.get_full_path())
    item = _visible_or_404(request, slug)
    return render(request, "knowledge/item_detail.html", {"item": item})


@require_safe
def download(request: HttpRequest, slug: str) -> HttpResponse:
    """A template's file: served as an attachment with its checked content type."""
    if _login_first(request, slug):
        return redirect_to_login(request.get_full_path())
    item = _visible_or_404(request, slug)
    return files.template_response(item, public=item.is_public)


@require_safe
def photo(request: HttpRequest, pk) -> HttpResponse:
    """A good example's picture, for whoever may see the example (``may_see_pictures``):
    a draft's picture may show pupils, so it has no public address."""
    found = ItemPhoto.objects.select_related("item").filter(pk=client_pk(pk)).first()
    if found is None or not services.may_see_pictures(request, found.item):
        raise Http404
    item = found.item
    public = item.is_public and item.state == S.APPROVED and not item.is_revision
    return files.picture_response(found, public=public)


# --- Proposing a good example ---------------------------------------------------------------


@require_safe
@login_required
def propose(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "knowledge/propose.html",
        {
            "bookings": services.bookings_to_propose(user)[:50],
            "partnerships": services.proposable_partnerships(user)[:20],
            "proposals": Item.objects.proposed_by(user).order_by("-created_at", "pk"),
            # A consultant proposes nothing: they write examples in the admin.
            "consultant": user.consultant_municipality is not None,
        },
    )


def _proposed(request, make):
    try:
        item = make()
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("knowledge:propose")
    return redirect("knowledge:proposal", item.pk)


@require_POST
@login_required
def propose_booking(request: HttpRequest, pk) -> HttpResponse:
    booking = get_object_or_404(services.proposable_bookings(request.user), pk=client_pk(pk) or 0)
    return _proposed(request, lambda: services.propose_from_booking(booking, by=request.user))


@require_POST
@login_required
def propose_partnership(request: HttpRequest, pk) -> HttpResponse:
    partnership = get_object_or_404(
        services.proposable_partnerships(request.user), pk=client_pk(pk) or 0
    )
    return _proposed(
        request, lambda: services.propose_from_partnership(partnership, by=request.user)
    )


def _proposal_or_404(request, pk) -> Item:
    item = services.proposal_for(request.user, client_pk(pk))
    if item is None:
        raise Http404
    return item


def _proposal_page(request, item, form=None, photo_form=None, status=200):
    editable = item.state in EDITABLE_STATES
    context = {
        "item": item,
        "editable": editable,
        "form": form or (ProposalForm(instance=item) if editable else None),
        "photo_form": photo_form or (PhotoForm(item=item) if editable else None),
        "events": screening_services.history(item).exclude(message=""),
        "change_request": screening_services.open_change_request(item),
        "rejection": screening_services.rejection(item),
    }
    return render(request, "knowledge/proposal.html", context, status=status)


@login_required
def proposal(request: HttpRequest, pk) -> HttpResponse:
    item = _proposal_or_404(request, pk)
    if request.method != "POST":
        return _proposal_page(request, item)
    with transaction.atomic():
        item = _locked(item)
        if refusal := _refusal(request, item):
            return refusal
        form = ProposalForm(request.POST, instance=item)
        if not form.is_valid():
            return _proposal_page(request, item, form=form, status=400)
        _store(form, request.user)
        if refused := _picture_sent_along(request, item):
            return _proposal_page(request, item, photo_form=refused, status=400)
    messages.success(request, _("The example is saved."))
    return redirect("knowledge:proposal", item.pk)


def _locked(item: Item) -> Item:
    """The proposal read again under a row lock: a change and a submission never cross."""
    return Item.objects.select_for_update().get(pk=item.pk)


def _refused(request, item: Item, error: ValidationError) -> HttpResponse:
    messages.error(request, error.messages[0])
    return redirect("knowledge:proposal", item.pk)


def _refusal(request, item: Item) -> HttpResponse | None:
    """The answer when the proposer may not change the proposal now (it says why), else None."""
    try:
        services.check_editable(item)
    except ValidationError as error:
        return _refused(request, item, error)
    return None


def _store(form: ProposalForm, user) -> None:
    """Save the story's own fields only (never the state a submission just wrote)."""
    story = form.save(commit=False)
    story.updated_by = user
    story.save(update_fields=[*ProposalForm.Meta.fields, "updated_by", "updated_at"])


def _story_sent_along(request, item: Item) -> ProposalForm | None:
    """The page is one form: adding a picture or sending the example sends the story as
    typed too, which is saved first so that it is never lost. Returns the story's form when
    it has errors (nothing else is done then), else None; also None for a request without
    the story's fields (a page from before the story was sent along)."""
    if not any(name in request.POST for name in ProposalForm.Meta.fields):
        return None
    form = ProposalForm(request.POST, instance=item)
    if not form.is_valid():
        return form
    if form.has_changed():
        _store(form, request.user)
    return None


def _add_picture(request, item: Item) -> PhotoForm | None:
    """Add the picture chosen on the page; its form with the errors when it is refused."""
    form = PhotoForm(request.POST, request.FILES, item=item)
    if not form.is_valid():
        return form
    if form.repeated:  # added by the same page before (a double click): nothing more
        return None
    photo = form.save(commit=False)
    photo.submit_key = form.cleaned_data.get("submit_key")
    photo.item = item
    photo.position = item.photos.count()
    photo.save()
    return None


def _picture_sent_along(request, item: Item) -> PhotoForm | None:
    """A picture chosen and then sent with another button than its own is added too (nothing
    chosen on the page is dropped without a word)."""
    return _add_picture(request, item) if request.FILES.get("image") else None


def _changes_sent_along(request, item: Item) -> bool:
    """A picture not added yet (a second click sends the one it added), or a story that
    differs from the one stored."""
    if request.FILES.get("image"):
        picture = PhotoForm(request.POST, request.FILES, item=item)
        return not (picture.is_valid() and picture.repeated)
    if not any(name in request.POST for name in ProposalForm.Meta.fields):
        return False
    return ProposalForm(request.POST, instance=item).has_changed()


@require_POST
@login_required
def proposal_photo(request: HttpRequest, pk) -> HttpResponse:
    item = _proposal_or_404(request, pk)
    with transaction.atomic():
        item = _locked(item)
        if refusal := _refusal(request, item):
            return refusal
        story = _story_sent_along(request, item)
        if story is not None:
            return _proposal_page(request, item, form=story, status=400)
        if refused := _add_picture(request, item):
            return _proposal_page(request, item, photo_form=refused, status=400)
    tell_once(request, messages.SUCCESS, _("The picture is added."))  # once for a double click
    return redirect("knowledge:proposal", item.pk)


@require_POST
@login_required
def proposal_photo_remove(request: HttpRequest, pk, photo) -> HttpResponse:
    item = _proposal_or_404(request, pk)
    photo_id = client_pk(photo)
    with transaction.atomic():
        item = _locked(item)
        try:
            services.check_editable(item)
            story = _story_sent_along(request, item)
            if story is not None:
                return _proposal_page(request, item, form=story, status=400)
            removed = services.remove_photo(item, photo_id)
        except ValidationError as error:
            return _refused(request, item, error)
    if removed:  # a second click finds it gone, and says nothing more
        messages.success(request, _("The picture is removed."))
    return redirect("knowledge:proposal", item.pk)


@require_POST
@login_required
def proposal_submit(request: HttpRequest, pk) -> HttpResponse:
    item = _proposal_or_404(request, pk)
    done = _("The example is sent to the municipality. You hear from the consultant.")
    refusal = None
    with transaction.atomic():  # a second click waits, then finds it submitted
        item = _locked(item)
        if item.state in EDITABLE_STATES:
            story = _story_sent_along(request, item)
            if story is not None:
                return _proposal_page(request, item, form=story, status=400)
            if refused := _picture_sent_along(request, item):
                return _proposal_page(request, item, photo_form=refused, status=400)
        elif _changes_sent_along(request, item):  # an old tab: say they were not saved
            return _refusal(request, item)
        try:
            with transaction.atomic():  # refused, it keeps the story and picture just saved
                services.submit(item, by=request.user)
        except TransitionNotAllowed as error:
            refusal = error
    if refusal is None or isinstance(refusal, AlreadyDone):  # a second click: the same answer
        tell_once(request, messages.SUCCESS, done)
    else:
        missing = getattr(refusal, "missing", {})
        messages.error(request, " ".join([str(refusal), *missing.values()]))
    return redirect("knowledge:proposal", item.pk)
