"""Caching that holds in every process: the data version, one way to remember a value, one
timeout, and HTTP validators built on them.

The data version is a number in a one-row table of the database (visits_dataversion) that the
database itself moves, by triggers, in the same transaction as any write to this app's tables:
a save in the admin, a bulk import, loaddata, a management command, raw SQL. Every cached value
is kept under a key that holds the version it was computed at, so after any commit the very
next request, in any process on any machine, reads the new version and computes afresh; the old
entries are never read again and expire. A request reads the version once, when something
first asks for it.

The table is not a Django model on purpose: dumpdata, loaddata and flush never see it, so a
restored backup or a test's flush cannot set the version back to a number an older cache entry
was keyed on. It starts from the current time in microseconds, and only ever grows.

On PostgreSQL, a statement that writes notes the change in visits_datachange; a deferred
constraint trigger moves the version when the transaction commits. Writers therefore queue on
the version row only for the instant of their commit, never for the length of an import, and
cannot deadlock on it. SQLite has one writer at a time and row triggers only: each written row
moves the version at once, inside the writer's transaction.

The cache is Django's (CACHES, from CACHE_URL): one Redis shared by every process where several
serve, else each process's own memory. Both are correct, because the version decides.
"""

import contextvars
import functools
import hashlib
import logging
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import get_language

TIMEOUT = 60 * 60 * 24  # seconds; a new data version retires entries long before
VERSION_TABLE = "visits_dataversion"
CHANGE_TABLE = "visits_datachange"
MISSING = object()

logger = logging.getLogger(__name__)

# The version as read by the current request: a one-item list while a request runs (empty
# until read), None outside requests (management commands and tests read it every time).
_request_version = contextvars.ContextVar("visits_data_version", default=None)


def read_version(using="default"):
    """The data version as the database has it now."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT version FROM {VERSION_TABLE} WHERE id = 1")
        row = cursor.fetchone()
        if row is None:
            cursor.execute(
                f"INSERT INTO {VERSION_TABLE} (id, version) VALUES (1, %s) "
                "ON CONFLICT (id) DO NOTHING",
                [time.time_ns() // 1000],
            )
            cursor.execute(f"SELECT version FROM {VERSION_TABLE} WHERE id = 1")
            row = cursor.fetchone()
    return row[0]


def data_version():
    """The data version: read once per request, and afresh on every call outside one."""
    memo = _request_version.get()
    if memo is None:
        return read_version()
    if not memo:
        memo.append(read_version())
    return memo[0]


class DataVersionMiddleware:
    """Gives each request its own reading of the data version (taken when first needed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_version.set([])
        try:
            return self.get_response(request)
        finally:
            _request_version.reset(token)


def digest(*parts):
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]


def remember(key, compute, timeout=TIMEOUT):
    """compute()'s value, kept in the cache until the data version changes.

    `key` names the value (and whatever it depends on besides the records: a filter, a
    country); the version and the active language (values may hold drawn, translated text)
    are added here. A cache that cannot be reached is logged and the value computed: a page
    is slower then, never wrong or broken."""
    full_key = f"v{data_version()}:{get_language()}:{digest(key)}"
    try:
        value = cache.get(full_key, MISSING)
    except Exception:  # a cache server that is down must not take the site with it
        logger.warning("The cache could not be read; computing %s.", key, exc_info=True)
        return compute()
    if value is MISSING:
        value = compute()
        try:
            cache.set(full_key, value, timeout)
        except Exception:
            logger.warning("The cache could not be written (%s).", key, exc_info=True)
    return value


# HTTP validators --------------------------------------------------------------------------


@functools.cache
def release():
    """What identifies the code that renders the pages: DJANGO_RELEASE if set, else a digest of
    the templates and the Python sources, so that a deploy changes every ETag."""
    if settings.RELEASE:
        return settings.RELEASE
    root = Path(settings.BASE_DIR)
    hasher = hashlib.sha256()
    for folder, pattern in (("templates", "*.html"), ("visits", "*.py")):
        for path in sorted((root / folder).rglob(pattern)):
            hasher.update(str(path.relative_to(root)).encode())
            hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


