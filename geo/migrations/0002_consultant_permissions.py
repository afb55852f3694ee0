"""The Consultant group (screening 0003) may add, change and view map areas in the admin,
never delete them (like partnerships' rows). Idempotent like the group's own migration."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

GROUP = "Consultant"
CODENAMES = ["view_maparea", "add_maparea", "change_maparea"]


def grant(apps, schema_editor):
    config = global_apps.get_app_config("geo")
    create_contenttypes(config, verbosity=0, apps=apps)
    create_permissions(config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="geo", codename__in=CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0001_initial"),
        ("screening", "0003_consultant_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
