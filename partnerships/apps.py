from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications import kinds


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        # The partner hears when its partnership begins and ends (services.transition).
        kinds.register(
            "partnership.activated",
            _("Your partnership with the municipality has begun"),
            essential=True,
            audience=kinds.ASSOCIATIONS,
        )
        kinds.register(
            "partnership.ended",
            _("Your partnership with the municipality has ended"),
            essential=True,
            audience=kinds.ASSOCIATIONS,
        )
        from .network import services as network_services  # needs the models

        for code, label, essential in network_services.KINDS:
            kinds.register(code, label, essential=essential)
