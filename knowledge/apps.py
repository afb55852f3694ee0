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
    removal has committed, unless another row still shows the same file: an edit's copy of
    a picture shares its file (``screening.services.start_revision``, ``_move_children``)."""
    name, storage = instance.image.name, instance.image.storage

    def remove():
        if name and not sender.objects.filter(image=name).exists():
            storage.delete(name)

    transaction.on_commit(remove)
