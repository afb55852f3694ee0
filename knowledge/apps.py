from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import generations


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Knowledge bank")

    def ready(self):
        from . import caching
        from .models import Item

        # The offer page (page-cached for visitors) shows the offer's good examples.
        generations.on_change(Item, caching.item_changed)
