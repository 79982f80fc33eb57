"""Reading visits from a CSV file in the export's format (visits.csvformat), for import_csv.

The file is read twice, a row at a time, so that memory does not grow with its size:

1. CsvReader.check() checks every row before anything is saved and lists the bad rows as
   "line N: reason" (line numbers as in the file, the header being line 1, a row with a quoted
   newline counting from its first line). It keeps no records: what finds repeated slugs and
   dataset records is a 64-bit digest and a line number per row (Repeats), and the rows that
   name people, organizations or dataset records are checked against the database a few
   hundred at a time.
2. CsvReader.records() reads the file again and hands each row's VisitRecord to VisitWriter
   (keyed on the slug), which saves them in batches.

A file that cannot be read as CSV text stops the import with one ImportProblem naming the line:
bytes that are not UTF-8, a NUL byte (a file that is not text), a cell over the csv module's
field size limit, or CSV that is not well formed. Other control characters are taken out of the
cells (tab, line feed and carriage return are kept), as they are from any record saved.

A source is given a stable slug derived from its URL, or, without one, from its publisher, title
and date (source_slug); the writer first looks for the visit's own source with the same URL (or
publisher, title and date), then for any source with that URL, so importing an export creates no
duplicates.
"""

import csv
import functools
import hashlib
import heapq
import io
import re
from array import array
from datetime import date
from itertools import islice

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.utils.text import slugify as django_slugify

from visits.csvformat import VISIT_COLUMNS, restore
from visits.models import Delegation, Organization, Person, Source, Visit
from visits.text import strip_controls

from .guard import ImportProblem
from .records import (
    LOOKUP_CHUNK,
    OrganizationRecord,
    PersonRecord,
    SourceRecord,
    VisitRecord,
    dataset_records,
    in_chunks,
)

REQUIRED = ("slug", "title", "guest", "host", "start_date")
# Cells that are codes, dates, slugs or URLs: surrounding spaces are dropped on import. Free text
# (titles, names, places, summaries) is kept exactly as it is.
STRIPPED = {
    "slug",
    "kind",
    "guest",
    "host",
    "start_date",
    "end_date",
    "head_slug",
    "organization_slug",
    "source_publisher_slug",
    "source_published_on",
    "source_url",
    "dataset",
    "record_id",
}
# The longest value each column may hold: the max_length of the field it is stored in.
MAX_LENGTHS = {
    column: model._meta.get_field(field).max_length
    for column, (model, field) in {
        "slug": (Visit, "slug"),
        "title": (Visit, "title"),
        "places": (Visit, "places"),
        "head": (Person, "name"),
        "head_slug": (Person, "slug"),
        "head_office": (Delegation, "head_office"),
        "organization": (Organization, "name"),
        "organization_slug": (Organization, "slug"),
        "source_title": (Source, "title"),
        "source_publisher": (Organization, "name"),
        "source_publisher_slug": (Organization, "slug"),
        "source_dateline": (Source, "dateline"),
        "source_url": (Source, "url"),
        "dataset": (Visit, "dataset"),
        "record_id": (Visit, "record_id"),
    }.items()
}
SOURCE_COLUMNS = [name for name in VISIT_COLUMNS if name.startswith("source_")]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# What a row's text is searched for: control characters, and the lone surrogates that bytes
# that are not UTF-8 are read as (errors="surrogateescape").
UNUSUAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
NOT_UTF8 = re.compile("[\ud800-\udfff]")
MAX_LISTED = 1000  # bad rows listed at most (the count says how many there are)
KINDS = frozenset(Visit.Kind.values)
validate_url = URLValidator()


@functools.lru_cache(maxsize=10_000)
def slugify(text):
    """Django's slugify, remembered: names of people, bodies and publishers come again and
    again in a file."""
    return django_slugify(text)


def source_slug(url, title, publisher_slug, published_on):
    """A stable slug for an imported source: from its URL, else its publisher, title and date."""
    if url:
        readable = slugify(re.sub(r"^[a-z]+://(www\.)?", "", url))
        basis = url
    else:
        readable = slugify(f"{publisher_slug} {title}")
        basis = "\n".join([publisher_slug, title, published_on.isoformat() if published_on else ""])
    digest = hashlib.sha256(basis.encode()).hexdigest()[:10]
    return f"{readable[:100].strip('-') or 'source'}-{digest}"


