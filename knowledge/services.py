"""The knowledge bank's rules: who sees what, the consultant publishing, and proposing a good
example from a completed booking or a partnership (screened by the screening workflow)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Exists, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext as _

from associations.models import Association
from bookings.models import Booking, Evaluation
from bookings.states import Actor, BookingState
from catalog import services as catalog_services
from municipalities.models import Municipality
from partnerships.models import Partnership, PartnershipState
from portal import formatting, generations
from portal.uploads import document_type
from schools.models import School
from screening import services as screening_services
from screening.workflow import EDITABLE_STATES, ScreeningState, Transition

from .caching import EXAMPLES
from .models import Audience, Item, Kind, Source

#: Words the knowledge bank's own URLs use after /knowledge/: never an item's slug.
RESERVED_SLUGS = {"propose", "proposals", "feed", "pictures"}


# --- Who sees what --------------------------------------------------------------------------


def viewer_municipalities(request) -> list[Municipality]:
    """The municipalities whose material a visitor sees: a consultant's, the schools' of
    school staff, the associations' of their members; anyone else (not logged in, or
    without a role) the municipality the catalog shows them (chosen, or the default)."""
    user = request.user
    found: dict[int, Municipality] = {}
    if user.is_authenticated:
        if user.consultant_municipality is not None:
            found[user.consultant_municipality.pk] = user.consultant_municipality
        for membership in user.active_school_memberships:
            found[membership.school.municipality_id] = membership.school.municipality
        associations = [m.association_id for m in user.association_memberships]
        if associations:
            for m in Municipality.objects.filter(associations__in=associations).distinct():
                found[m.pk] = m
    if not found:
        current = catalog_services.current_municipality(
            request, catalog_services.municipality_list()
        )
        if current is not None:
            found[current.pk] = current
    return list(found.values())


def visible_items(request):
    """The items a visitor may open: any public one of an active municipality, whichever
    municipality's list or feed links to it (the lists stay per municipality), and for a
    signed-in user also the logged-in-only ones of their municipalities and the shared ones."""
    public = Item.objects.published().filter(
        Q(municipality__is_active=True) | Q(shared=True), is_public=True
    )
    if not request.user.is_authenticated:
        return public
    return Item.objects.visible_to(request.user, viewer_municipalities(request)) | public


def may_see_pictures(request, item: Item) -> bool:
    """An item's pictures are for whoever may open it, its proposer (a draft, an edit) and
    the consultants of its municipality (who screen it)."""
    user = request.user
    if user.is_authenticated and (
        item.proposed_by_id == user.pk
        or Item.objects.for_consultant(user).filter(pk=item.pk).exists()
    ):
        return True
    return visible_items(request).filter(pk=item.pk).exists()


def offers_with_examples() -> frozenset[int]:
    """The ids of the offers that have a published good example (in any municipality, for
    any visitor), kept in the process until an item changes (``generations.kept``): the offer
    page asks who may see an offer's examples only for these, not for the many without."""
    return generations.kept(
        "knowledge:offers-with-examples",
        EXAMPLES,
        lambda: frozenset(
            Item.objects.published()
            .filter(kind=Kind.EXAMPLE, offer__isnull=False)
            .order_by()
            .values_list("offer_id", flat=True)
        ),
    )


def file_kind(item: Item) -> str | None:
    """The template's kind by its content (checked again on every download)."""
    try:
        with item.file.open("rb") as handle:
            return document_type(handle)
    except (FileNotFoundError, ValueError):
        return None


def download_name(item: Item, kind: str) -> str:
    """The file's name for the person downloading it: the title, with the checked extension."""
    return f"{formatting.slug(item.title)[:80] or 'skabelon'}.{kind}"


# --- The consultant's material --------------------------------------------------------------


def unique_slug(title: str) -> str:
    base = formatting.slug(title)[:150] or "materiale"
    if base in RESERVED_SLUGS or Item.objects.filter(slug=base).exists():
        return f"{base}-{uuid.uuid4().hex[:8]}"
    return base


def publish(item: Item, *, by) -> Item:
    """Publish the consultant's own material: submitted and approved by the consultant in one
    step through the screening workflow (no e-mail; both steps in the audit trail)."""
    with transaction.atomic():
        item = screening_services.transition(item, Transition.SUBMIT, by=by, quiet=True)
        return screening_services.transition(item, Transition.APPROVE, by=by)


# --- Proposing a good example ---------------------------------------------------------------


def _schools(user) -> list[School]:
    return [m.school for m in user.active_school_memberships] if user.is_authenticated else []


def _associations(user) -> list[Association]:
    if not user.is_authenticated:
        return []
    return [m.association for m in user.association_memberships]


def proposable_bookings(user):
    """Completed bookings the user may propose as a good example: their schools' and their
    associations' (newest first)."""
    schools, associations = _schools(user), _associations(user)
    if not schools and not associations:
        return Booking.objects.none()
    return (
        Booking.objects.filter(state=BookingState.COMPLETED)
        .filter(Q(school__in=schools) | Q(offer__association__in=associations))
        .select_related("offer", "offer__association", "school")
        .order_by("-starts_at", "pk")
    )


def bookings_to_propose(user):
    """The proposable bookings that nobody on the user's side has proposed yet (the list to
    choose from; the user's own proposals are listed on their own)."""
    schools = _schools(user)
    taken = Item.objects.live().filter(booking=OuterRef("pk"))
    school_side = Q(school__in=schools)
    return (
        proposable_bookings(user)
        .exclude(school_side & Exists(taken.filter(source=Source.SCHOOL)))
        .exclude(~school_side & Exists(taken.filter(source=Source.ASSOCIATION)))
    )


