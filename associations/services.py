"""Business rules for associations and their offers."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Min

from .models import Association, Instructor, Offer


def certificate_limit(association: Association) -> timedelta:
    """The strictest child-certificate limit among the municipalities the association offers in."""
    months = [m.child_certificate_max_age for m in association.municipalities.all()]
    return min(months) if months else timedelta(days=730)


def certificate_expiry(instructor: Instructor, limit: timedelta) -> date | None:
    if not instructor.child_certificate_confirmed or not instructor.child_certificate_date:
        return None
    return instructor.child_certificate_date + limit


def refresh_certificate_validity(offer: Offer) -> date | None:
    """Recompute when the offer's instructors' child certificates run out.

    An offer with no instructor, or with an instructor whose certificate is missing,
    is not valid at all (None): it cannot be published.
    """
    limit = certificate_limit(offer.association)
    instructors = list(offer.instructors.all())
    expiries = [certificate_expiry(i, limit) for i in instructors]
    valid_until = None if not expiries or None in expiries else min(expiries)
    if offer.certificates_valid_until != valid_until:
        offer.certificates_valid_until = valid_until
        Offer.objects.filter(pk=offer.pk).update(certificates_valid_until=valid_until)
    return valid_until


def refresh_association_certificates(association: Association) -> None:
    for offer in association.offers.prefetch_related("instructors"):
        refresh_certificate_validity(offer)


def oldest_certificate(association: Association) -> date | None:
    return association.instructors.filter(child_certificate_confirmed=True).aggregate(
        oldest=Min("child_certificate_date")
    )["oldest"]
