"""pg_trgm for typo-tolerant search (TrigramWordSimilarity). Django's CreateExtension
does nothing on databases other than PostgreSQL, so SQLite development is unaffected.

No GIN index here: the catalog's search vector spans offer and association (a join), so an
expression index could not serve it, and the similarity is computed on the few hundred
published offers of one municipality after the indexed filters have run."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [TrigramExtension()]
