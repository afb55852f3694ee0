"""Each area keeps the outline a map draws (``geojson.outline``): an official boundary of
20,000 points made /map/ weigh 842 kB."""

from django.db import migrations, models

from geo import geojson


def draw_outlines(apps, schema_editor):
    MapArea = apps.get_model("geo", "MapArea")
    for area in MapArea.objects.filter(outline__isnull=True).iterator():
        area.outline = geojson.outline(area.geometry)
        area.save(update_fields=["outline"])


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_consultant_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="maparea",
            name="outline",
            field=models.JSONField(editable=False, null=True, verbose_name="outline on the map"),
        ),
        migrations.RunPython(draw_outlines, migrations.RunPython.noop),
    ]
