"""The folkeskole subjects, as data that operators can edit in the admin."""

from django.db import migrations

SUBJECTS = [
    ("dansk", "Dansk"),
    ("engelsk", "Engelsk"),
    ("tysk", "Tysk"),
    ("fransk", "Fransk"),
    ("matematik", "Matematik"),
    ("natur-teknologi", "Natur/teknologi"),
    ("biologi", "Biologi"),
    ("geografi", "Geografi"),
    ("fysik-kemi", "Fysik/kemi"),
    ("historie", "Historie"),
    ("kristendomskundskab", "Kristendomskundskab"),
    ("samfundsfag", "Samfundsfag"),
    ("idraet", "Idræt"),
    ("musik", "Musik"),
    ("billedkunst", "Billedkunst"),
    ("haandvaerk-design", "Håndværk og design"),
    ("madkundskab", "Madkundskab"),
    ("teknologiforstaaelse", "Teknologiforståelse"),
    ("understoettende", "Understøttende undervisning"),
    ("valgfag", "Valgfag"),
]


def add_subjects(apps, schema_editor):
    Subject = apps.get_model("associations", "Subject")
    for position, (slug, name) in enumerate(SUBJECTS):
        Subject.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("associations", "0001_initial")]
    operations = [migrations.RunPython(add_subjects, migrations.RunPython.noop)]
