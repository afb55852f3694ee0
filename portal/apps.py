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


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.apps import apps
        from django.contrib import admin
        from django.db.models import signals

        from . import pagecache

        admin.site.site_header = _("Åben Skole – administration")
        admin.site.site_title = _("Åben Skole")
        admin.site.index_title = _("Screening and administration")

        for label in PUBLIC_PAGE_MODELS:
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            uid = f"pagecache-{label}"
            signals.post_save.connect(pagecache.bump, sender=model, dispatch_uid=uid + "-save")
            signals.post_delete.connect(pagecache.bump, sender=model, dispatch_uid=uid + "-del")
            for field in model._meta.local_many_to_many:
                signals.m2m_changed.connect(
                    pagecache.bump, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field}"
                )
