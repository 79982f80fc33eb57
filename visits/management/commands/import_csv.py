from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from visits.importing import edits
from visits.importing.csvreader import CsvReader
from visits.importing.guard import import_transaction, reported_failures
from visits.importing.progress import Progress
from visits.importing.records import VisitWriter, people_summary
from visits.models import Country


class Command(BaseCommand):
    help = (
        "Import visits from a CSV file in the export's format (UTF-8, with or without BOM). "
        "Every row is checked first; if any is bad, they are listed as 'line N: reason' and "
        "nothing is imported. Visits are keyed on their slug: running it again updates them, "
        "except those an editor has changed, which are kept unless --replace-edits is given. "
        "The file is read twice, a row at a time, and saved in one transaction; one import "
        "runs at a time."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="The CSV file.")
        edits.add_argument(parser)

    def handle(self, *args, file, replace_edits, **options):
        path = Path(file)
        try:
            size = path.stat().st_size
            path.open("rb").close()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}.") from None

        with reported_failures(file), import_transaction():
            countries = {country.code: country for country in Country.objects.all()}
            reader = CsvReader(countries, path)
            progress = Progress(self.stdout, size, "Checking", unit="bytes")
            reader.check(progress)
            progress.close()
            if reader.error_count:
                for message in reader.messages:
                    self.stderr.write(message)
                raise CommandError(
                    f"{reader.error_count} problems in {file} (listed above); nothing was imported."
                )

            progress = Progress(self.stdout, reader.count, "Saving")
            writer = VisitWriter(
                countries,
                key="slug",
                reason=f"import_csv {path.name}",
                keep_edits=not replace_edits,
            )
            counts = writer.save(reader.records(), progress=progress)
            progress.close()
        self.stdout.write(edits.counts_line(counts))
        self.stdout.write(people_summary(counts))
        if writer.kept:
            self.stdout.write(edits.kept_report(writer))
