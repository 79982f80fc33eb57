"""Reading visits from a CSV file in the export's format (visits.csvformat), for import_csv.

Every row is checked before anything is saved: CsvReader.read() gives the records, or the list
of bad rows as "line N: reason" (line numbers as in the file, the header being line 1, a row with
a quoted newline counting from its first line). The records are then saved by VisitWriter, keyed
on the slug.

A source is given a stable slug derived from its URL, or, without one, from its publisher, title
and date (source_slug); the writer first looks for the visit's own source with the same URL (or
publisher, title and date), then for any source with that URL, so importing an export creates no
duplicates.
"""

import csv
import hashlib
import io
import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.utils.text import slugify

from visits.csvformat import VISIT_COLUMNS, restore
from visits.models import Organization, Person, Visit

from .records import OrganizationRecord, PersonRecord, SourceRecord, VisitRecord, in_chunks

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
MAX_LENGTHS = {
    "slug": 160,
    "title": 300,
    "places": 300,
    "head": 200,
    "head_slug": 120,
    "head_office": 200,
    "organization": 300,
    "organization_slug": 120,
    "source_title": 400,
    "source_publisher": 300,
    "source_publisher_slug": 120,
    "source_dateline": 120,
    "source_url": 500,
    "dataset": 60,
    "record_id": 60,
}
SOURCE_COLUMNS = [name for name in VISIT_COLUMNS if name.startswith("source_")]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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


class CsvReader:
    """Reads and checks every row: self.records, or self.messages ("line N: reason")."""

    def __init__(self, countries):
        self.countries = countries  # code -> Country
        self.records = []
        self.errors = []
        self.lines = {}  # id(record) -> line number

    def read(self, text):
        rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        header, line = None, 0
        for row in rows:
            start, line = line + 1, rows.line_num
            if not row:
                continue
            if header is None:
                header = [name.strip() for name in row]
                if not self.check_header(header, start):
                    return self
                continue
            if len(row) != len(header):
                self.error(start, f"expected {len(header)} fields, found {len(row)}")
                continue
            cells = {name: restore(cell) for name, cell in zip(header, row, strict=True)}
            for name in STRIPPED:
                cells[name] = cells[name].strip()
            try:
                record = self.record(cells)
            except RowError as error:
                self.error(start, str(error))
                continue
            self.lines[id(record)] = start
            self.records.append(record)
        if header is None:
            self.error(1, "the file is empty (a header line is needed)")
        self.check_across_rows()
        self.check_references()
        self.errors.sort(key=lambda error: error[0])
        return self

    @property
    def messages(self):
        return [f"line {line}: {reason}" for line, reason in self.errors]

    def error(self, line, reason):
        self.errors.append((line, reason))

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
        if kind not in Visit.Kind.values:
            problems.append(f"unknown kind {kind!r} (one of {', '.join(Visit.Kind.values)})")
        start, end, published = (
            parse_date(cells, name, problems)
            for name in ["start_date", "end_date", "source_published_on"]
        )
        if start and end and end < start:
            problems.append(f"end_date {end} is before start_date {start}")
        if cells["source_url"]:
            try:
                URLValidator()(cells["source_url"])
            except ValidationError:
                problems.append(f"source_url {cells['source_url']!r} is not a URL")
        has_source = any(cells[name] for name in SOURCE_COLUMNS)
        publisher_slug = cells["source_publisher_slug"] or slugify(cells["source_publisher"])[:120]
        if has_source and not publisher_slug:
            problems.append("a source needs source_publisher or source_publisher_slug")
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

    def check_across_rows(self):
        slugs, keys = {}, {}
        for record in self.records:
            line = self.lines[id(record)]
            if record.slug in slugs:
                self.error(line, f"slug {record.slug!r} is already on line {slugs[record.slug]}")
            slugs.setdefault(record.slug, line)
            if record.record_id:
                key = (record.dataset, record.record_id)
                if key in keys:
                    self.error(line, f"dataset and record_id already on line {keys[key]}")
                keys.setdefault(key, line)

    def check_references(self):
        """Rows that name a person or organization by slug alone need it to exist; a dataset
        record may not belong to another visit."""
        people = {r.head.slug: r for r in self.records if r.head and not r.head.name}
        found = {p.slug for p in in_chunks(Person.objects.all(), "slug", people)}
        for slug, record in people.items():
            if slug not in found:
                self.error(self.lines[id(record)], f"no person {slug!r}, and head is empty")
        organizations = {}
        for record in self.records:
            for organization in [record.organization, record.source and record.source.publisher]:
                if organization and not organization.name:
                    organizations.setdefault(organization.slug, record)
        found = {o.slug for o in in_chunks(Organization.objects.all(), "slug", organizations)}
        for slug, record in organizations.items():
            if slug not in found:
                line = self.lines[id(record)]
                self.error(line, f"no organization {slug!r}, and its name is empty")
        owners = {r.record_id: r for r in self.records if r.record_id}
        taken = in_chunks(Visit.objects.only("slug", "dataset", "record_id"), "record_id", owners)
        keys = {(r.dataset, r.record_id): r for r in self.records if r.record_id}
        for visit in taken:
            record = keys.get((visit.dataset, visit.record_id))
            if record is not None and record.slug != visit.slug:
                self.error(
                    self.lines[id(record)],
                    f"dataset {visit.dataset!r} record {visit.record_id!r} belongs to the "
                    f"visit {visit.slug!r}",
                )


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
