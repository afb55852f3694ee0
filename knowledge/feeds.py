"""The knowledge bank's Atom feed per municipality: its public material and what other
municipalities share, newest first (nothing personal: caches may keep it a while)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from municipalities.models import Municipality

from .models import Item

FEED_SIZE = 50
FEED_MAX_AGE = 15 * 60


class KnowledgeFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, municipality):
        return get_object_or_404(Municipality, slug=municipality, is_active=True)

    def title(self, obj):
        return _("Knowledge bank of %(municipality)s") % {"municipality": obj.name}

    def subtitle(self, obj):
        return _("Guides, checklists, templates and good examples of Åben Skole.")

    def link(self, obj):
        return reverse("knowledge:list") + "?municipality=" + obj.slug

    def items(self, obj):
        return (
            Item.objects.visible_to(None, [obj])
            .select_related("category", "municipality")
            .order_by("-approved_at", "pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_author_name(self, item):
        return item.municipality.name

    def item_pubdate(self, item):
        return item.approved_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [c for c in (item.get_kind_display(), str(item.category or "")) if c]
