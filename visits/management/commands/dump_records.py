import contextlib

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand

from visits.models import CountryName


def record_labels():
    """Every model of the app whose rows are records, not the history kept of them."""
    return [
        model._meta.label
        for model in apps.get_app_config("visits").get_models()
        if not model._meta.db_table.startswith("visits_historical")
    ]


def records(model):
    """The records of a model a backup holds: all of them, except the countries' ISO 3166
    names, which `migrate` (sync_countries) gives every database from pycountry."""
    queryset = model._default_manager.order_by(model._meta.pk.name)
    if model is CountryName:
        queryset = queryset.exclude(origin=CountryName.Origin.ISO)
    return queryset.iterator(chunk_size=2000)


class Command(BaseCommand):
    help = (
        "Write every record (countries, organizations, people, sources, visits and all that "
        "belongs to them) as JSON with natural keys, for loaddata into any database. The "
        "history of changes is not included: it is in the database's own backup (pg_dump); "
        "nor are the countries' ISO 3166 names, which every database is given by migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="A file to write to (default: stdout).")
        parser.add_argument("--indent", type=int, default=None)

    def handle(self, *args, output, indent, **options):
        config = apps.get_app_config("visits")
        chosen = [apps.get_model(label) for label in record_labels()]
        # Natural keys name what a record points to, so what is pointed to comes first.
        ordered = serializers.sort_dependencies([(config, chosen)], allow_cycles=True)

        def objects():
            for model in ordered:
                yield from records(model)

        self.stdout.ending = None  # the serializer writes in pieces, as dumpdata does
        with contextlib.ExitStack() as stack:
            stream = (
                stack.enter_context(open(output, "w", encoding="utf-8")) if output else self.stdout
            )
            serializers.serialize(
                "json",
                objects(),
                indent=indent,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
                stream=stream,
            )
