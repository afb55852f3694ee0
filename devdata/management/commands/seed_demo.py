"""Load demo data idempotently and print one login per role. `make run` calls it."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test import override_settings

from devdata.demo import data, people
from devdata.demo.seed import seed


class Command(BaseCommand):
    help = "Create demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        # The demo's e-mails (bookings, decisions) are kept in memory, not printed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            seed(stdout=self.stdout)
        self.print_logins()

    def print_logins(self):
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Log in at {settings.SITE_URL}/login/")
        )
        for role, email in people.logins():
            self.stdout.write(f"  {role:<28} {email:<45} password: {data.DEMO_PASSWORD}")
