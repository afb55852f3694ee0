"""SchoolEvent and EventParticipation move from bookings to schools (issue 18: a school's
calendar belongs to the school). The rows stay: the models are taken over in the state
with their old tables, then the tables and constraints get the schools names and the
content types follow (permissions and admin history keep working)."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["schoolevent", "eventparticipation"]
GRADES = [
    django.core.validators.MinValueValidator(0),
    django.core.validators.MaxValueValidator(10),
]


def _relabel(apps, names, old, new):
    """The content types follow the models (their permissions and admin history with them);
    one that already exists under the new label is left as it is."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in names:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, MOVED, "bookings", "schools")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, MOVED, "schools", "bookings")


def renamed(model_name, old, constraint):
    """The same constraint under the schools name."""
    return [
        migrations.RemoveConstraint(model_name=model_name, name=old),
        migrations.AddConstraint(model_name=model_name, constraint=constraint),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0003_invitation_joinrequest"),
        ("schools", "0005_submit_keys_needs_answers"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The tables were created by bookings, which has let go of the models.
        ("bookings", "0009_school_events_and_settings_move_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SchoolEvent",
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
                        ("title", models.CharField(max_length=150, verbose_name="title")),
                        (
                            "description",
                            models.TextField(
                                blank=True, max_length=3000, verbose_name="description"
                            ),
                        ),
                        ("starts_on", models.DateField(verbose_name="from")),
                        ("ends_on", models.DateField(verbose_name="to")),
                        (
                            "grade_min",
                            models.PositiveSmallIntegerField(
                                default=0, validators=GRADES, verbose_name="from grade"
                            ),
                        ),
                        (
                            "grade_max",
                            models.PositiveSmallIntegerField(
                                default=10, validators=GRADES, verbose_name="to grade"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        (
                            "submit_key",
                            models.UUIDField(
                                blank=True, editable=False, null=True, verbose_name="form key"
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "school",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="schools.school",
                                verbose_name="school",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "school event",
                        "verbose_name_plural": "school events",
                        "ordering": ["starts_on"],
                        "db_table": "bookings_schoolevent",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("ends_on__gte", models.F("starts_on"))),
                                name="bookings_schoolevent_dates",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("grade_min__lte", models.F("grade_max"))),
                                name="bookings_schoolevent_grades",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("submit_key__isnull", False)),
                                fields=("created_by", "submit_key"),
                                name="bookings_schoolevent_submitted_once",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="EventParticipation",
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
                        ("message", models.TextField(max_length=2000, verbose_name="message")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        (
                            "submit_key",
                            models.UUIDField(
                                blank=True, editable=False, null=True, verbose_name="form key"
                            ),
                        ),
                        (
                            "association",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="associations.association",
                                verbose_name="association",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "offer",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="associations.offer",
                                verbose_name="offer",
                            ),
                        ),
                        (
                            "event",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="participations",
                                to="schools.schoolevent",
                                verbose_name="event",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "offer to take part",
                        "verbose_name_plural": "offers to take part",
                        "db_table": "bookings_eventparticipation",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("event", "association"),
                                name="bookings_participation_once",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="schoolevent", table=None),
        migrations.AlterModelTable(name="eventparticipation", table=None),
        *renamed(
            "schoolevent",
            "bookings_schoolevent_dates",
            models.CheckConstraint(
                condition=models.Q(("ends_on__gte", models.F("starts_on"))),
                name="schools_schoolevent_dates",
            ),
        ),
        *renamed(
            "schoolevent",
            "bookings_schoolevent_grades",
            models.CheckConstraint(
                condition=models.Q(("grade_min__lte", models.F("grade_max"))),
                name="schools_schoolevent_grades",
            ),
        ),
        *renamed(
            "schoolevent",
            "bookings_schoolevent_submitted_once",
            models.UniqueConstraint(
                condition=models.Q(("submit_key__isnull", False)),
                fields=("created_by", "submit_key"),
                name="schools_schoolevent_submitted_once",
            ),
        ),
        *renamed(
            "eventparticipation",
            "bookings_participation_once",
            models.UniqueConstraint(
                fields=("event", "association"), name="schools_participation_once"
            ),
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
