"""The good examples' pictures move out of the public media folder: a draft's picture may
show pupils, so it is served only through the picture view, which checks who asks."""

from django.core.files.storage import default_storage
from django.db import migrations, models

import knowledge.models
import portal.uploads


def move_pictures(apps, schema_editor):
    """Each stored picture moves from the public media folder to the private one, under the
    same name (rows keep pointing at it); no public copy is left, also after a second run."""
    ItemPhoto = apps.get_model("knowledge", "ItemPhoto")
    private = knowledge.models.private_files
    for name in set(ItemPhoto.objects.values_list("image", flat=True)):
        if not name or not default_storage.exists(name):
            continue
        if not private.exists(name):
            with default_storage.open(name, "rb") as public_file:
                private.save(name, public_file)
        default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0003_consultants_remove_pictures"),
    ]

    operations = [
        migrations.AlterField(
            model_name="itemphoto",
            name="image",
            field=models.ImageField(
                storage=knowledge.models._private_storage,
                upload_to=portal.uploads.RandomUploadPath("knowledge-photos"),
                validators=[portal.uploads.validate_image],
                verbose_name="picture",
            ),
        ),
        migrations.RunPython(move_pictures, migrations.RunPython.noop),
    ]
