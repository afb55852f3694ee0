from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from geo import positions
from notifications import kinds


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Schools")

    def ready(self):
        from . import caching, events

        caching.connect()
        positions.register_source("schools.School", "postal_code", "latitude", "longitude")
        kinds.register(
            "need_answered",
            _("An association answered our school's need"),
            essential=False,
            audience=kinds.SCHOOLS,
        )
        for code, label, essential, audience in events.KINDS:
            kinds.register(code, label, essential=essential, audience=audience)
