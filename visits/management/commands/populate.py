import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def fixture_files():
    """The project's fixtures, in name order."""
    return sorted(path for folder in settings.FIXTURE_DIRS for path in Path(folder).glob("*.json"))


def records_present(path):
    """How many of a fixture's records (those with a slug) the database holds, and of how many."""
    present = total = 0
    for entry in json.loads(path.read_text(encoding="utf-8")):
        slug = entry.get("fields", {}).get("slug")
        if not slug:
            continue
        total += 1
        model = apps.get_model(entry["model"])
        present += model._default_manager.filter(slug=slug).exists()
    return present, total


class Command(BaseCommand):
    help = (
        "Fill the database with the project's own data: each fixture in fixtures/ is loaded "
        "only when none of its records is in the database yet. A fixture whose records are "
        "there (loaded before, perhaps edited since) is left alone, so running this again "
        "never overwrites an editor's work."
    )

    def handle(self, *args, **options):
        for path in fixture_files():
            present, total = records_present(path)
            if present == 0:
                call_command("loaddata", str(path), verbosity=0)
                self.stdout.write(f"{path.name}: loaded ({total} records).")
            elif present == total:
                self.stdout.write(f"{path.name}: already in the database; left as it is.")
            else:
                self.stdout.write(
                    f"{path.name}: {present} of its {total} records are in the database "
                    "already; nothing loaded, so that no edit is overwritten."
                )
