"""Give every existing municipality the default reminder rules (new ones get them by signal)."""

from django.db import migrations

# (kind, days, anchor, recipients); a copy of notifications.reminders.DEFAULT_RULES at this time.
DEFAULT_RULES = [
    ("booking.reminder", 7, "before_start", "both"),
    ("booking.reminder", 1, "before_start", "both"),
    ("booking.evaluation", 1, "after_end", "both"),
]


def create_rules(apps, schema_editor):
    Municipality = apps.get_model("municipalities", "Municipality")
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for municipality in Municipality.objects.all():
        for kind, days, anchor, recipients in DEFAULT_RULES:
            ReminderRule.objects.get_or_create(
                municipality=municipality,
                kind=kind,
                anchor=anchor,
                days=days,
                defaults={"recipients": recipients},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_preferences_reminder_rules"),
    ]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
