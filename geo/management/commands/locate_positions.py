"""Give a position to every stored address that has none yet (after the first deployment of
the map, or once GEOCODER_URL is set): each registered model's rows without a position and
with a postal code are saved again, and their own save looks the address up
(``geo.positions.locate``). Rows whose address gives nothing keep no position."""

from django.apps import apps
from django.core.management.base import BaseCommand

from geo import positions


class Command(BaseCommand):
    help = "Look up the positions of addresses that have none (associations, schools, places)."

    def handle(self, *args, **options):
        for label, code_field, lat_field, _lon_field in positions.sources():
            model = apps.get_model(label)
            rows = model._default_manager.filter(**{f"{lat_field}__isnull": True}).exclude(
                **{code_field: ""}
            )
            found = 0
            for row in rows.iterator(chunk_size=200):
                row.save()
                found += getattr(row, lat_field) is not None
            self.stdout.write(f"{label}: {found} positions found")
