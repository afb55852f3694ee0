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

#: Models behind each signed-in user's cached roles (``accounts.roles``).
ROLE_MODELS = [
    "municipalities.Municipality",
    "municipalities.Consultant",
    "schools.School",
    "schools.SchoolMembership",
    "associations.Association",
    "associations.AssociationMembership",
]

#: Models shown on the cached "My school" lists. Code that changes them with
#: QuerySet.update() must call ``portal.generations.bump(generations.SCHOOLS)`` itself.
SCHOOL_PAGE_MODELS = [
    "municipalities.Municipality",
    "schools.School",
    "schools.SchoolMembership",
    "schools.SchoolNeed",
    "schools.NeedAnswer",
    "associations.Association",
    "associations.Offer",
    "bookings.Occasion",
    "bookings.OccasionSession",
    "bookings.Booking",
    "bookings.WaitingListEntry",
    "bookings.SchoolEvent",
    "bookings.EventParticipation",
    "bookings.SubsidyPool",
    "bookings.CalendarFeed",
]


def _connect(labels, receiver, uid_prefix):
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
        for field in model._meta.local_many_to_many:
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
        _connect(ROLE_MODELS, generations.receiver(generations.ROLES), "roles")
        _connect(SCHOOL_PAGE_MODELS, generations.receiver(generations.SCHOOLS), "schools")