def proposable_partnerships(user):
    associations = _associations(user)
    if not associations:
        return Partnership.objects.none()
    return (
        Partnership.objects.filter(association__in=associations)
        .exclude(state=PartnershipState.PROPOSED)
        .select_related("association", "municipality")
        .order_by("-starts_on", "pk")
    )


def side_for_booking(user, booking: Booking) -> str | None:
    """The side the user proposes a booking from, or None if it is not theirs."""
    if booking.school_id in {s.pk for s in _schools(user)}:
        return Source.SCHOOL
    if booking.offer.association_id in {a.pk for a in _associations(user)}:
        return Source.ASSOCIATION
    return None


def evaluation_averages(bookings) -> dict[str, Decimal | None]:
    """The average rating of each side's evaluations of ``bookings``."""
    rows = (
        Evaluation.objects.filter(booking__in=bookings)
        .values("side")
        .annotate(avg=Avg("rating"))
        .order_by()
    )
    averages = {
        row["side"]: Decimal(str(row["avg"])).quantize(Decimal("0.01"))
        for row in rows
        if row["avg"] is not None
    }
    return {
        "school_rating": averages.get(Actor.SCHOOL),
        "association_rating": averages.get(Actor.ASSOCIATION),
    }


class AlreadyProposed(ValidationError):
    """A colleague proposed the same collaboration first."""


def _create_once(lookup: dict, values: dict, user) -> Item:
    """Create the proposal, or find the one a first click (or a colleague) made."""
    try:
        with transaction.atomic():
            return Item.objects.create(**lookup, **values)
    except IntegrityError:
        existing = Item.objects.live().filter(**lookup).first()
        if existing is None:
            raise
    return _theirs(existing, user)


def _theirs(existing: Item, user) -> Item:
    if existing.proposed_by_id != user.pk:
        raise AlreadyProposed(
            _("Someone on your side has already proposed this collaboration as a good example."),
            code="already_proposed",
        )
    return existing


def propose_from_booking(booking: Booking, *, by) -> Item:
    """A draft good example prefilled from a completed booking (offer, association, school,
    grade, pupils, the evaluations' averages); a second click returns the same draft."""
    side = side_for_booking(by, booking)
    if side is None or booking.state != BookingState.COMPLETED:
        raise ValidationError(_("Only a completed booking of yours can be proposed."))
    lookup = {"booking": booking, "source": side}
    existing = Item.objects.live().filter(**lookup).first()
    if existing is not None:
        return _theirs(existing, by)
    offer = booking.offer
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the portal's language
        title = _("%(offer)s at %(school)s") % {"offer": offer.title, "school": booking.school}
    values = {
        "municipality": booking.school.municipality,
        "kind": Kind.EXAMPLE,
        "title": title,
        "summary": offer.summary[:300],
        "slug": f"eksempel-{uuid.uuid4().hex[:12]}",
        "audience": Audience.BOTH,
        "is_public": False,
        "domain": offer.domain,
        "grade_min": booking.grade,
        "grade_max": booking.grade,
        "pupils": booking.pupils,
        "offer": offer,
        "association": offer.association,
        "school": booking.school,
        "proposed_by": by,
        "updated_by": by,
        **evaluation_averages([booking]),
    }
    return _create_once(lookup, values, by)


def propose_from_partnership(partnership: Partnership, *, by) -> Item:
    """A draft good example of an association's partnership (its schools' completed bookings
    of the association give the evaluation averages)."""
    if partnership not in proposable_partnerships(by):
        raise ValidationError(_("Only a partnership of your association can be proposed."))
    lookup = {"partnership": partnership, "source": Source.ASSOCIATION, "booking": None}
    schools = list(partnership.schools.all())
    bookings = Booking.objects.filter(
        state=BookingState.COMPLETED,
        offer__association=partnership.association,
        school__in=schools,
    )
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the portal's language
        title = _("Partnership: %(partner)s") % {"partner": partnership.partner}
    values = {
        "municipality": partnership.municipality,
        "kind": Kind.EXAMPLE,
        "title": title,
        "slug": f"eksempel-{uuid.uuid4().hex[:12]}",
        "is_public": False,
        "association": partnership.association,
        "school": schools[0] if schools else None,
        "proposed_by": by,
        "updated_by": by,
        **evaluation_averages(bookings),
    }
    existing = Item.objects.live().filter(**lookup).first()
    if existing is not None:
        return _theirs(existing, by)
    return _create_once(lookup, values, by)


def proposal_for(user, pk) -> Item | None:
    """The user's own proposal (a draft or under screening, or an edit of it)."""
    return (
        Item.objects.filter(proposed_by=user, pk=pk)
        .select_related("offer", "school", "association", "municipality")
        .first()
        if user.is_authenticated
        else None
    )


def check_editable(item: Item) -> None:
    """Refuse a change unless the proposer may still make it, saying why for the state."""
    if item.state in EDITABLE_STATES:
        return
    if item.state == ScreeningState.APPROVED:
        why = _("The example is published: write to the consultant if it needs a change.")
    elif item.state in (ScreeningState.REJECTED, ScreeningState.WITHDRAWN):
        why = _("The example was not published, and it cannot be changed.")
    else:
        why = _("The example is with the municipality: it cannot be changed now.")
    raise ValidationError(why, code="not_editable")


def remove_photo(item: Item, photo_id) -> bool:
    """Remove one of the proposal's pictures while the proposer may still change it (its
    file goes too: ``KnowledgeConfig``). False if it was removed already."""
    check_editable(item)
    return item.photos.filter(pk=photo_id).delete()[0] > 0


def submit(item: Item, *, by) -> Item:
    """Send the proposal to the municipality's consultants (the screening's submit)."""
    return screening_services.transition(item, Transition.SUBMIT, by=by)
