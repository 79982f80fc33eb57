"""Reading the US Office of the Historian's public-domain XML into VisitRecords.

Two datasets, told apart by their elements:

- "Travels of the President" and "Travels of the Secretary of State" (HistoryAtState/travels):
  a `<trip>` is a visit from the United States to its `<country>`, by a delegation the traveller
  heads (Person slug: the `who` attribute; office "President" or "Secretary of State"). Its source
  is the traveller's page on history.state.gov.
- "Visits by Foreign Leaders" (HistoryAtState/visits): a `<visit>` is a visit from its `<from>`
  country to the United States, by a delegation the `<visitor>` heads (and the others it names:
  "President Francesco Cossiga and Prime Minister Giulio Andreotti"), each one's office read off
  the name (visitors.py). Its source is the year's page on history.state.gov, as the site's
  own search links a visit (departmenthistory/visits/<year of the start date>).

Files are read as a stream (xml.etree.ElementTree.iterparse), each record's elements dropped
once it is read, so memory does not grow with a file's size; records go to the writer as they
are read. A record that cannot be mapped (unknown country, missing or bad date, end before
start, a value longer than its field...) is kept in HsgReader.rejected with its file, id and
reason; the others are read on. A file that is not well-formed XML (a NUL byte, bytes that are
not UTF-8, a tag left open) stops the whole import with an ImportProblem naming its line.
Control characters are taken out of all the text read (tab, line feed and carriage return
aside).
"""

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.utils.text import slugify

from visits.models import Delegation, Organization, Person, Visit
from visits.text import strip_controls

from .guard import ImportProblem
from .hsg_countries import country_code
from .records import KEEP, OrganizationRecord, PersonRecord, SourceRecord, VisitRecord
from .visitors import read_visitors

SITE = "https://history.state.gov/departmenthistory"
TRAVELS, VISITS = "hsg-travels", "hsg-visits"
UNITED_STATES = "US"

HISTORIAN = OrganizationRecord(
    slug="office-of-the-historian",
    name="Office of the Historian",
    classification=Organization.Classification.ARCHIVE,
    country=UNITED_STATES,
)

# A trip's role: the traveller's office, and the part of the page URL and Source title.
ROLES = {
    "president": ("President", "Travels of the President"),
    "secretary": ("Secretary of State", "Travels of the Secretary of State"),
}

