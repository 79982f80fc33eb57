import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from visits.models import Visit

# The real data a fresh database gets: (dataset, folder of files import_hsg reads).
DATASETS = [("hsg-travels", Path(settings.BASE_DIR) / "fixtures" / "hsg" / "travels")]


def fixture_files():
    """The project's fixtures, in name order; the fixtures of other names (…-names.json) after
    the others, since their rows name the records those hold."""
    paths = (path for folder in settings.FIXTURE_DIRS for path in Path(folder).glob("*.json"))
    return sorted(paths, key=lambda path: (path.stem.endswith("-names"), path.name))


def records_present(path):
    """How many of a fixture's records the database holds, and of how many: those with a slug,
    or in a fixture of other names (which have none), each name."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    slugged = [entry for entry in entries if entry.get("fields", {}).get("slug")]
    present = 0
    for entry in slugged or entries:
        model = apps.get_model(entry["model"])
        present += entry_present(model, entry.get("fields", {}))
    return present, len(slugged or entries)


def entry_present(model, fields):
    """Whether the database holds a fixture's record: by its slug, else by all its fields
    (the records a field names by natural key looked up first)."""
    manager = model._default_manager
    if fields.get("slug"):
        return manager.filter(slug=fields["slug"]).exists()
    lookup = {}
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if field.is_relation and isinstance(value, list):
            try:
                value = field.related_model._default_manager.get_by_natural_key(*value)
            except ObjectDoesNotExist:
                return False
        lookup[name] = value
    return manager.filter(**lookup).exists()


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
                f"(`manage.py import_hsg {folder.relative_to(settings.BASE_DIR)}` updates them, "
                "keeping what editors changed)."
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
