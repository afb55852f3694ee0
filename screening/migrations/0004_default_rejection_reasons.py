"""Every municipality that exists gets the default coded rejection reasons it lacks.

New municipalities get them when they are created (``screening.reasons``). The texts are
frozen here in the portal's language as they were when this migration was written.
"""

from django.db import migrations

REASONS = [
    ("A1", "Børns sikkerhed: børneattester eller tilsyn er ikke i orden"),
    ("A2", "Passer ikke til skolens undervisning eller elevernes alder"),
    ("A3", "Kommercielt indhold eller markedsføring frem for en aktivitet for eleverne"),
    ("A4", "Ikke en lokal forening eller klub i kommunen"),
    ("A5", "Oplysninger mangler stadig efter en anmodning om ændringer"),
    ("A6", "Anden begrundelse (se uddybningen)"),
]


def add_reasons(apps, schema_editor):
    Municipality = apps.get_model("municipalities", "Municipality")
    RejectionReason = apps.get_model("screening", "RejectionReason")
    for municipality in Municipality.objects.all():
        have = set(
            RejectionReason.objects.filter(municipality=municipality).values_list("code", flat=True)
        )
        RejectionReason.objects.bulk_create(
            RejectionReason(municipality=municipality, code=code, text=text)
            for code, text in REASONS
            if code not in have
        )


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0003_consultant_group"),
        ("municipalities", "0002_school_year_settings_from_bookings"),
    ]

    operations = [migrations.RunPython(add_reasons, migrations.RunPython.noop)]
