from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from visits.importing import edits
from visits.importing.guard import import_transaction, reported_failures
from visits.importing.hsg import HsgReader
from visits.importing.progress import Progress
from visits.importing.records import VisitWriter, people_summary
from visits.journeys import find_journeys
from visits.models import Country


def xml_files(paths):
    """The XML files named, or found (recursively, in order) under the directories named."""
    files = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(sorted(path.rglob("*.xml")))
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"{name}: no such file or directory.")
    if not files:
        raise CommandError("No XML files found in " + ", ".join(paths) + ".")
    return files


class Command(BaseCommand):
    help = (
        "Import the US Office of the Historian's travels of the President and of the Secretary "
        "of State and its visits by foreign leaders (XML files, or directories searched for "
        "*.xml). Records are keyed on dataset and id: running it again updates them, except "
        "the visits an editor has changed, kept unless --replace-edits is given. Records "
        "that cannot be mapped are rejected and listed, the others imported, and the exit "
        "status is then 1. Files are read as a stream; everything runs in one transaction, and "
        "one import runs at a time. A file that is not well-formed XML stops the import: "
        "nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="An XML file or a directory.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Do all the work, then roll it back."
        )
        edits.add_argument(parser)

    def handle(self, *args, paths, dry_run, replace_edits, **options):
        files = xml_files(paths)
        label = files[0] if len(files) == 1 else ", ".join(paths)
        with reported_failures(label), import_transaction():
            countries = {country.code: country for country in Country.objects.all()}
            reader = HsgReader(countries)
            size = sum(path.stat().st_size for path in files)
            progress = Progress(self.stdout, size, "Reading", unit="bytes")
            writer = VisitWriter(
                countries, key="record", reason="import_hsg", keep_edits=not replace_edits
            )
            writer.save(reader.read(files, progress=progress))
            progress.close()
            journeys = find_journeys()
            if dry_run:
                transaction.set_rollback(True)

        self.report(files, reader, writer, dry_run)
        self.stdout.write(journeys.summary() + ".")
        if reader.rejected:
            raise CommandError(
                f"{len(reader.rejected)} records were rejected (listed above); "
                "the others were imported."
                if not dry_run
                else f"{len(reader.rejected)} records would be rejected (listed above)."
            )

    def report(self, files, reader, writer, dry_run):
        counts = writer.counts
        read = ", ".join(f"{count} from {name}" for name, count in sorted(reader.accepted.items()))
        self.stdout.write(f"Read {len(files)} files; records accepted: {read or 'none'}.")
        if reader.files_without_records:
            names = ", ".join(reader.files_without_records)
            self.stdout.write(f"Files with no trips or visits, skipped: {names}.")
        self.stdout.write(edits.counts_line(counts, rejected=len(reader.rejected)))
        self.stdout.write(people_summary(counts))
        if writer.kept:
            self.stdout.write(edits.kept_report(writer))
        if reader.no_office:
            self.stdout.write(
                f"Visitors with no recognised office (the whole string kept as the name): "
                f"{reader.no_office}."
            )
        if reader.rejected:
            self.stdout.write("Rejected records:")
            for rejected in reader.rejected:
                self.stdout.write(f"  {rejected}")
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