# Kinds of visit, found in a trip's remarks or a visit's description (case does not matter,
# whole words only, the longest first, so "Official Working Visit" is not an "Official Visit"
# and an "unofficial visit" is none of them).
KIND_PHRASES = {
    "official working visit": Visit.Kind.OFFICIAL_WORKING,
    "official visit": Visit.Kind.OFFICIAL,
    "working visit": Visit.Kind.WORKING,
    "state visit": Visit.Kind.STATE,
    "private visit": Visit.Kind.PRIVATE,
}
KIND_PATTERN = re.compile(
    r"\b(" + "|".join(sorted(KIND_PHRASES, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
RECORD_ID = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
# The longest value each part of a record may hold: its field's max_length.
LIMITS = {
    "title": Visit._meta.get_field("title").max_length,
    "places": Visit._meta.get_field("places").max_length,
    "head_office": Delegation._meta.get_field("head_office").max_length,
    "name": Person._meta.get_field("name").max_length,
}
RECORD_TAGS = {"trip", "visit"}


def kind_from(text):
    """The kind of visit a text states, else "unspecified"."""
    match = KIND_PATTERN.search(text or "")
    return KIND_PHRASES[match.group(1).lower()] if match else Visit.Kind.UNSPECIFIED


THE_NAMES = {"Bahamas", "Comoros", "Gambia", "Maldives", "Netherlands", "Philippines", "Seychelles"}
THE_STARTS = ("United ", "U.S.", "Republic", "Democratic", "Federal", "Federated", "People")
THE_STARTS += ("Former", "Holy See", "West Bank", "Palestinian", "German Democratic")
THE_ENDS = ("Islands", "Antilles", "Republic", "Union", "Emirates")


def place_name(text):
    """A country for a title: "People's Republic of China" from "China, People's Republic of",
    with "the" where English wants it ("the United Kingdom", "the U.S.S.R.")."""
    name = " ".join(text.split())
    if ", " in name:
        head, _, tail = name.partition(", ")
        name = f"{tail} {head}"
    base = name.split(" (")[0]
    if base in THE_NAMES or base.startswith(THE_STARTS) or base.endswith(THE_ENDS):
        return f"the {name}"
    return name


def text_of(element):
    """All the text of an element, <em> and other children included, in single spaces."""
    if element is None:
        return ""
    return " ".join(strip_controls("".join(element.itertext())).split())


def field(element, tag):
    """The text of a child element, without control characters or surrounding spaces."""
    return strip_controls(element.findtext(tag) or "").strip()


def attribute(element, name):
    return strip_controls(element.get(name) or "").strip()


def historian_visit(dataset, record_id, source, **fields):
    """A visit as the Office of the Historian records it: its slug made from the dataset and
    the record's id, no organization (one an editor gives it is kept), and its source, the
    site's page given as (slug, title, path)."""
    slug, title, page = source
    return VisitRecord(
        slug=f"{dataset}-{record_id}",
        dataset=dataset,
        record_id=record_id,
        organization=KEEP,
        source=SourceRecord(slug=slug, publisher=HISTORIAN, title=title, url=f"{SITE}/{page}"),
        **fields,
    )


@dataclass(frozen=True)
class Rejected:
    file: str
    record_id: str
    reason: str

    def __str__(self):
        return f"{self.file}, record {self.record_id or '(no id)'}: {self.reason}"


def parse_error(path, error):
    """What is wrong with a file that is not well-formed XML, in words."""
    line, column = error.position
    reason = str(error).split(":")[0].removeprefix("not well-formed ").strip("()")
    if reason == "invalid token":
        with open(path, "rb") as stream:
            for number, text in enumerate(stream, start=1):
                if number == line:
                    character = text.decode("utf-8", "replace")[column : column + 1]
                    if character == "\x00":
                        return f"a NUL byte at column {column + 1}: this is not a text file"
                    if character == "\ufffd":
                        return f"bytes that are not UTF-8 at column {column + 1}"
                    if strip_controls(character) != character:
                        return (
                            f"the control character {character!r} at column {column + 1}, "
                            "which XML cannot hold"
                        )
                    break
    return f"this is not well-formed XML ({reason} at column {column + 1})"


class RecordError(ValueError):
    """Why a record is rejected."""


class HsgReader:
    """Reads files as a stream of records (read()), rejecting the records it cannot map."""

    def __init__(self, countries):
        self.countries = countries  # code -> Country
        self.rejected = []
        self.accepted = Counter()  # dataset -> records read
        self.no_office = 0
        self.files_without_records = []
        self.labels = []  # the files read, by number
        self.seen = {}  # dataset -> {record id: number of the file it was read in}

    def read(self, paths, progress=None):
        """The records of every file, in order, read as they are needed; progress counts the
        bytes read (of all the files together)."""
        offset = 0
        for path in paths:
            yield from self.read_file(path, progress=progress, offset=offset)
            offset += path.stat().st_size

    def read_file(self, path, label=None, progress=None, offset=0):
        """The records of one file; raises ImportProblem when it cannot be read."""
        label = label or str(path)
        number = len(self.labels)
        self.labels.append(label)
        found = 0
        try:
            with open(path, "rb") as stream:
                for element in self.record_elements(stream):
                    found += 1
                    record = self.record_from(element, label, number)
                    element.clear()
                    if progress is not None and found % 256 == 0:
                        progress.move_to(offset + stream.tell())
                    if record is not None:
                        yield record
                if progress is not None:
                    progress.move_to(offset + stream.tell())
        except ET.ParseError as error:
            raise ImportProblem(label, parse_error(path, error), error.position[0]) from None
        except OSError as error:
            raise ImportProblem(
                label, f"cannot read the file ({error.strerror or error})"
            ) from None
        if not found:
            self.files_without_records.append(label)

    def record_elements(self, stream):
        """Each <trip> and <visit> of a file as its end tag is read (the outermost ones, at any
        depth). What came before is dropped from the tree as it goes, so a file of any size
        takes the memory of one record."""
        inside = 0
        parents = []
        for event, element in ET.iterparse(stream, events=("start", "end")):
            if event == "start":
                if element.tag in RECORD_TAGS:
                    inside += 1
                parents.append(element)
                continue
            parents.pop()
            if element.tag in RECORD_TAGS:
                inside -= 1
                if inside == 0:
                    yield element
            if inside == 0 and parents:
                parents[-1].remove(element)

    def record_from(self, element, label, number):
        """The element's VisitRecord, or None when it is rejected (and listed)."""
        record_id = field(element, "id")
        try:
            if element.tag == "trip":
                record = self.trip(element, record_id)
            else:
                record = self.visit(element, record_id)
            self.check(record)
        except RecordError as error:
            self.rejected.append(Rejected(label, record_id, str(error)))
            return None
        self.seen.setdefault(record.dataset, {})[record.record_id] = number
        self.accepted[record.dataset] += 1
        if record.dataset == VISITS and not record.head_office:
            self.no_office += 1
        return record

    def trip(self, trip, record_id):
        role = attribute(trip, "role") or field(trip, "role")
        if role not in ROLES:
            raise RecordError(f"unknown role {role!r}")
        office, page_title = ROLES[role]
        who = attribute(trip, "who")
        name = text_of(trip.find("name"))
        if not who or slugify(who) != who or len(who) > 120:
            raise RecordError(f"missing or bad traveller id (who={who!r})")
        if not name:
            raise RecordError("no traveller <name>")
        country = trip.find("country")
        host, host_text = self.country(country, "country")
        remarks = text_of(trip.find("remarks"))
        return historian_visit(
            TRAVELS,
            record_id,
            (f"{TRAVELS}-{role}-{who}", f"{page_title}: {name}", f"travels/{role}/{who}"),
            title=f"{office} {name} in {place_name(host_text)}",
            kind=kind_from(remarks),
            guest=UNITED_STATES,
            host=host,
            places=text_of(trip.find("locale")),
            summary=remarks,
            head=PersonRecord(slug=who, name=name, country=UNITED_STATES),
            head_office=office,
            **self.dates(trip),
        )

    def visit(self, visit, record_id):
        visitor = text_of(visit.find("visitor"))
        visitors = read_visitors(visitor)
        if not visitors:
            raise RecordError("no <visitor>")
        head = visitors[0]
        if not slugify(head.name):
            raise RecordError(f"the visitor {visitor!r} gives no slug")
        guest, guest_text = self.country(visit.find("from"), "from")
        description = text_of(visit.find("description"))
        dates = self.dates(visit)
        year = dates["start_date"].year
        host_name = self.countries[UNITED_STATES].name
        people = {}  # slug -> (PersonRecord, office): each person once, the head first
        for one in visitors:
            person = PersonRecord(slug=slugify(one.name)[:120], name=one.name, country=guest)
            people.setdefault(person.slug, (person, one.office))
        (head_person, _), *members = people.values()
        named = " and ".join(f"{one.office} {one.name}".strip() for one in visitors)
        return historian_visit(
            VISITS,
            record_id,
            (f"{VISITS}-{year}", f"Visits by Foreign Leaders in {year}", f"visits/{year}"),
            title=f"{named} of {place_name(guest_text)} in {place_name(host_name)}",
            kind=kind_from(description),
            guest=guest,
            host=UNITED_STATES,
            summary=description,
            head=head_person,
            head_office=head.office,
            members=tuple(members),
            **dates,
        )

    def country(self, element, tag):
        if element is None:
            raise RecordError(f"no <{tag}> country")
        country_id, text = attribute(element, "id"), text_of(element)
        code = country_code(country_id, text)
        if code is None:
            raise RecordError(f"unknown country id {country_id!r} ({text!r})")
        if code not in self.countries:
            raise RecordError(f"country code {code} (for {country_id!r}) is not in the database")
        return code, text or self.countries[code].name

    def dates(self, element):
        start = self.date(element, "start-date")
        end = self.date(element, "end-date", required=False)
        if end is not None and end < start:
            raise RecordError(f"end date {end} is before start date {start}")
        return {"start_date": start, "end_date": end}

    def date(self, element, tag, required=True):
        text = field(element, tag)
        if not text:
            if required:
                raise RecordError(f"no <{tag}>")
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            return date.fromisoformat(text)
        except ValueError:
            raise RecordError(f"bad <{tag}> {text!r} (expected YYYY-MM-DD)") from None

    def check(self, record):
        if not RECORD_ID.match(record.record_id):
            raise RecordError(f"missing or bad <id> {record.record_id!r}")
        if record.guest == record.host:
            raise RecordError(f"the guest and host are the same country ({record.guest})")
        members = [(record.head, record.head_office), *record.members]
        values = {
            "title": [record.title],
            "places": [record.places],
            "head_office": [office for _, office in members],
            "name": [person.name for person, _ in members],
        }
        for field, limit in LIMITS.items():
            if any(len(value) > limit for value in values[field]):
                raise RecordError(f"the {field.replace('_', ' ')} is over {limit} characters")
        earlier = self.seen.get(record.dataset, {}).get(record.record_id)
        if earlier is not None:
            raise RecordError(
                f"the id {record.record_id} was already read in {self.labels[earlier]}"
            )
