from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _

from portal import generations


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Knowledge bank")

    def ready(self):
        from . import caching
        from .models import Item, ItemPhoto

        # The offer page (page-cached for visitors) shows the offer's good examples.
        generations.on_change(Item, caching.item_changed)
        post_delete.connect(_remove_file, sender=ItemPhoto, dispatch_uid="knowledge-photo-file")


def _remove_file(sender, instance, **kwargs):
    """A removed picture leaves no file behind (it may show a pupil by mistake), once the
    removal has committed."""
    transaction.on_commit(lambda: instance.image.delete(save=False))
