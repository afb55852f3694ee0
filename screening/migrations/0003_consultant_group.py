"""The Consultant group with exactly the admin permissions a municipal consultant needs.

Idempotent: running it again (or after the permissions changed) sets the same list for
the apps it names, and leaves the permissions later apps grant the group alone.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

GROUP = "Consultant"
PERMISSIONS = {
    "associations": [
        "view_association",
        "change_association",
        "view_offer",
        "change_offer",
        "view_instructor",
    ],
    "schools": ["view_school", "view_schoolmembership", "change_schoolmembership"],
    "municipalities": ["view_municipality", "change_municipality"],
    "screening": [
        "view_screeningevent",
        "view_rejectionreason",
        "add_rejectionreason",
        "change_rejectionreason",
    ],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for label in PERMISSIONS:
        config = global_apps.get_app_config(label)
        create_contenttypes(config, verbosity=0, apps=apps)
        create_permissions(config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    wanted = []
    for label, codenames in PERMISSIONS.items():
        wanted += list(
            Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
        )
    # Only the apps named here: a later app's migration grants its own (partnerships).
    named = group.permissions.filter(content_type__app_label__in=list(PERMISSIONS))
    group.permissions.remove(*named)
    group.permissions.add(*wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0002_rejection_reason_review"),
        ("associations", "0002_subjects"),
        ("schools", "0001_initial"),
        ("municipalities", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
