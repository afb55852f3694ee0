"""Who may see and do what with bookings. One access helper per owned object."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from associations.models import Offer

from .models import Booking, Occasion
from .states import Actor


@dataclass
class BookingAccess:
    booking: Booking
    sides: frozenset[str]

    @property
    def side(self) -> str:
        """The side the user acts for (school first, then association, then consultant)."""
        for side in (Actor.SCHOOL, Actor.ASSOCIATION, Actor.CONSULTANT):
            if side in self.sides:
                return side
        raise Http404

    def acts_as(self, side: str) -> bool:
        return side in self.sides


def sides_for(user, booking: Booking) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    sides = set()
    if any(m.school_id == booking.school_id for m in user.active_school_memberships):
        sides.add(Actor.SCHOOL)
    # A booking waiting for the school leader's approval has not reached the association.
    if booking.sent_to_association and any(
        m.association_id == booking.offer.association_id for m in user.association_memberships
    ):
        sides.add(Actor.ASSOCIATION)
    if user.consultant_municipality is not None and (
        user.consultant_municipality.pk == booking.school.municipality_id
    ):
        sides.add(Actor.CONSULTANT)
    return frozenset(sides)


def booking_access(user, pk: int) -> BookingAccess:
    """The booking for school staff, association members and the municipality's consultant.

    Everyone else gets 404: a stranger learns nothing about the booking's existence.
    """
    booking = get_object_or_404(
        Booking.objects.select_related(
            "offer__association", "school__municipality", "occasion", "contact_teacher"
        ),
        pk=pk,
    )
    sides = sides_for(user, booking)
    if not sides:
        raise Http404
    return BookingAccess(booking, sides)


def require_side(access: BookingAccess, *sides: str) -> str:
    """403 for people who may see the booking but not act in this role."""
    for side in sides:
        if access.acts_as(side):
            return side
    raise PermissionDenied


def offer_for_member(user, pk: int) -> Offer:
    """A live offer of one of the user's associations; 404 otherwise."""
    offer = get_object_or_404(Offer.objects.live().for_member(user).distinct(), pk=pk)
    return offer


def occasion_for_member(user, pk: int) -> Occasion:
    return get_object_or_404(
        Occasion.objects.filter(offer__in=Offer.objects.live().for_member(user)).distinct(),
        pk=pk,
    )
