from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from visits.importing.csvreader import CsvReader
from visits.importing.progress import Progress
from visits.importing.records import VisitWriter
from visits.models import Country


class Command(BaseCommand):
    help = (
        "Import visits from a CSV file in the export's format (UTF-8, with or without BOM). "
        "Every row is checked first; if any is bad, they are listed as 'line N: reason' and "
        "nothing is imported. Visits are keyed on their slug: running it again updates them."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="The CSV file.")

    def handle(self, *args, file, **options):
        try:
            text = Path(file).read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}.") from None
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text ({error}).") from None

        countries = {country.code: country for country in Country.objects.all()}
        reader = CsvReader(countries).read(text)
        if reader.errors:
            for message in reader.messages:
                self.stderr.write(message)
            raise CommandError(
                f"{len(reader.errors)} problems in {file} (listed above); nothing was imported."
            )

        with transaction.atomic():
            progress = Progress(self.stdout, len(reader.records), "Saving")
            counts = VisitWriter(countries, key="slug").save(reader.records, progress=progress)
            progress.close()
        self.stdout.write(
            f"Visits: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged."
        )
        self.stdout.write(
            f"New people: {counts['people created']}, organizations: "
            f"{counts['organizations created']}, sources: {counts['sources created']}; "
            f"sources updated: {counts['sources updated']}."
        )
