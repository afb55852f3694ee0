from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import generations, pagecache


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Municipalities")

    def ready(self):
        from .models import Consultant, Municipality  # the models are ready only now

        # Every public page shows municipalities (the catalog's choice, the embed's framing
        # policy), and so do the "My school" lists and the offers schools book.
        generations.on_change(
            Municipality,
            lambda _m: [pagecache.EVERYTHING, generations.CATALOG, generations.REFERENCE],
            m2m=False,
        )
        # A consultant post is one of its user's roles, cached in accounts.roles.
        generations.on_role_change(Consultant)
