"""Indexes in the order the meeting and agreement lists are read: newest first, undated last,
then by slug (their Meta.ordering). Without them a database sorts every meeting to show fifty
(780,000 of them with a million visits: 105 ms).

PostgreSQL puts NULLs first in a descending index unless told NULLS LAST; SQLite does not accept
NULLS LAST in an index but puts NULLs last in descending order anyway. Django writes NULLS LAST
for both, so the indexes are made here rather than in Meta.indexes.
"""

from django.db import migrations

INDEXES = {
    "meeting_order_idx": ("visits_meeting", "date"),
    "agreement_order_idx": ("visits_agreement", "signed_on"),
}


def create_indexes(apps, schema_editor):
    nulls_last = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column} DESC{nulls_last}, slug)"
        )


def drop_indexes(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("visits", "0006_visit_search_sqlite")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
