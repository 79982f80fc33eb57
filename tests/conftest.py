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
    """Country choices are cached; every test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
