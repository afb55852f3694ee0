from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from geo import positions
from notifications import kinds


class AssociationsConfig(AppConfig):
    name = "associations"
    verbose_name = _("Associations")

    def ready(self):
        from . import caching
        from .services import CERTIFICATE_EXPIRED_KIND

        caching.connect()
        # Their positions make the postal codes' centres (geo.positions.postal_code_centre).
        positions.register_source(
            "associations.Association", "postal_code", "latitude", "longitude"
        )
        positions.register_source(
            "associations.Offer", "location_postal_code", "location_latitude", "location_longitude"
        )
        # Sent by services.expire_certificates, once per offer that leaves the portal.
        kinds.register(
            CERTIFICATE_EXPIRED_KIND,
            _("An offer is hidden from schools: a child certificate has expired"),
            essential=True,
            audience=kinds.ASSOCIATIONS,
        )
