from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand


def record_labels():
    """Every model of the app whose rows are records, not the history kept of them."""
    return [
        model._meta.label
        for model in apps.get_app_config("visits").get_models()
        if not model._meta.db_table.startswith("visits_historical")
    ]


class Command(BaseCommand):
    help = (
        "Write every record (countries, organizations, people, sources, visits and all that "
        "belongs to them) as JSON with natural keys, for loaddata into any database. The "
        "history of changes is not included: it is in the database's own backup (pg_dump)."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="A file to write to (default: stdout).")
        parser.add_argument("--indent", type=int, default=None)

    def handle(self, *args, output, indent, **options):
        call_command(
            "dumpdata",
            *record_labels(),
            natural_foreign=True,
            natural_primary=True,
            indent=indent,
            output=output,
            stdout=self.stdout,
            verbosity=options["verbosity"],
        )
