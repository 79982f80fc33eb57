import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection


class Command(BaseCommand):
    help = "Check that the database can be reached; one clear line and status 1 if not."

    requires_system_checks = []

    def handle(self, *args, **options):
        try:
            connection.ensure_connection()
        except DatabaseError as error:
            database = settings.DATABASES["default"]
            where = database.get("HOST") or database.get("NAME")
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
            self.stderr.write(
                f"Cannot reach the database ({database['ENGINE'].rsplit('.', 1)[-1]} at "
                f"{where}): {reason}. Check DATABASE_URL and that the server is running."
            )
            sys.exit(1)
        self.stdout.write("The database is reachable.")
