"""One file imported by twenty processes at once: imports take turns, none crashes, and the
database ends with exactly one copy of each visit.

Each case makes a database of its own for the processes (`manage.py migrate` in a subprocess):
an SQLite file always; a PostgreSQL database, created and dropped here, when the suite runs on
PostgreSQL (its server and user are the test database's). An import that waited too long for
another one says so in one line and exits with status 1.
"""

import csv
import io
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from visits.csvformat import VISIT_COLUMNS
from visits.importing import guard

PROCESSES = 20
ROWS = 60
MANAGE = Path(settings.BASE_DIR) / "manage.py"
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
needs_postgresql = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="the suite runs on SQLite (set DATABASE_URL to a PostgreSQL one)"
)


def visits_file(path):
    """ROWS visits, each with a head, an organization and a source, some of them shared."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(VISIT_COLUMNS)
        for number in range(ROWS):
            values = {
                "slug": f"visit-{number}",
                "title": f"Visit {number}",
                "kind": "official",
                "guest": "AZ",
                "host": "UZ",
                "start_date": f"2024-01-{number % 28 + 1:02d}",
                "head": f"Minister {number % 7}",
                "head_office": "Minister",
                "organization": f"Ministry {number % 5}",
                "source_title": f"Report {number}",
                "source_publisher": "Trend",
                "source_url": f"https://example.org/report/{number % 11}",
                "dataset": "test",
                "record_id": str(number),
            }
            writer.writerow([values.get(name, "") for name in VISIT_COLUMNS])
    return path


def environment(database_url, **extra):
    env = {**os.environ, "DATABASE_URL": database_url, **extra}
    env.setdefault("DJANGO_SECRET_KEY", "test")
    env.pop("DJANGO_DEBUG", None)
    return env


def manage(env, *args, check=True):
    return subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )


def import_at_once(env, path):
    """Start PROCESSES imports of the file together; each one's exit status and output."""
    processes = [
        subprocess.Popen(
            [sys.executable, str(MANAGE), "import_csv", str(path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    results = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=300)
        results.append((process.returncode, stdout, stderr))
    return results


def check_outcomes(results):
    created = unchanged = busy = 0
    for status, stdout, stderr in results:
        assert "Traceback" not in stderr, stderr
        assert "Error" not in stderr.replace("CommandError", ""), stderr
        if status == 0:
            if f"Visits: {ROWS} created, 0 updated, 0 unchanged." in stdout:
                created += 1
            else:
                assert f"Visits: 0 created, 0 updated, {ROWS} unchanged." in stdout, stdout
                unchanged += 1
        else:
            assert status == 1, (status, stderr)
            lines = stderr.strip().splitlines()
            assert len(lines) == 1 and "another import is running" in lines[0], stderr
            busy += 1
    assert created == 1, results
    assert created + unchanged + busy == PROCESSES
    return created, unchanged, busy


COUNTS = {
    "visits": "SELECT COUNT(*), COUNT(DISTINCT slug) FROM visits_visit",
    "delegations": "SELECT COUNT(*), COUNT(DISTINCT visit_id) FROM visits_delegation",
    "people": "SELECT COUNT(*), COUNT(DISTINCT slug) FROM visits_person",
    "organizations": "SELECT COUNT(*), COUNT(DISTINCT slug) FROM visits_organization",
    "sources": "SELECT COUNT(*), COUNT(DISTINCT url) FROM visits_source",
    "links": "SELECT COUNT(*), COUNT(DISTINCT visit_id) FROM visits_visit_sources",
    "visit history": "SELECT COUNT(*), COUNT(DISTINCT id) FROM visits_historicalvisit",
}
# One of each: ROWS visits and delegations, 7 people, 5 ministries and the publisher, 11
# sources (one per URL), one link a visit, and one history record a visit (its creation).
EXPECTED = {
    "visits": (ROWS, ROWS),
    "delegations": (ROWS, ROWS),
    "people": (7, 7),
    "organizations": (6, 6),
    "sources": (11, 11),
    "links": (ROWS, ROWS),
    "visit history": (ROWS, ROWS),
}


def counts(cursor):
    found = {}
    for name, query in COUNTS.items():
        cursor.execute(query)
        found[name] = tuple(cursor.fetchone())
    return found


@pytest.fixture
def sqlite_database(tmp_path):
    path = tmp_path / "imports.sqlite3"
    env = environment(f"sqlite:///{path}")
    manage(env, "migrate", "--verbosity", "0")
    return path, env


@pytest.fixture
def postgresql_database():
    import psycopg

    default = settings.DATABASES["default"]
    name = f"visits_imports_{uuid.uuid4().hex[:12]}"
    server = {
        "host": default.get("HOST") or "localhost",
        "port": default.get("PORT") or 5432,
        "user": default.get("USER") or None,
        "password": default.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    credentials = quote(server["user"] or "", safe="")
    if server["password"]:
        credentials += ":" + quote(server["password"], safe="")
    url = f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
    env = environment(url)
    try:
        manage(env, "migrate", "--verbosity", "0")
        with psycopg.connect(dbname=name, autocommit=True, **server) as connection:
            yield connection, env
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.database_of_its_own("sqlite")
def test_twenty_imports_of_one_file_on_sqlite(sqlite_database, tmp_path):
    path, env = sqlite_database

    results = import_at_once(env, visits_file(tmp_path / "visits.csv"))

    check_outcomes(results)
    with sqlite3.connect(path) as connection:
        assert counts(connection.cursor()) == EXPECTED


@needs_postgresql
def test_twenty_imports_of_one_file_on_postgresql(postgresql_database, tmp_path):
    connection, env = postgresql_database

    results = import_at_once(env, visits_file(tmp_path / "visits.csv"))

    _, _, busy = check_outcomes(results)
    assert busy == 0, "on PostgreSQL imports wait for their turn"
    assert counts(connection.cursor()) == EXPECTED


@pytest.mark.database_of_its_own("sqlite")
def test_an_import_that_waits_too_long_on_sqlite_says_so_in_one_line(sqlite_database, tmp_path):
    path, env = sqlite_database
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another writer holds the database
    try:
        started = time.monotonic()
        result = manage(
            {**env, "DJANGO_SQLITE_TIMEOUT": "1"},
            "import_csv",
            str(visits_file(tmp_path / "visits.csv")),
            check=False,
        )
        waited = time.monotonic() - started
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "visits.csv: another import is running" in line
    assert "nothing was imported" in line
    assert waited < 30
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM visits_visit").fetchone() == (0,)


@needs_postgresql
@pytest.mark.django_db
def test_an_import_that_waits_too_long_on_postgresql_says_so_in_one_line(tmp_path, monkeypatch):
    import psycopg

    from visits.models import Visit

    default = settings.DATABASES["default"]
    monkeypatch.setattr(guard, "IMPORT_WAIT", 1)
    holder = psycopg.connect(
        dbname=default["NAME"],
        host=default.get("HOST") or "localhost",
        port=default.get("PORT") or 5432,
        user=default.get("USER") or None,
        password=default.get("PASSWORD") or None,
        autocommit=True,
    )
    holder.execute("SELECT pg_advisory_lock(%s)", [guard.IMPORT_LOCK])  # another import
    try:
        with pytest.raises(CommandError) as raised:
            call_command(
                "import_csv",
                str(visits_file(tmp_path / "visits.csv")),
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
    finally:
        holder.close()

    message = str(raised.value)
    assert "visits.csv: another import is running" in message
    assert "\n" not in message
    assert not Visit.objects.exists()
