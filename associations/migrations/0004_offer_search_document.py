"""Offers carry their full-text document, kept by PostgreSQL.

A trigger writes ``search_document`` on every insert of an offer (also by COPY and
bulk_create) and on every update that names its title, summary, description or
association; renaming an association rewrites its offers' documents. A GIN index lets the
catalog find matches without reading the text. On other databases the column stays empty
(the catalog searches with LIKE there).
"""

import django.contrib.postgres.search
from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION associations_offer_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('danish', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('danish', coalesce(
            (SELECT name FROM associations_association WHERE id = NEW.association_id), '')), 'B')
        || setweight(to_tsvector('danish', coalesce(NEW.summary, '')), 'B')
        || setweight(to_tsvector('danish', coalesce(NEW.description, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER associations_offer_search_document
    BEFORE INSERT OR UPDATE OF title, summary, description, association_id
    ON associations_offer
    FOR EACH ROW EXECUTE FUNCTION associations_offer_search_document();

CREATE OR REPLACE FUNCTION associations_association_name_to_offers() RETURNS trigger AS $$
BEGIN
    IF NEW.name IS DISTINCT FROM OLD.name THEN
        -- Naming the column fires the offers' own trigger.
        UPDATE associations_offer SET title = title WHERE association_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER associations_association_name_to_offers
    AFTER UPDATE OF name ON associations_association
    FOR EACH ROW EXECUTE FUNCTION associations_association_name_to_offers();

UPDATE associations_offer SET title = title;

CREATE INDEX associations_offer_search_idx ON associations_offer USING gin (search_document);
"""

BACKWARD = """
DROP INDEX IF EXISTS associations_offer_search_idx;
DROP TRIGGER IF EXISTS associations_association_name_to_offers ON associations_association;
DROP FUNCTION IF EXISTS associations_association_name_to_offers();
DROP TRIGGER IF EXISTS associations_offer_search_document ON associations_offer;
DROP FUNCTION IF EXISTS associations_offer_search_document();
"""


def on_postgresql(sql):
    """Run the statements (separated by blank lines) on PostgreSQL; nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in sql.strip().split("\n\n"):
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0003_invitation_joinrequest"),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
