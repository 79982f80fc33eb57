"""The search's own indexes, which Django's model operations cannot say.

- On PostgreSQL, a GIN index of the visits' search vector.
- On SQLite, an FTS5 table with the trigram tokenizer over the visits' search text: it finds
  any run of three or more characters, as the search's LIKE '%word%' does, without reading every
  visit. It is an external-content table kept in step by triggers on every insert, update and
  delete, whatever makes them. A migration that makes SQLite rebuild visits_visit (adding a
  constraint does) drops the triggers with the table: it must run create_search_index() again
  (RunPython(create_search_index, RunPython.noop)); the search tests fail until it does.

Both functions take (apps, schema_editor), as RunPython calls them, and can run again safely.
"""

SEARCH_VECTOR_INDEX = "visit_search_vector_gin"
SEARCH_TABLE = "visits_visit_search"
CREATE_SEARCH_TABLE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5("
    "search_text, content='visits_visit', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_insert AFTER INSERT ON visits_visit BEGIN "
    f"INSERT INTO {SEARCH_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_delete AFTER DELETE ON visits_visit BEGIN "
    f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_update AFTER UPDATE OF search_text "
    f"ON visits_visit BEGIN INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {SEARCH_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')",
]
DROP_SEARCH_TABLE = [
    f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_update",
    f"DROP TABLE IF EXISTS {SEARCH_TABLE}",
]


def create_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SEARCH_VECTOR_INDEX} "
            "ON visits_visit USING gin (search_vector)"
        )
    elif vendor == "sqlite":
        for statement in CREATE_SEARCH_TABLE:
            schema_editor.execute(statement)


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_VECTOR_INDEX}")
    elif vendor == "sqlite":
        for statement in DROP_SEARCH_TABLE:
            schema_editor.execute(statement)