def page_etag(request, *args, **kwargs):
    """A page's validator: the code, the data version, the address, the language and who is
    asking (staff see a link to the admin), so it changes whenever what the page shows can."""
    user = getattr(request, "user", None)
    staff = bool(user is not None and user.is_staff)
    return digest(release(), data_version(), request.get_full_path(), get_language(), staff)


def conditional(view):
    """Answers GET and HEAD with an ETag from page_etag and, when the client already holds that
    version (If-None-Match), with 304 Not Modified before anything is rendered. Only a 200 gets
    the validator: an error page is never revalidated."""
    from django.utils.cache import get_conditional_response

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        etag = quote_etag(page_etag(request, *args, **kwargs))
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response.headers.setdefault("ETag", etag)
            # Kept by browsers, but checked with the server before each use.
            patch_cache_control(response, no_cache=True)
        return response

    return wrapped


# The triggers that move the version -------------------------------------------------------


def tracked_tables():
    """This app's tables whose rows are records: every model's and many-to-many table, except
    the history kept of them (written together with the records)."""
    tables = []
    for model in apps.get_app_config("visits").get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.managed and not table.startswith("visits_historical"):
            tables.append(table)
    return sorted(set(tables))


POSTGRESQL_SETUP = [
    f"""CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (
        id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)""",
    f"CREATE TABLE IF NOT EXISTS {CHANGE_TABLE} (id bigserial PRIMARY KEY)",
    f"""CREATE OR REPLACE FUNCTION visits_note_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {CHANGE_TABLE} DEFAULT VALUES;
            RETURN NULL;
        END $$""",
    f"""CREATE OR REPLACE FUNCTION visits_move_version() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {VERSION_TABLE} SET version = version + 1 WHERE id = 1;
            DELETE FROM {CHANGE_TABLE} WHERE id = NEW.id;
            RETURN NULL;
        END $$""",
    f"DROP TRIGGER IF EXISTS visits_move_version ON {CHANGE_TABLE}",
    f"""CREATE CONSTRAINT TRIGGER visits_move_version AFTER INSERT ON {CHANGE_TABLE}
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION visits_move_version()""",
]
POSTGRESQL_TABLE = """CREATE OR REPLACE TRIGGER visits_note_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION visits_note_change()"""

SQLITE_SETUP = [
    f"""CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (
        id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)""",
]
SQLITE_TABLE = """CREATE TRIGGER IF NOT EXISTS {name} AFTER {operation} ON {table}
    BEGIN UPDATE {version_table} SET version = version + 1 WHERE id = 1; END"""


def install_triggers(using="default", **kwargs):
    """Create the version table and a trigger on every tracked table, where missing (after every
    migrate: a table that a migration rebuilt, or a new one, gets its trigger back)."""
    connection = connections[using]
    if not router.allow_migrate(using, "visits"):
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Only the tables there are: after `migrate visits zero`, none.
        existing = set(connection.introspection.table_names(cursor))
        tables = [table for table in tracked_tables() if table in existing]
        if connection.vendor == "postgresql":
            for statement in POSTGRESQL_SETUP:
                cursor.execute(statement)
            for table in tables:
                cursor.execute(POSTGRESQL_TABLE.format(table=quote(table)))
        elif connection.vendor == "sqlite":
            for statement in SQLITE_SETUP:
                cursor.execute(statement)
            for table in tables:
                for operation in ("INSERT", "UPDATE", "DELETE"):
                    name = quote(f"{table}_version_{operation.lower()}")
                    cursor.execute(
                        SQLITE_TABLE.format(
                            name=name,
                            operation=operation,
                            table=quote(table),
                            version_table=VERSION_TABLE,
                        )
                    )
        else:  # pragma: no cover - the project runs on SQLite and PostgreSQL
            raise NotImplementedError(f"No data version triggers for {connection.vendor}.")
    read_version(using)
