"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, against the live server.

Nothing here downloads a browser. Without /usr/bin/chromium the browser tests are skipped.
"""

import io
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the main thread; the test code still uses the ORM.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
SEED_FIXTURE = "azertac-2025-09-25-prosecutor-general-visit"


@pytest.fixture(scope="session")
def browser(request):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's chromium package)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    serialized = serialized_database_contents(request)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        restore_serialized_database_contents(serialized)
        yield chromium
        chromium.close()


def serialized_database_contents(request):
    """The copy of each test database that serialized_rollback restores, taken after set-up.

    Django keeps database connections in an asgiref Local that is thread-local only while no
    event loop runs in the thread. Playwright's sync API leaves its loop running in the main
    thread, so once it has started, the tests get new connection objects, without the contents
    that Django serialized after the migrations; serialized_rollback would then restore nothing
    and the countries loaded by the data migration would be gone after the first flush.
    """
    request.getfixturevalue("django_db_setup")
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def restore_serialized_database_contents(serialized):
    from django.db import connections

    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def page_no_js(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def seed_data(live_server, transactional_db):
    """The seed article's records, in the database the live server reads."""
    from django.core.cache import cache
    from django.core.management import call_command

    from visits.models import Country

    assert Country.objects.filter(code__in=["AZ", "UZ"]).count() == 2, (
        "the countries from the data migration are missing; "
        "mark the test django_db(transaction=True, serialized_rollback=True)"
    )
    # The country choices are cached in memory; start every test from the data it loads.
    cache.clear()
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    yield
    cache.clear()


@pytest.fixture
def default_data(live_server, transactional_db):
    """What a fresh clone serves after `make run`: the article and the Historian's travels,
    loaded by the same command (populate), in the database the live server reads."""
    from django.core.cache import cache
    from django.core.management import call_command

    cache.clear()
    call_command("populate", stdout=io.StringIO())
    yield
    cache.clear()
