"""Reminder rules for partnerships' status meetings: the kind, and the default rule (three days
before) for every existing municipality (new ones get it by signal)."""

from django.db import migrations, models

# (kind, days, anchor, recipients); a copy of the meeting rule in DEFAULT_RULES at this time.
MEETING_RULE = ("partnerships.meeting_reminder", 3, "before_start", "both")


def create_rules(apps, schema_editor):
    Municipality = apps.get_model("municipalities", "Municipality")
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    kind, days, anchor, recipients = MEETING_RULE
    for municipality in Municipality.objects.all():
        ReminderRule.objects.get_or_create(
            municipality=municipality,
            kind=kind,
            anchor=anchor,
            days=days,
            defaults={"recipients": recipients},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0005_fewer_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reminderrule",
            name="kind",
            field=models.CharField(
                choices=[
                    ("booking.reminder", "Reminder before the occasion"),
                    ("booking.evaluation", "Request to evaluate the occasion"),
                    ("partnerships.meeting_reminder", "Reminder before a status meeting"),
                ],
                max_length=30,
                verbose_name="message",
            ),
        ),
        migrations.RunPython(create_rules, migrations.RunPython.noop),
    ]
