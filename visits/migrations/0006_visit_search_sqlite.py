"""On SQLite, a full-text index of the visits' search text: an FTS5 table with the trigram
tokenizer, which finds any run of three or more characters, as the search's LIKE '%word%'
does, without reading every visit (PostgreSQL has its GIN index on the search vector instead).

It is an external-content table over visits_visit, kept in step by triggers on every insert,
update and delete, whatever makes them (the admin, refresh_search_text(), the importers,
generate_demo). A migration that makes SQLite rebuild visits_visit drops the triggers with the
table: it must run create_search_index() again; the search tests fail until it does.
"""

from django.db import migrations

TABLE = "visits_visit_search"

CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "search_text, content='visits_visit', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON visits_visit BEGIN "
    f"INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON visits_visit BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE OF search_text ON visits_visit "
    f"BEGIN INSERT INTO {TABLE}({TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]
DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_update",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("visits", "0005_visit_last_day")]

    operations = [migrations.RunPython(create_search_index, drop_search_index)]
