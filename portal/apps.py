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
    "schools.School",
    "municipalities.SchoolYearSettings",  # held with each school's municipality
]
#: Rows that belong to one user (``user`` field): a change bumps only that user's counter.
USER_ROLE_MODELS = [
    "municipalities.Consultant",
    "schools.SchoolMembership",
    "associations.AssociationMembership",
]

#: Models shown on the cached "My school" lists, and which counters their changes bump
#: (``portal.generations``): the school's own, its municipality's, or ``schools`` for what
#: every school may show. A membership also changes the user's list of schools, which the
#: ``roles`` counter (also in the key) covers. Code that changes these models with
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


def _connect_user_counters():
    """A saved or deleted account bumps its own counter; a membership or consultant post its
    user's (and the previous user's, when the admin moves it to someone else); an
    association, the counters of its members (their cached roles hold it)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db.models import signals

    from . import generations

    def account(instance, **_kwargs):
        generations.bump(generations.user(instance.pk))

    def association(instance, **_kwargs):
        membership = apps.get_model("associations", "AssociationMembership")
        ids = {instance.pk, instance.revision_of_id} - {None}
        for user_id in set(
            membership.objects.filter(association_id__in=ids).values_list("user_id", flat=True)
        ):
            generations.bump(generations.user(user_id))

    def owner(instance, **_kwargs):
        generations.bump(generations.user(instance.user_id))

    def previous_owner(sender, instance, update_fields=None, **_kwargs):
        if instance.pk is None or (update_fields is not None and "user" not in update_fields):
            return
        before = sender._base_manager.filter(pk=instance.pk).values_list("user_id", flat=True)
        previous = before.first()
        if previous is not None and previous != instance.user_id:
            generations.bump(generations.user(previous))

    # Their many-to-many fields (a user's groups, an association's municipalities) are not
    # in the cached roles.
    for label in USER_ROLE_MODELS:
        signals.pre_save.connect(
            previous_owner,
            sender=apps.get_model(label),
            dispatch_uid=f"user-counters-{label}-pre",
            weak=False,
        )
    _connect(USER_ROLE_MODELS, owner, "user-counters", m2m=False)
    _connect([get_user_model()._meta.label], account, "user-counters", m2m=False)
    _connect(["associations.Association"], association, "user-counters", m2m=False)


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
        _connect_user_counters()
        for label, path in SCHOOL_PAGE_MODELS.items():
            receiver = generations.scoped_receiver(_school_page_names(label, path))
            _connect([label], receiver, f"schools-{path}")
