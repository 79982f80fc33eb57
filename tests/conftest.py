import pytest
from django.conf import settings

# Tests render templates with {% static %} without running collectstatic first.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture
def article(db):
    """The seed article's records, loaded from the project's fixtures."""
    from django.core.management import call_command

    call_command("loaddata", "azertac-2025-09-25-prosecutor-general-visit", verbosity=0)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Every test starts with an empty cache (a shared Redis too, when CACHE_URL names one)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
