"""What every import shares: one transaction, imports taking turns, failures told in one line.

- `import_transaction()` is the one transaction an import writes in. On PostgreSQL it first takes
  a transaction-level advisory lock (pg_advisory_xact_lock), so imports run one after another: a
  second import waits for the first to commit, then sees what it wrote (a file imported twice
  at once is imported once, then found unchanged). On SQLite the settings' IMMEDIATE
  transactions already let one writer in at a time. Either way a turn is waited for up to
  IMPORT_WAIT seconds (on SQLite, the busy timeout of the settings).
- `reported_failures(label)` turns what can go wrong outside the importer's control into a
  CommandError of one line that names the file: a problem with the file itself (ImportProblem:
  malformed XML, a NUL byte, bytes that are not UTF-8, a cell over the CSV reader's limit), the
  wait for another import running out, or the database refusing a write. Raised inside the
  transaction, each one rolls the whole import back, and the command exits with status 1.
"""

import contextlib
import zlib

from django.core.management.base import CommandError
from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    OperationalError,
    connection,
    transaction,
)

IMPORT_WAIT = 30  # seconds an import waits for another one on PostgreSQL
IMPORT_LOCK = zlib.crc32(b"visits.importing")  # the advisory lock's key, the same in every process


class ImportProblem(Exception):
    """A problem with the file itself, that stops the whole import."""

    def __init__(self, file, reason, line=None):
        super().__init__(reason)
        self.file, self.reason, self.line = file, reason, line

    def __str__(self):
        where = f"{self.file}, line {self.line}" if self.line else str(self.file)
        return f"{where}: {self.reason}"


def take_turn():
    """On PostgreSQL, wait (up to IMPORT_WAIT seconds) until no other import is running; the
    lock is held until the transaction ends."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout')")
        [previous] = cursor.fetchone()
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{IMPORT_WAIT}s"])
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])


@contextlib.contextmanager
def import_transaction():
    """The import's one transaction, begun when no other import is writing."""
    with transaction.atomic():
        take_turn()
        yield


def waited_too_long(error):
    """Whether a database error means another writer held the lock past the wait."""
    if connection.vendor == "postgresql":
        return getattr(error.__cause__, "sqlstate", None) == "55P03"  # lock_not_available
    return "database is locked" in str(error) or "database is busy" in str(error)


def first_line(error):
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


@contextlib.contextmanager
def reported_failures(label):
    """Failures of the file or the database as one line naming the file (label)."""
    try:
        yield
    except ImportProblem as problem:
        raise CommandError(f"{problem}; nothing was imported.") from None
    except OperationalError as error:
        if waited_too_long(error):
            wait = IMPORT_WAIT
            if connection.vendor == "sqlite":
                wait = connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)
            raise CommandError(
                f"{label}: another import is running (or another writer held the database "
                f"for over {wait} seconds); nothing was imported. Try again when it has finished."
            ) from None
        raise CommandError(
            f"{label}: the database failed ({first_line(error)}); nothing was imported."
        ) from None
    except (IntegrityError, DataError) as error:
        raise CommandError(
            f"{label}: the database refused a record ({first_line(error)}); nothing was imported."
        ) from None
    except DatabaseError as error:
        raise CommandError(
            f"{label}: the database failed ({first_line(error)}); nothing was imported."
        ) from None
