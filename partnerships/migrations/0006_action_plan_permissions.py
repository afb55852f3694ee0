"""The Consultant group screens action plans in the admin like offers: view and change
(decisions go through the screening workflow), goals and activities read-only."""

from importlib import import_module

from django.db import migrations

CODENAMES = ["view_actionplan", "change_actionplan", "view_goal", "view_activity"]


def grant(apps, schema_editor):
    module = import_module("partnerships.migrations.0002_consultant_permissions")
    module.grant(apps, schema_editor, codenames=CODENAMES)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0005_action_plan")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
