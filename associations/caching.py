"""What a change of an association, offer, photo or instructor makes stale: the public pages
that show it (``portal.pagecache``) and what every school sees (``generations.CATALOG``); a
membership makes its user's cached roles stale (``generations.user_roles``).
Connected in ``AssociationsConfig.ready()``; the bookings app uses ``offer_pages``."""

from __future__ import annotations

from municipalities.models import Municipality
from portal import generations, pagecache

from .models import Association, AssociationMembership, Instructor, Offer, OfferPhoto, Subject


def offer_pages(offer: Offer) -> list[str]:
    """The offer's own pages (``/offers/<slug>/``, ``/offers/<id>/`` and their embeds)."""
    return [pagecache.name(Offer, offer.slug), pagecache.name(Offer, offer.pk)]


def catalogs(association_id) -> list[str]:
    """The catalogs showing the association's offers: its municipalities' and the one of no
    chosen municipality."""
    slugs = Municipality.objects.filter(associations=association_id).values_list("slug", flat=True)
    return [pagecache.name(Municipality, slug) for slug in [*slugs, "any"]]


def association_changed(association: Association) -> list[str]:
    offers = Offer.objects.filter(association=association.pk).only("slug")
    return [
        pagecache.name(Association, association.slug),
        *(name for offer in offers for name in offer_pages(offer)),
        *catalogs(association.pk),
        generations.CATALOG,
    ]


def offer_changed(offer: Offer) -> list[str]:
    slug = Association.objects.filter(pk=offer.association_id).values_list("slug", flat=True)
    return [
        *offer_pages(offer),
        *(pagecache.name(Association, s) for s in slug),  # its list of offers
        *catalogs(offer.association_id),
        generations.CATALOG,
    ]


def _photo_changed(photo: OfferPhoto) -> list[str]:
    offer = Offer.objects.filter(pk=photo.offer_id).first()
    return offer_changed(offer) if offer is not None else []  # deleted with its offer


def _instructor_changed(instructor: Instructor) -> list[str]:
    """Shown on no page, but a certificate can take the association's offers off them."""
    association = Association.objects.filter(pk=instructor.association_id).first()
    return association_changed(association) if association is not None else []


def _association_deleted(**_kwargs) -> None:
    """Its offers and its municipalities went first (a cascade): every page may show it."""
    generations.bump(pagecache.EVERYTHING)


def previous_slug(sender, instance, **_kwargs) -> None:
    """An edited slug leaves the page at the old address: bump its name too."""
    if instance.pk is not None:
        old = sender._base_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
        if old is not None and old != instance.slug:
            generations.bump(pagecache.name(sender, old))


def connect() -> None:
    from django.db.models.signals import post_delete, pre_save

    generations.on_role_change(AssociationMembership)  # its user's cached roles (accounts.roles)
    generations.on_change(Association, association_changed)
    generations.on_change(Offer, offer_changed)
    generations.on_change(OfferPhoto, _photo_changed)
    generations.on_change(Instructor, _instructor_changed)
    # The subjects are reference data (generations.kept) that every catalog page shows.
    generations.on_change(
        Subject, lambda _s: [generations.REFERENCE, pagecache.EVERYTHING], m2m=False
    )
    post_delete.connect(
        _association_deleted, sender=Association, dispatch_uid="association-deleted"
    )
    for model in (Association, Offer):
        pre_save.connect(previous_slug, sender=model, dispatch_uid=f"previous-slug-{model}")
