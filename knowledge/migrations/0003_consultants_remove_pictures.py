"""The Consultant group may remove a good example's pictures in the admin (a picture that
shows a pupil by mistake must be able to go); items, categories and tags are still never
deleted (0002)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

GROUP = "Consultant"


def grant(apps, schema_editor):
    config = global_apps.get_app_config("knowledge")
    create_contenttypes(config, verbosity=0, apps=apps)
    create_permissions(config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="knowledge", codename="delete_itemphoto")
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="knowledge", codename="delete_itemphoto"
            )
        )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_and_permissions")]

    operations = [migrations.RunPython(grant, revoke)]
