"""Items carry their full-text document, kept by PostgreSQL (as offers do, associations
0004): a trigger writes ``search_document`` from the title, summary and text on every insert
and on every update that names them; a GIN index lets the search find matches without
reading the text. On other databases the column stays empty (the search uses LIKE there).

The Consultant group (screening 0003) may add and change the knowledge bank's categories,
tags, items and pictures in the admin, never delete them (as partnerships 0002)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION knowledge_item_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('danish', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('danish', coalesce(NEW.summary, '')), 'B')
        || setweight(to_tsvector('danish', coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER knowledge_item_search_document
    BEFORE INSERT OR UPDATE OF title, summary, body
    ON knowledge_item
    FOR EACH ROW EXECUTE FUNCTION knowledge_item_search_document();

UPDATE knowledge_item SET title = title;

CREATE INDEX knowledge_item_search_idx ON knowledge_item USING gin (search_document);
"""

BACKWARD = """
DROP INDEX IF EXISTS knowledge_item_search_idx;
DROP TRIGGER IF EXISTS knowledge_item_search_document ON knowledge_item;
DROP FUNCTION IF EXISTS knowledge_item_search_document();
"""

GROUP = "Consultant"
CODENAMES = [
    f"{action}_{model}"
    for model in ("category", "tag", "item", "itemphoto")
    for action in ("view", "add", "change")
]


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in sql.strip().split("\n\n"):
                schema_editor.execute(statement)

    return run


def grant(apps, schema_editor):
    config = global_apps.get_app_config("knowledge")
    create_contenttypes(config, verbosity=0, apps=apps)
    create_permissions(config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="knowledge", codename__in=CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_initial"),
        ("screening", "0003_consultant_group"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
