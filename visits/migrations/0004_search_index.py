"""Fill the search text of existing visits; on PostgreSQL, index the search vector (GIN).

SQLite has no GIN index or tsvector: there the search falls back to matching words in the
search text, and this migration only fills it."""

from django.db import migrations

INDEX = "visit_search_vector_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON visits_visit USING gin (search_vector)"
        )
    alias = schema_editor.connection.alias
    if apps.get_model("visits", "Visit").objects.using(alias).exists():
        from visits.models import Visit

        Visit.objects.using(alias).all().refresh_search_text()


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("visits", "0003_search")]

    operations = [migrations.RunPython(forwards, backwards)]
