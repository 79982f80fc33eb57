import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from visits.models import Visit

# The real data a fresh database gets: (dataset, folder of files import_hsg reads).
DATASETS = [("hsg-travels", Path(settings.BASE_DIR) / "fixtures" / "hsg" / "travels")]


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
        "Fill the database with the project's own data: each fixture in fixtures/ is loaded, "
        "and the Office of the Historian's travels (fixtures/hsg/travels) imported, only when "
        "none of its records is in the database yet. Data already there (loaded before, "
        "perhaps edited since) is left alone, so running this again never overwrites an "
        "editor's work."
    )

    def handle(self, *args, **options):
        for path in fixture_files():
            self.load_fixture(path)
        for dataset, folder in DATASETS:
            self.import_dataset(dataset, folder)

    def load_fixture(self, path):
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

    def import_dataset(self, dataset, folder):
        present = Visit.objects.filter(dataset=dataset).count()
        if present:
            self.stdout.write(
                f"{dataset}: {present} visits already in the database; left as they are "
                f"(`manage.py import_hsg {folder.relative_to(settings.BASE_DIR)}` updates them)."
            )
            return
        if not folder.is_dir():
            self.stderr.write(f"{dataset}: {folder} is missing; nothing imported.")
            return
        self.stdout.write(f"{dataset}: importing {folder.relative_to(settings.BASE_DIR)} …")
        try:
            call_command("import_hsg", str(folder), stdout=self.stdout, stderr=self.stderr)
        except CommandError as error:
            # Records the importer rejected are listed above; the others are in.
            self.stderr.write(f"{dataset}: {error}")
