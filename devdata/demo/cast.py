"""Who and what the demo's activity uses: the municipality's schools, staff and offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from accounts.models import User
from associations.models import AssociationMembership, Offer
from municipalities.models import Municipality
from schools.models import School, SchoolMembership


@dataclass
class Cast:
    municipality: Municipality
    today: date
    schools: dict[str, School]
    staff: list[SchoolMembership]
    offers: dict[str, Offer]

    @classmethod
    def of(cls, municipality: Municipality) -> Cast:
        staff = SchoolMembership.objects.filter(
            school__municipality=municipality, is_approved=True
        ).select_related("user", "school")
        offers = (
            Offer.objects.published()
            .filter(association__municipalities=municipality)
            .select_related("association")
        )
        return cls(
            municipality=municipality,
            today=timezone.localdate(),
            schools={s.slug: s for s in School.objects.filter(municipality=municipality)},
            staff=list(staff),
            offers={o.slug: o for o in offers},
        )

    @property
    def teacher(self) -> SchoolMembership:
        return next(m for m in self.staff if m.role == "teacher")

    @property
    def head(self) -> SchoolMembership:
        return next(m for m in self.staff if m.role == "department_head")

    @property
    def fixed(self) -> list[Offer]:
        """The published offers with dates of their own, the most recently approved first."""
        return [o for o in self.offers.values() if not o.on_request]

    @property
    def on_request(self) -> list[Offer]:
        return [o for o in self.offers.values() if o.on_request]

    @property
    def newest_fixed(self) -> Offer:
        """The most recently approved offer with dates (in the demo: the sailing offer)."""
        return self.fixed[0]

    @property
    def oldest_fixed(self) -> Offer:
        """The least recently approved offer with dates (in the demo: the kayak offer)."""
        return self.fixed[-1]

    def member_of(self, offer: Offer) -> User | None:
        """Someone who answers for the offer's association."""
        membership = AssociationMembership.objects.filter(association=offer.association).first()
        return membership.user if membership else None
