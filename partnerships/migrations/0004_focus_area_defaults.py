"""Every existing municipality gets the default focus areas (partnerships.focus), and the
Consultant group may view, add and change focus areas (not delete, like everything else)."""

from django.db import migrations

from partnerships.focus import create_defaults

CODENAMES = ["view_focusarea", "add_focusarea", "change_focusarea"]


def defaults(apps, schema_editor):
    FocusArea = apps.get_model("partnerships", "FocusArea")
    for municipality in apps.get_model("municipalities", "Municipality").objects.all():
        create_defaults(municipality, model=FocusArea)


def grant(apps, schema_editor):
    from importlib import import_module

    grant_to_group = import_module("partnerships.migrations.0002_consultant_permissions")
    grant_to_group.grant(apps, schema_editor, codenames=CODENAMES)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0003_focus_area")]

    operations = [
        migrations.RunPython(defaults, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
