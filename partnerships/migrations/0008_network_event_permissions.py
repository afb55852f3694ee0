"""The Consultant group plans network meetings and events in the admin (view, add, change;
never delete), sees the invitations, and records attendance on the sign-ups (view and change;
the sign-ups themselves are made by the partners)."""

from importlib import import_module

from django.db import migrations

CODENAMES = [
    "view_networkevent",
    "add_networkevent",
    "change_networkevent",
    "view_eventinvitation",
    "view_registration",
    "change_registration",
]


def grant(apps, schema_editor):
    module = import_module("partnerships.migrations.0002_consultant_permissions")
    module.grant(apps, schema_editor, codenames=CODENAMES)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0007_network_events")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
