"""The Consultant group (screening 0003) may add and change partnerships and leisure
institutions in the admin, never delete them. Idempotent like the group's own migration."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

GROUP = "Consultant"
CODENAMES = [
    "view_partnership",
    "add_partnership",
    "change_partnership",
    "view_leisureinstitution",
    "add_leisureinstitution",
    "change_leisureinstitution",
]


def grant(apps, schema_editor, codenames=CODENAMES):
    config = global_apps.get_app_config("partnerships")
    create_contenttypes(config, verbosity=0, apps=apps)
    create_permissions(config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="partnerships", codename__in=codenames)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
        ("screening", "0003_consultant_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
