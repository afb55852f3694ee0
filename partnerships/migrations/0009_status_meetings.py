"""Status meetings of partnerships: the meeting, its participants and the minutes' status per goal."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0008_network_event_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StatusMeeting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("resource_person", "Status meeting with the resource person"),
                            ("board", "Status meeting with the board"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="starts")),
                ("ends_at", models.DateTimeField(verbose_name="ends")),
                ("place", models.CharField(max_length=200, verbose_name="place")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("planned", "Planned"),
                            ("held", "Held"),
                            ("cancelled", "Cancelled"),
                        ],
                        db_index=True,
                        default="planned",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                (
                    "agenda_notes",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="other points on the agenda"
                    ),
                ),
                (
                    "next_steps",
                    models.TextField(blank=True, max_length=4000, verbose_name="next steps"),
                ),
                (
                    "internal_notes",
                    models.TextField(
                        blank=True,
                        help_text="Only the municipality's consultants see these; never the partners.",
                        max_length=4000,
                        verbose_name="internal notes",
                    ),
                ),
                (
                    "minutes_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="minutes written"),
                ),
                (
                    "minutes_key",
                    models.UUIDField(blank=True, null=True, verbose_name="form key of the minutes"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "submit_key",
                    models.UUIDField(
                        blank=True, editable=False, null=True, verbose_name="form key"
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="scheduled by",
                    ),
                ),
                (
                    "minutes_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="minutes written by",
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="status_meetings",
                        to="partnerships.partnership",
                        verbose_name="partnership",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="partnerships.actionplan",
                        verbose_name="action plan",
                    ),
                ),
            ],
            options={
                "verbose_name": "status meeting",
                "verbose_name_plural": "status meetings",
                "ordering": ["starts_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="MeetingParticipant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                (
                    "side",
                    models.CharField(
                        choices=[
                            ("municipality", "Municipality"),
                            ("partner", "Partner"),
                            ("school", "School"),
                        ],
                        max_length=12,
                        verbose_name="side",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="status_meeting_invitations",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participants",
                        to="partnerships.statusmeeting",
                        verbose_name="status meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "participant",
                "verbose_name_plural": "participants",
                "ordering": ["side", "name", "id"],
            },
        ),
        migrations.CreateModel(
            name="GoalStatus",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("focus_area", models.CharField(max_length=150, verbose_name="focus area")),
                ("description", models.TextField(max_length=1000, verbose_name="goal")),
                ("target", models.CharField(blank=True, max_length=100, verbose_name="target")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("on_track", "On track"),
                            ("behind", "Behind"),
                            ("reached", "Reached"),
                            ("dropped", "Dropped"),
                        ],
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("note", models.TextField(blank=True, max_length=2000, verbose_name="note")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "goal",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="partnerships.goal",
                        verbose_name="goal",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="goal_statuses",
                        to="partnerships.statusmeeting",
                        verbose_name="status meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "status of a goal",
                "verbose_name_plural": "statuses of goals",
                "ordering": ["position", "id"],
            },
        ),
        migrations.AddConstraint(
            model_name="statusmeeting",
            constraint=models.UniqueConstraint(
                condition=models.Q(("submit_key__isnull", False)),
                fields=("partnership", "submit_key"),
                name="partnerships_meeting_submitted_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="statusmeeting",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                name="partnerships_meeting_ends_after_start",
                violation_error_message="The meeting must end after it starts.",
            ),
        ),
        migrations.AddConstraint(
            model_name="meetingparticipant",
            constraint=models.UniqueConstraint(
                condition=models.Q(("email", ""), _negated=True),
                fields=("meeting", "email"),
                name="partnerships_participant_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="goalstatus",
            constraint=models.UniqueConstraint(
                condition=models.Q(("goal__isnull", False)),
                fields=("meeting", "goal"),
                name="partnerships_goalstatus_once",
            ),
        ),
    ]
