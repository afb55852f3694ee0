"""Build a national-scale data set with bulk inserts, for benchmarks (`make bench`).

    python manage.py seed_scale --municipalities 98 --schools 1300 --associations 20000 \
        --offers 50000 --bookings 300000

All arguments are optional (smaller defaults). Meant for an empty PostgreSQL database;
it refuses to run twice on the same data unless --force is given.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from devdata.scale.seed import seed
from municipalities.models import Municipality


class Command(BaseCommand):
    help = "Build a large, realistic data set with bulk inserts (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=5)
        parser.add_argument("--schools", type=int, default=60)
        parser.add_argument("--associations", type=int, default=500)
        parser.add_argument("--offers", type=int, default=1500)
        parser.add_argument("--bookings", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, **opts):
        if Municipality.objects.filter(slug="scale-1").exists() and not opts["force"]:
            raise CommandError("Scale data already present (use --force to add more).")
        started = time.monotonic()
        seed(
            self.stdout,
            municipalities=opts["municipalities"],
            schools=opts["schools"],
            associations=opts["associations"],
            offers=opts["offers"],
            bookings=opts["bookings"],
            random_seed=opts["seed"],
        )
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.0f} s."))
