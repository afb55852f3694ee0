"""A rejection reason is offered for one kind of item or for all. The default reasons A1–A4
are about an association and its offers; where a municipality still has them as they came
(the texts of migration 0004), they are offered for offers and profiles only."""

from django.db import migrations, models

OFFER_REASONS = {
    "A1": "Børns sikkerhed: børneattester eller tilsyn er ikke i orden",
    "A2": "Passer ikke til skolens undervisning eller elevernes alder",
    "A3": "Kommercielt indhold eller markedsføring frem for en aktivitet for eleverne",
    "A4": "Ikke en lokal forening eller klub i kommunen",
}


def scope_default_reasons(apps, schema_editor):
    RejectionReason = apps.get_model("screening", "RejectionReason")
    for code, text in OFFER_REASONS.items():
        RejectionReason.objects.filter(code=code, text=text).update(applies_to="offers")


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0004_default_rejection_reasons"),
    ]

    operations = [
        migrations.AddField(
            model_name="rejectionreason",
            name="applies_to",
            field=models.CharField(
                choices=[
                    ("all", "Every kind"),
                    ("offers", "Offers and association profiles"),
                    ("plans", "Action plans"),
                    ("knowledge", "Good examples and material"),
                ],
                default="all",
                max_length=20,
                verbose_name="offered for",
            ),
        ),
        migrations.RunPython(scope_default_reasons, migrations.RunPython.noop),
    ]
