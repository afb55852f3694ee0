"""Create the test user(s) and the registered client for the portal."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application


class Command(BaseCommand):
    help = "Create a test user and the portal's client application."

    def add_arguments(self, parser):
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("--redirect-uri", required=True)
        parser.add_argument(
            "--user",
            action="append",
            default=[],
            help="username:password:email:First Last (repeatable)",
        )

    def handle(self, *args, **options):
        for spec in options["user"]:
            username, password, email, name = spec.split(":", 3)
            first, _, last = name.partition(" ")
            user, _ = User.objects.get_or_create(username=username)
            user.email, user.first_name, user.last_name = email, first, last
            user.set_password(password)
            user.save()
        Application.objects.update_or_create(
            client_id=options["client_id"],
            defaults={
                "name": "Åben Skole (test)",
                "client_secret": options["client_secret"],
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": options["redirect_uri"],
                "algorithm": Application.RS256_ALGORITHM,
                "skip_authorization": False,
            },
        )
