"""The one way views find an association, an offer or an instructor for the current user.

Strangers get 404 (they must not learn what exists), members without the right get 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.ids import client_pk

from .models import Association, AssociationMembership, Instructor, Offer


def get_association_for(
    user, slug: str, *, admin: bool = False
) -> tuple[Association, AssociationMembership]:
    """The live association ``slug`` and the user's membership of it."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        AssociationMembership.objects.select_related("association")
        .filter(user=user, association__slug=slug, association__revision_of__isnull=True)
        .first()
    )
    if membership is None:
        raise Http404
    if admin and not membership.is_admin:
        raise PermissionDenied
    return membership.association, membership


def get_offer_for(user, slug: str, offer_id: int) -> tuple[Offer, AssociationMembership]:
    """A live offer of the association ``slug``; members may edit offers."""
    association, membership = get_association_for(user, slug)
    offer = Offer.objects.live().filter(association=association, pk=offer_id).first()
    if offer is None:
        raise Http404
    return offer, membership


def get_instructor_for(user, slug: str, instructor_id: int) -> tuple[Instructor, Association]:
    association, _membership = get_association_for(user, slug)
    instructor = association.instructors.filter(pk=instructor_id).first()
    if instructor is None:
        raise Http404
    return instructor, association


def association_for(user, association_pk: int) -> Association:
    """One of the user's associations (by an id the client sent); 404 otherwise."""
    if not user.is_authenticated:
        raise Http404
    association_pk = client_pk(association_pk)
    for membership in user.association_memberships:
        if membership.association_id == association_pk:
            return membership.association
    raise Http404
