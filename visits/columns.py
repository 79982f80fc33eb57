"""The columns of the exports: one declaration per exported model, read by the CSV writer, the
JSON writer (visits.exports) and, for visits, the CSV importer (visits.importing.csvreader).

A column has a name and a function that gives a record's value: text, or a list of texts (the
JSON keeps lists; the CSV joins them with "; "). Columns marked `imported=False` are there for
people reading the file (names beside codes, the page's address) and are ignored on import.
The order of the columns is the order in the files.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from .models import Agreement, Meeting, MeetingParticipant, Organization, Signatory, Source, Visit


def text(value):
    """A value as a cell: dates in ISO form, numbers as digits, nothing as an empty text."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def path(dotted):
    """The value at a dotted path of a record (`guest_country.code`); empty where a step is
    missing."""
    steps = dotted.split(".")

    def value(record):
        for step in steps:
            record = getattr(record, step, None) if record is not None else None
        return text(record)

    return value


def through(first, dotted):
    """The value at a dotted path of what `first(record)` gives (a visit's delegation, its
    first source)."""
    rest = path(dotted)
    return lambda record: rest(first(record))


def person_in_role(role):
    return f"{role.person.name} ({role.office})" if role.office else role.person.name


@dataclass(frozen=True)
class Column:
    name: str
    value: Any  # record -> str | list[str]
    imported: bool = True


class Columns:
    """The columns of one export, in order, and how to read its records from the database."""

    def __init__(self, *columns, prepare):
        self.columns = columns
        self.names = tuple(column.name for column in columns)
        self.imported = tuple(column.name for column in columns if column.imported)
        self.prepare = prepare  # queryset -> the same, with everything a row needs

    def row(self, record, base_url=""):
        """{column: value} for a record; the page's address is made absolute with base_url."""
        values = {column.name: column.value(record) for column in self.columns}
        if "url" in values:
            values["url"] = base_url + values["url"]
        return values

    def rows(self, queryset, base_url="", chunk_size=2000):
        """Each record's row, read from the database in chunks (a fixed number of queries per
        chunk, whatever the rows hold)."""
        for record in self.prepare(queryset).iterator(chunk_size=chunk_size):
            yield self.row(record, base_url)


def first_source(visit):
    sources = visit.sources.all()
    return sources[0] if sources else None


def delegation(visit):
    return visit.delegation_or_none


def url(record):
    return record.get_absolute_url()


VISITS = Columns(
    Column("slug", path("slug")),
    Column("title", path("title")),
    Column("kind", path("kind")),
    Column("guest", path("guest_country.code")),
    Column("guest_name", path("guest_country.name"), imported=False),
    Column("host", path("host_country.code")),
    Column("host_name", path("host_country.name"), imported=False),
    Column("start_date", path("start_date")),
    Column("end_date", path("end_date")),
    Column("places", path("places")),
    Column("head", through(delegation, "head.name")),
    Column("head_slug", through(delegation, "head.slug")),
    Column("head_office", through(delegation, "head_office")),
    Column("organization", through(delegation, "organization.name")),
    Column("organization_slug", through(delegation, "organization.slug")),
    Column("summary", path("summary")),
    Column("source_title", through(first_source, "title")),
    Column("source_publisher", through(first_source, "publisher.name")),
    Column("source_publisher_slug", through(first_source, "publisher.slug")),
    Column("source_dateline", through(first_source, "dateline")),
    Column("source_published_on", through(first_source, "published_on")),
    Column("source_url", through(first_source, "url")),
    Column("dataset", path("dataset")),
    Column("record_id", path("record_id")),
    Column("url", url, imported=False),
    prepare=lambda visits: (
        visits.select_related(
            "guest_country", "host_country", "delegation__head", "delegation__organization"
        )
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "sources", queryset=Source.objects.select_related("publisher").order_by("slug")
            )
        )
    ),
)

MEETINGS = Columns(
    Column("slug", path("slug")),
    Column("title", path("title")),
    Column("kind", path("kind")),
    Column("date", path("date")),
    Column("date_precision", path("date_precision")),
    Column("place", path("place")),
    Column("country", path("country.code")),
    Column("country_name", path("country.name")),
    Column("host_organization", path("host_organization.name")),
    Column("body", path("body.name")),
    Column("ordinal", path("ordinal")),
    Column("visit", path("visit.slug")),
    Column("participants", lambda meeting: [person_in_role(p) for p in meeting.participants.all()]),
    Column("summary", path("summary")),
    Column("url", url),
    prepare=lambda meetings: meetings.select_related(
        "country", "host_organization", "body", "visit"
    ).prefetch_related(
        Prefetch(
            "participants",
            queryset=MeetingParticipant.objects.select_related("person").order_by(
                "role", "person__name"
            ),
        )
    ),
)

AGREEMENTS = Columns(
    Column("slug", path("slug")),
    Column("title", path("title")),
    Column("kind", path("kind")),
    Column("signed_on", path("signed_on")),
    Column("signed_precision", path("signed_precision")),
    Column("signed_place", path("signed_place")),
    Column("signed_country", path("signed_country.code")),
    Column("party_countries", lambda agreement: [c.code for c in agreement.party_countries.all()]),
    Column(
        "party_organizations",
        lambda agreement: [o.name for o in agreement.party_organizations.all()],
    ),
    Column("valid_from", path("valid_from")),
    Column("valid_until", path("valid_until")),
    Column("validity_precision", path("validity_precision")),
    Column("visit", path("visit.slug")),
    Column("meeting", path("meeting.slug")),
    Column(
        "signatories", lambda agreement: [person_in_role(s) for s in agreement.signatories.all()]
    ),
    Column("summary", path("summary")),
    Column("url", url),
    prepare=lambda agreements: agreements.select_related(
        "signed_country", "visit", "meeting"
    ).prefetch_related(
        "party_countries",
        Prefetch("party_organizations", queryset=Organization.objects.order_by("name")),
        Prefetch("signatories", queryset=Signatory.objects.select_related("person")),
    ),
)

# The records each export starts from, before its filters.
EXPORTED = {
    "visits": (Visit, VISITS),
    "meetings": (Meeting, MEETINGS),
    "agreements": (Agreement, AGREEMENTS),
}
