import json
from pathlib import Path

import pytest
from django.conf import settings

# Tests that drive a browser, start servers or many processes, or generate hundreds of cases:
# `make test-fast` leaves them out (marker "slow"); `make test` runs everything.
SLOW = {
    "browser",
    "test_fuzz.py",
    "test_processes.py",
    "test_import_concurrency.py",
    "test_slow_clients.py",
}


def pytest_runtest_setup(item):
    """A test that starts a database of its own (a SQLite file, a PostgreSQL database) does
    the same whatever the suite's database is: it runs in the suite's pass on its kind, not
    again in the other."""
    suite = "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"
    for marker in item.iter_markers("database_of_its_own"):
        vendor = marker.args[0]
        if vendor != suite:
            pytest.skip(f"has a {vendor} database of its own: runs when the suite is on {vendor}")


# Tests render templates with {% static %} without running collectstatic first.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The test databases, with the copy that serialized_rollback restores after each
    transactional test (the browser tests) made without the countries' 43,000 ISO 3166 names:
    Django restores that copy object by object, and with the names it took about ten seconds a
    test. No transactional test searches by a country's name in another language."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            connection._test_serialized_contents = without_iso_names(contents)


def without_iso_names(contents):
    entries = json.loads(contents)
    kept = [
        entry
        for entry in entries
        if not (entry["model"] == "visits.countryname" and entry["fields"]["origin"] == "iso")
    ]
    return json.dumps(kept)


@pytest.fixture
def article(db):
    """The seed article's records, loaded from the project's fixtures, with the other names
    (Azerbaijani, Uzbek, Russian) of its people, bodies and places."""
    from django.core.management import call_command

    call_command("loaddata", "azertac-2025-09-25-prosecutor-general-visit", verbosity=0)
    call_command("loaddata", "azertac-2025-09-25-names", verbosity=0)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Every test starts with empty caches (a shared Redis too, when CACHE_URL names one)."""
    from django.core.cache import caches

    for kept in caches.all():
        kept.clear()
    yield
    for kept in caches.all():
        kept.clear()


@pytest.fixture(autouse=True)
def data_version_moves_at_once(request):
    """On PostgreSQL the data version moves when a transaction commits (a deferred trigger,
    see visits.caching). A test that runs inside one transaction, rolled back at its end, never
    commits: there the trigger is made immediate, so that each write moves the version at once,
    as each commit does in production."""
    marker = request.node.get_closest_marker("django_db")
    if "db" not in request.fixturenames and marker is None:
        return
    request.getfixturevalue("_django_db_helper")
    from django.db import connection

    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS visits_move_version IMMEDIATE")


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = Path(item.fspath).relative_to(Path(__file__).parent).parts
        if SLOW & set(parts):
            item.add_marker(pytest.mark.slow)
