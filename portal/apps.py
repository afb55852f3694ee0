from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: Models whose changes can alter a public page (catalog, offer, association, embed, feeds).
#: Code that changes them with QuerySet.update() must call ``portal.pagecache.bump()`` itself.
PUBLIC_PAGE_MODELS = [
    "municipalities.Municipality",
    "associations.Association",
    "associations.Offer",
    "associations.OfferPhoto",
    "associations.Instructor",
    "bookings.Occasion",
    "bookings.Booking",
]

#: Models shown on the cached "My school" lists, and which counters their changes bump
#: (``portal.generations``): the school's own, its municipality's, or ``schools`` for what
#: every school may show. Code that changes these models with
#: QuerySet.update() must bump the counters itself.
SCHOOL_PAGE_MODELS = {
    "municipalities.Municipality": "all",
    "associations.Association": "all",
    "associations.Offer": "all",
    "bookings.Occasion": "all",
    "bookings.OccasionSession": "all",
    "schools.School": "pk",
    "schools.SchoolMembership": "school_id",
    "schools.SchoolNeed": "school_id",
    "schools.NeedAnswer": "need.school_id",
    "bookings.Booking": "school_id",
    "bookings.WaitingListEntry": "school_id",
    "schools.SchoolEvent": "school_id",
    "schools.EventParticipation": "event.school_id",
    "bookings.CalendarFeed": "school_id",
    "bookings.SubsidyPool": "municipality_id",
}


def _school_page_names(label: str, path: str):
    """The counters a change of a model bumps, from its entry in SCHOOL_PAGE_MODELS."""
    from django.apps import apps
    from django.core.exceptions import ObjectDoesNotExist

    from . import generations

    model = apps.get_model(label)

    def names(instance) -> list[str]:
        # An m2m change seen from the other side (a subject's needs) names no school.
        if path == "all" or not isinstance(instance, model):
            return [generations.SCHOOLS]
        try:
            value = instance
            for attr in path.split("."):
                value = getattr(value, attr)
        except ObjectDoesNotExist:  # the parent went first in a cascade: bump them all
            return [generations.SCHOOLS]
        if value is None:  # e.g. an association's calendar feed
            return []
        scope = generations.municipality if path == "municipality_id" else generations.school
        return [scope(value)]

    return names


def _connect(labels, receiver, uid_prefix, *, m2m=True):
    """Call ``receiver`` on every save and delete of the models and, with ``m2m``, on changes
    of their many-to-many fields."""
    from django.apps import apps
    from django.db.models import signals

    for label in labels:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        uid = f"{uid_prefix}-{label}"
        # weak=False: the receivers are closures that nothing else holds on to.
        signals.post_save.connect(receiver, sender=model, dispatch_uid=uid + "-save", weak=False)
        signals.post_delete.connect(receiver, sender=model, dispatch_uid=uid + "-del", weak=False)
        for field in model._meta.local_many_to_many if m2m else []:
            signals.m2m_changed.connect(
                receiver,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field}",
                weak=False,
            )


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib import admin

        from . import generations, pagecache

        admin.site.site_header = _("Åben Skole – administration")
        admin.site.site_title = _("Åben Skole")
        admin.site.index_title = _("Screening and administration")

        _connect(PUBLIC_PAGE_MODELS, pagecache.bump, "pagecache")
        for label, path in SCHOOL_PAGE_MODELS.items():
            receiver = generations.scoped_receiver(_school_page_names(label, path))
            _connect([label], receiver, f"schools-{path}")