class RowError(ValueError):
    """Why a row cannot be imported."""


class Repeats:
    """Finds the keys that come more than once among many rows, in 12 bytes a row.

    Each key's digest (hash()) and line go into arrays; once every row has been added, only the
    lines whose digest comes twice are suspects, and CsvReader reads those rows again to compare
    the keys themselves."""

    def __init__(self):
        self.digests = array("q")
        self.lines = array("I")

    def add(self, key, line):
        self.digests.append(hash(key))
        self.lines.append(line)

    def suspect_lines(self):
        ordered = sorted(self.digests)
        twice = {a for a, b in zip(ordered, islice(ordered, 1, None), strict=False) if a == b}
        del ordered
        if not twice:
            return set()
        return {line for d, line in zip(self.digests, self.lines, strict=True) if d in twice}


class CsvReader:
    """Checks every row of a file (check()), then reads its records again (records())."""

    def __init__(self, countries, path):
        self.countries = countries  # code -> Country
        self.path = path
        self.errors = []  # (line, order, reason): the MAX_LISTED first
        self.error_count = 0
        self.count = 0  # good rows
        self.header = None

    # Reading rows --------------------------------------------------------------------------

    def rows(self, progress=None):
        """(line, row) for every row that is not empty, the header first, read as it goes;
        the cells without control characters. Raises ImportProblem for a file that is not
        CSV text."""
        binary = open(self.path, "rb")  # noqa: SIM115 (closed with the text wrapper)
        with io.TextIOWrapper(
            binary, encoding="utf-8-sig", errors="surrogateescape", newline=""
        ) as text:
            reader = csv.reader(text)
            line = read = 0
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    raise ImportProblem(self.path, self.csv_error(error), line + 1) from None
                start, line = line + 1, reader.line_num
                read += 1
                if progress is not None and read % 256 == 0:
                    progress.move_to(binary.tell())
                if not row:
                    continue
                if UNUSUAL.search("".join(row)):
                    row = self.cleaned(row, start)
                yield start, row
            if progress is not None:
                progress.move_to(binary.tell())

    def csv_error(self, error):
        if "field larger than field limit" in str(error):
            return (
                f"a cell is longer than {csv.field_size_limit():,} characters, the most a CSV "
                "cell may hold here"
            )
        return f"this is not well-formed CSV ({error})"

    def cleaned(self, row, line):
        text = "".join(row)
        if "\x00" in text:
            raise ImportProblem(self.path, "a NUL byte: this is not a text file", line)
        bad = NOT_UTF8.search(text)
        if bad:
            byte = ord(bad.group()) - 0xDC00
            raise ImportProblem(
                self.path,
                f"the file is not UTF-8 text (byte 0x{byte:02X}); save it as UTF-8 and try again",
                line,
            )
        return [strip_controls(cell) for cell in row]

    def cells(self, row):
        """A data row as {column: value}, formula guards undone and codes stripped."""
        cells = {name: restore(cell) for name, cell in zip(self.header, row, strict=True)}
        for name in STRIPPED:
            cells[name] = cells[name].strip()
        return cells

    def data_rows(self, progress=None):
        """(line, row) for every data row; the header is read (and checked) on the way."""
        self.header = None
        for line, row in self.rows(progress):
            if self.header is None:
                self.header = [name.strip().lstrip("\ufeff") for name in row]
                if not self.check_header(self.header, line):
                    return
                continue
            yield line, row

    # First pass: checking ------------------------------------------------------------------

    def check(self, progress=None):
        """Check every row; the problems are in self.errors, listed by self.messages."""
        self.errors, self.error_count, self.count = [], 0, 0
        slugs, keys = Repeats(), Repeats()
        pending = []
        for line, row in self.data_rows(progress):
            if len(row) != len(self.header):
                self.error(line, f"expected {len(self.header)} fields, found {len(row)}")
                continue
            try:
                record = self.record(self.cells(row))
            except RowError as error:
                self.error(line, str(error))
                continue
            self.count += 1
            slugs.add(record.slug, line)
            if record.record_id:
                keys.add((record.dataset, record.record_id), line)
            if needs_lookup(record):
                pending.append((line, record))
                if len(pending) >= LOOKUP_CHUNK:
                    self.check_references(pending)
                    pending = []
        if self.header is None:
            self.error(1, "the file is empty (a header line is needed)")
        self.check_references(pending)
        self.check_repeats(slugs.suspect_lines() | keys.suspect_lines())
        return self

    @property
    def messages(self):
        first = sorted(self.errors)[:MAX_LISTED]
        listed = [f"line {line}: {reason}" for line, _, reason in first]
        if self.error_count > len(listed):
            listed.append(f"... and {self.error_count - len(listed)} more")
        return listed

    def error(self, line, reason, order=0):
        self.error_count += 1
        self.errors.append((line, order, reason))
        if len(self.errors) >= 2 * MAX_LISTED:
            self.errors = heapq.nsmallest(MAX_LISTED, self.errors)

    def check_repeats(self, lines):
        """The rows that repeat a slug or a dataset record of an earlier row (their lines are
        among those given: the suspects Repeats found)."""
        if not lines:
            return
        slugs, keys = {}, {}
        for line, row in self.data_rows():
            if line not in lines:
                continue
            cells = self.cells(row)
            slug, key = cells["slug"], (cells["dataset"], cells["record_id"])
            if slug in slugs:
                self.error(line, f"slug {slug!r} is already on line {slugs[slug]}", order=1)
            slugs.setdefault(slug, line)
            if cells["record_id"]:
                if key in keys:
                    self.error(line, f"dataset and record_id already on line {keys[key]}", 1)
                keys.setdefault(key, line)

    # Second pass: the records --------------------------------------------------------------

    def records(self):
        """Every row's VisitRecord, read again from the file (once check() found no problem)."""
        count = 0
        for line, row in self.data_rows():
            try:
                if len(row) != len(self.header):
                    raise RowError(f"expected {len(self.header)} fields, found {len(row)}")
                record = self.record(self.cells(row))
            except RowError as error:
                raise ImportProblem(
                    self.path, f"{error} (the file changed while it was imported)", line
                ) from None
            count += 1
            yield record
        if count != self.count:
            raise ImportProblem(self.path, "the file changed while it was imported")

    def check_header(self, header, line):
        missing = [name for name in VISIT_COLUMNS if name not in header]
        unknown = [name for name in header if name not in VISIT_COLUMNS]
        repeated = sorted({name for name in header if header.count(name) > 1})
        for problem, names in [("missing", missing), ("unknown", unknown), ("repeated", repeated)]:
            if names:
                self.error(line, f"{problem} columns: {', '.join(names)}")
        return not (missing or unknown or repeated)

    def record(self, cells):
        problems = [f"{name} is required" for name in REQUIRED if not cells[name].strip()]
        problems += [
            f"{name} is over {limit} characters"
            for name, limit in MAX_LENGTHS.items()
            if len(cells[name]) > limit
        ]
        for name in ["slug", "head_slug", "organization_slug", "source_publisher_slug"]:
            if cells[name] and not is_slug(cells[name]):
                problems.append(f"{name} {cells[name]!r} is not a slug (letters, digits, - and _)")
        guest, host = cells["guest"].upper(), cells["host"].upper()
        for name, code in [("guest", guest), ("host", host)]:
            if code and code not in self.countries:
                problems.append(f"unknown {name} country code {code!r}")
        if guest and guest == host:
            problems.append("guest and host are the same country")
        kind = cells["kind"] or Visit.Kind.UNSPECIFIED
        if kind not in KINDS:
            problems.append(f"unknown kind {kind!r} (one of {', '.join(Visit.Kind.values)})")
        start, end, published = (
            parse_date(cells, name, problems)
            for name in ["start_date", "end_date", "source_published_on"]
        )
        if start and end and end < start:
            problems.append(f"end_date {end} is before start_date {start}")
        if cells["source_url"]:
            try:
                validate_url(cells["source_url"])
            except ValidationError:
                problems.append(f"source_url {cells['source_url']!r} is not a URL")
        has_source = any(cells[name] for name in SOURCE_COLUMNS)
        publisher_slug = cells["source_publisher_slug"] or slugify(cells["source_publisher"])[:120]
        if has_source and not publisher_slug:
            problems.append("a source needs source_publisher or source_publisher_slug")
        if cells["head_office"] and not (cells["head"] or cells["head_slug"]):
            problems.append("head_office needs the person who held it (head or head_slug)")
        if cells["head"] and not (cells["head_slug"] or slugify(cells["head"])):
            problems.append("head_slug is needed (the head's name gives no slug)")
        if cells["organization"] and not (
            cells["organization_slug"] or slugify(cells["organization"])
        ):
            problems.append("organization_slug is needed (the name gives no slug)")
        if problems:
            raise RowError("; ".join(problems))

        source = None
        if has_source:
            publisher = OrganizationRecord(
                slug=publisher_slug,
                name=cells["source_publisher"],
                classification=Organization.Classification.NEWS_AGENCY,
            )
            url, title = cells["source_url"], cells["source_title"]
            slug = source_slug(url, title, publisher_slug, published)
            source = SourceRecord(
                slug=slug,
                publisher=publisher,
                title=cells["source_title"],
                dateline=cells["source_dateline"],
                published_on=published,
                url=cells["source_url"],
            )
        return VisitRecord(
            slug=cells["slug"],
            title=cells["title"],
            kind=kind,
            guest=guest,
            host=host,
            start_date=start,
            end_date=end,
            places=cells["places"],
            summary=cells["summary"],
            dataset=cells["dataset"],
            record_id=cells["record_id"],
            head=self.person(cells, guest),
            head_office=cells["head_office"],
            organization=self.organization(cells, guest),
            source=source,
        )

    def person(self, cells, guest):
        slug = cells["head_slug"] or slugify(cells["head"])[:120]
        return PersonRecord(slug=slug, name=cells["head"], country=guest) if slug else None

    def organization(self, cells, guest):
        slug = cells["organization_slug"] or slugify(cells["organization"])[:120]
        if not slug:
            return None
        return OrganizationRecord(
            slug=slug,
            name=cells["organization"],
            classification=Organization.Classification.GOVERNMENT_BODY,
            country=guest,
        )

    def check_references(self, rows):
        """Rows (line, record) that name a person or organization by slug alone need it to
        exist; a dataset record may not belong to another visit."""
        people = {r.head.slug for _, r in rows if r.head and not r.head.name}
        found = {p.slug for p in in_chunks(Person.objects.all(), "slug", people)}
        for line, record in rows:
            if record.head and not record.head.name and record.head.slug not in found:
                self.error(line, f"no person {record.head.slug!r}, and head is empty", 2)
        organizations = {o.slug for _, r in rows for o in nameless_organizations(r)}
        found = {o.slug for o in in_chunks(Organization.objects.all(), "slug", organizations)}
        for line, record in rows:
            for organization in nameless_organizations(record):
                if organization.slug not in found:
                    self.error(
                        line, f"no organization {organization.slug!r}, and its name is empty", 2
                    )
                    break
        owners = {(r.dataset, r.record_id): r.slug for _, r in rows if r.record_id}
        lines = {(r.dataset, r.record_id): line for line, r in rows if r.record_id}
        visits = Visit.objects.only("slug", "dataset", "record_id")
        for visit in dataset_records(visits, owners):
            key = (visit.dataset, visit.record_id)
            if key in owners and owners[key] != visit.slug:
                self.error(
                    lines[key],
                    f"dataset {visit.dataset!r} record {visit.record_id!r} belongs to the "
                    f"visit {visit.slug!r}",
                    2,
                )


def needs_lookup(record):
    """Whether a record names something the database must hold (or must not)."""
    return bool(
        record.record_id
        or (record.head and not record.head.name)
        or any(nameless_organizations(record))
    )


def nameless_organizations(record):
    """The organizations a record gives by slug alone."""
    publisher = record.source.publisher if record.source else None
    return [o for o in [record.organization, publisher] if o and not o.name]


def is_slug(value):
    try:
        validate_slug(value)
    except ValidationError:
        return False
    return True


def parse_date(cells, name, problems):
    value = cells[name]
    if not value:
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"{name} {value!r} is not a date (YYYY-MM-DD)")
        return None
