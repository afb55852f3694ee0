"""Helpers of the network meeting tests: an event of a municipality."""

from datetime import timedelta

from django.utils import timezone

from partnerships.network.models import NetworkEvent


def make_event(municipality, **fields):
    start = fields.pop("starts_at", timezone.now() + timedelta(days=20))
    fields.setdefault("title", "Netværksmøde")
    fields.setdefault("place", "Kulturværftet")
    fields.setdefault("capacity", 10)
    return NetworkEvent.objects.create(
        municipality=municipality, starts_at=start, ends_at=start + timedelta(hours=2), **fields
    )
