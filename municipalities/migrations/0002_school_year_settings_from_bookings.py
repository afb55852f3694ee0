"""SchoolYearSettings moves from bookings to municipalities (issue 18: the municipality's
settings live with the municipality). The rows stay: the model is taken over in the state,
then its table is renamed, and the content type follows (permissions keep working)."""

import django.db.models.deletion
from django.db import migrations, models


def _relabel(apps, names, old, new):
    """The content types follow the models (their permissions and admin history with them);
    one that already exists under the new label is left as it is."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in names:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, ["schoolyearsettings"], "bookings", "municipalities")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, ["schoolyearsettings"], "municipalities", "bookings")


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        # The table was created by bookings, which has let go of the model.
        ("bookings", "0009_school_events_and_settings_move_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SchoolYearSettings",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "winter_holiday_week",
                            models.PositiveSmallIntegerField(
                                choices=[(7, "Week 7"), (8, "Week 8")],
                                default=7,
                                verbose_name="winter holiday week",
                            ),
                        ),
                        (
                            "municipality",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="school_year_settings",
                                to="municipalities.municipality",
                                verbose_name="municipality",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "school-year settings",
                        "verbose_name_plural": "school-year settings",
                        "db_table": "bookings_schoolyearsettings",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="schoolyearsettings", table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
