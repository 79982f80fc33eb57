"""Plain records of visits read from a file, and the writer that saves them in bulk.

Readers (the Office of the Historian's XML, our CSV) turn each row into a VisitRecord (countries
as codes; people, organizations and sources by slug). VisitWriter creates or updates the visits a
batch at a time as the reader hands them over, loading what exists with a few queries and writing
with bulk_create and bulk_update: queries grow with the batches, not the records, and memory is a
batch's (and up to CACHE_LIMIT each of the people, organizations and sources seen). Every write
is in the records' history (django-simple-history, in bulk too), the import as its reason.

Organizations found by slug are used as they are (an import never renames them); missing
ones are created. People, the heads and the members of delegations, are found or made by the
person resolver (visits.importing.people: one Person per human, and never two humans as one),
which keeps every other spelling it meets; an import adds members to a delegation and never
removes one. A source is matched, in this order, among the visit's own sources, by
URL, then by slug; a matched source takes the record's title, dateline, date and URL. An import
adds a source to a visit and never removes one. Bulk writes send no signals, so the writer
refreshes the search text of the visits it created or changed itself.

With keep_edits (the commands' default), a visit changed by hand is left as it is, delegation
and members too: an import overwrites no editor's work unless told to (see edited_by_hand),
not even one saved while it runs: it locks the visits it reads (load_visits) until it commits.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import batched

from django.db.models import Q
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from visits.models import Delegation, DelegationMember, Organization, Source, Visit

from .people import Mention, PersonResolver

# The fields of a visit an import sets; a visit whose values all match is "unchanged".
VISIT_FIELDS = [
    "slug",
    "title",
    "kind",
    "guest_country_id",
    "host_country_id",
    "start_date",
    "end_date",
    "places",
    "summary",
    "dataset",
    "record_id",
]
SOURCE_FIELDS = ["title", "publisher_id", "dateline", "published_on", "url"]
LOOKUP_CHUNK = 500
CACHE_LIMIT = 20_000  # people, organizations or sources kept between batches

# The reasons the commands write in the history: the imports', and the journeys they group.
GROUPING = "group_journeys"
BY_AN_IMPORT = Q(history_change_reason__startswith="import_") | Q(history_change_reason=GROUPING)

KEEP = "keep"
"""VisitRecord.organization when the data says nothing about it: an existing value is kept."""


@dataclass(frozen=True)
class OrganizationRecord:
    slug: str
    name: str
    classification: str
    country: str = ""


@dataclass(frozen=True)
class PersonRecord:
    slug: str
    name: str
    country: str = ""


@dataclass(frozen=True)
class SourceRecord:
    slug: str
    publisher: OrganizationRecord
    title: str = ""
    dateline: str = ""
    published_on: date | None = None
    url: str = ""


@dataclass
class VisitRecord:
    slug: str
    title: str
    kind: str
    guest: str
    host: str
    start_date: date
    end_date: date | None = None
    places: str = ""
    summary: str = ""
    dataset: str = ""
    record_id: str = ""
    head: PersonRecord | None = None
    head_office: str = ""
    # Others the record names in the delegation ("Francesco Cossiga and Prime Minister Giulio
    # Andreotti"): (PersonRecord, office) pairs, saved as the delegation's members.
    members: tuple = ()
    organization: OrganizationRecord | str | None = None  # or KEEP
    source: SourceRecord | None = None

    @property
    def has_delegation(self):
        organization = None if self.organization == KEEP else self.organization
        return bool(self.head or self.head_office or organization or self.members)


def people_summary(counts):
    """The import report's lines on the people, organizations and sources it made or found
    (the writer's counts)."""
    return (
        f"People: {counts['people created']} created; records naming a known person: "
        f"{counts['people matched']} by the same name, {counts['people merged']} merged under "
        f"another spelling or a surname alone; other names recorded: {counts['names recorded']}."
        f"\nNew organizations: {counts['organizations created']}, sources: "
        f"{counts['sources created']}; sources updated: {counts['sources updated']}."
    )


def in_chunks(queryset, field, values):
    """The rows whose field is one of values, a few hundred values per query."""
    values = list(values)
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield from queryset.filter(**{f"{field}__in": values[start : start + LOOKUP_CHUNK]})


def dataset_records(queryset, keys):
    """The visits of the given (dataset, record_id) keys, a few hundred per query. The query
    repeats the condition of the partial unique index on dataset and record_id, so that the
    database uses the index instead of reading every visit."""
    by_dataset = {}
    for dataset, record_id in keys:
        if record_id:
            by_dataset.setdefault(dataset, set()).add(record_id)
    for dataset, record_ids in by_dataset.items():
        yield from in_chunks(
            queryset.filter(dataset=dataset).exclude(record_id=""), "record_id", record_ids
        )


def edited_by_hand(visits):
    """The primary keys of those of `visits` (with their delegations selected) that someone
    changed other than by an import (in the admin, a restore from the history, a shell): a
    history record of the visit, its delegation or a member whose reason is not an import's
    ("import_csv …", "import_hsg", "group_journeys")."""
    by_pk = {visit.pk: visit for visit in visits}
    delegations = {
        visit.delegation_or_none.pk: pk
        for pk, visit in by_pk.items()
        if visit.delegation_or_none is not None
    }
    edits = (
        (Visit.history, "id", by_pk, None),
        (Delegation.history, "visit_id", by_pk, None),
        (DelegationMember.history, "delegation_id", delegations, delegations),
    )
    edited = set()
    for history, field, keys, to_visit in edits:
        rows = history.exclude(BY_AN_IMPORT).order_by().values_list(field, flat=True).distinct()
        for key in in_chunks(rows, field, keys):
            edited.add(to_visit[key] if to_visit else key)
    return edited


class VisitWriter:
    """Creates or updates visits from VisitRecords, keyed on the slug or on the dataset record.

    reason is the change reason of the history records the import writes ("import_hsg").
    With keep_edits, visits changed by hand are left alone (edited_by_hand, self.kept)."""

    BATCH_SIZE = 1000

    def __init__(self, countries, key="slug", reason="", keep_edits=False):
        if key not in {"slug", "record"}:
            raise ValueError(f"Unknown key {key!r}.")
        self.countries = countries  # code -> Country
        self.key = key
        self.reason = reason
        self.visits = {}  # key -> Visit, with its delegation selected (the batch's)
        self.visit_sources = {}  # visit pk -> [Source] (the batch's visits)
        self.heads, self.members = {}, {}  # id(record) -> the batch's Person, [(Person, office)]
        self.current_members = {}  # delegation pk -> the person pks of its members (the batch's)
        self.resolver = PersonResolver(self)
        self.organizations = {}
        self.sources_by_slug = {}
        self.sources_by_url = {}
        self.counts = Counter()
        self.keep_edits = keep_edits
        self.kept = []  # slugs of the visits left as an editor changed them

    def key_of(self, record):
        return record.slug if self.key == "slug" else (record.dataset, record.record_id)

    def save(self, records, progress=None):
        """Save every record (any iterable, read as it goes), BATCH_SIZE at a time; the counts
        are in self.counts."""
        for batch in batched(records, self.BATCH_SIZE):
            batch = list(batch)
            self.save_batch(batch)
            if progress is not None:
                progress.update(len(batch))
        return self.counts

    # Writing with history ------------------------------------------------------------------

    def create(self, model, objects):
        if objects:
            bulk_create_with_history(objects, model, default_change_reason=self.reason)
        return objects

    def update(self, model, objects, fields):
        if objects:
            bulk_update_with_history(objects, model, fields, default_change_reason=self.reason)

    def load_visits(self, batch):
        """The batch's visits that exist, with delegations and sources; locked till it commits."""
        self.visits, self.visit_sources = {}, {}
        locked = Visit.objects.select_for_update(of=("self",), no_key=True)  # SQLite: one writer
        visits = locked.select_related("delegation")
        if self.key == "slug":
            found = in_chunks(visits, "slug", {record.slug for record in batch})
        else:
            found = dataset_records(visits, {self.key_of(record) for record in batch})
        for visit in found:
            self.visits[self.key_of(visit)] = visit
        links = Visit.sources.through.objects.select_related("source")
        pks = [visit.pk for visit in self.visits.values()]
        for link in in_chunks(links, "visit_id", pks):
            self.visit_sources.setdefault(link.visit_id, []).append(link.source)
        self.current_members = {}
        if any(record.members for record in batch):
            delegations = [v.delegation_or_none for v in self.visits.values()]
            members = DelegationMember.objects.values_list("delegation_id", "person_id")
            for delegation_id, person_id in in_chunks(
                members, "delegation_id", [d.pk for d in delegations if d is not None]
            ):
                self.current_members.setdefault(delegation_id, set()).add(person_id)

    def forget_some(self):
        """Keep memory bounded on large imports: caches that grew past CACHE_LIMIT start again
        (what they held is in the database, and is looked up again when needed)."""
        for cache in [self.organizations, self.sources_by_slug, self.sources_by_url]:
            if len(cache) > CACHE_LIMIT:
                cache.clear()

    def save_batch(self, batch):
        self.forget_some()
        self.load_visits(batch)
        if self.keep_edits:
            batch = self.without_edited(batch)
        organizations = [record.organization for record in batch]
        organizations += [record.source.publisher for record in batch if record.source]
        self.fetch_organizations(o for o in organizations if isinstance(o, OrganizationRecord))
        sources = self.fetch_sources(batch)
        self.fetch_people(batch, sources)

        created, changed, new_delegations, changed_delegations, links = [], set(), [], [], []
        new_members = []
        for record in batch:
            visit = self.visits.get(self.key_of(record))
            values = self.visit_values(record)
            if visit is None:
                visit = Visit(**values)
                created.append((record, visit))
                continue
            if any(getattr(visit, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(visit, field, value)
                changed.add(visit)
            delegation = visit.delegation_or_none
            if delegation is None:
                if record.has_delegation:
                    new_delegations.append((record, self.new_delegation(record, visit)))
                    changed.add(visit)
            else:
                if self.update_delegation(record, delegation):
                    changed_delegations.append(delegation)
                    changed.add(visit)
                if self.add_members(record, delegation, new_members):
                    changed.add(visit)
            source = sources.get(id(record))
            if source is not None and source not in self.visit_sources.get(visit.pk, []):
                links.append((visit, source))
                changed.add(visit)

        self.create(Visit, [visit for _, visit in created])
        for record, visit in created:
            self.visits[self.key_of(record)] = visit
            if record.has_delegation:
                new_delegations.append((record, self.new_delegation(record, visit)))
            if id(record) in sources:
                links.append((visit, sources[id(record)]))
        self.update(Visit, list(changed), VISIT_FIELDS)
        self.create(Delegation, [delegation for _, delegation in new_delegations])
        for record, delegation in new_delegations:
            self.add_members(record, delegation, new_members)
        self.create(DelegationMember, new_members)
        self.update(Delegation, changed_delegations, ["head", "head_office", "organization"])
        Through = Visit.sources.through
        Through.objects.bulk_create(
            [Through(visit_id=visit.pk, source_id=source.pk) for visit, source in links]
        )
        for visit, source in links:
            self.visit_sources.setdefault(visit.pk, []).append(source)
        self.refresh_search([visit.pk for _, visit in created] + [v.pk for v in changed])
        self.counts["created"] += len(created)
        self.counts["updated"] += len(changed)
        self.counts["unchanged"] += len(batch) - len(created) - len(changed)

    def without_edited(self, batch):
        """The batch less the records of visits changed by hand, which are counted as kept."""
        edited = edited_by_hand(self.visits.values())
        if not edited:
            return batch
        left = []
        for record in batch:
            visit = self.visits.get(self.key_of(record))
            if visit is not None and visit.pk in edited:
                self.counts["kept"] += 1
                self.kept.append(visit.slug)
            else:
                left.append(record)
        return left

    def refresh_search(self, pks):
        """Bulk writes send no signals: rebuild the search text of the visits written. (The
        caches need no telling: the database moves the data version itself.)"""
        for start in range(0, len(pks), LOOKUP_CHUNK):
            Visit.objects.filter(pk__in=pks[start : start + LOOKUP_CHUNK]).refresh_search_text()

    def visit_values(self, record):
        return {
            "slug": record.slug,
            "title": record.title,
            "kind": record.kind,
            "guest_country_id": self.countries[record.guest].pk,
            "host_country_id": self.countries[record.host].pk,
            "start_date": record.start_date,
            "end_date": record.end_date,
            "places": record.places,
            "summary": record.summary,
            "dataset": record.dataset,
            "record_id": record.record_id,
        }

    def delegation_values(self, record):
        values = {
            "head_id": self.heads[id(record)].pk if record.head else None,
            "head_office": record.head_office,
        }
        if record.organization != KEEP:
            organization = record.organization
            values["organization_id"] = (
                self.organizations[organization.slug].pk if organization else None
            )
        return values

    def new_delegation(self, record, visit):
        return Delegation(visit=visit, **self.delegation_values(record))

    def update_delegation(self, record, delegation):
        changed = False
        for field, value in self.delegation_values(record).items():
            if getattr(delegation, field) != value:
                setattr(delegation, field, value)
                changed = True
        return changed

    # People, organizations and sources ---------------------------------------------------

    def fetch_people(self, batch, sources):
        """The person of each head and member the batch names, found or made by the
        resolver (in self.heads and self.members, by id(record))."""
        heads, members = {}, {}
        for record in batch:
            visit = self.visits.get(self.key_of(record))
            delegation = visit.delegation_or_none if visit is not None else None
            found = {
                "day": record.start_date,
                "source": sources.get(id(record)),
            }
            if record.head:
                current = (delegation.head_id,) if delegation and delegation.head_id else ()
                heads[id(record)] = Mention(
                    record.head, office=record.head_office, current=current, **found
                )
            current = tuple(self.current_members.get(delegation.pk, ())) if delegation else ()
            members[id(record)] = [
                (Mention(person, office=office, current=current, **found), office)
                for person, office in record.members
            ]
        mentions = [*heads.values(), *(m for pairs in members.values() for m, _ in pairs)]
        self.resolver.resolve(mentions)
        self.heads = {key: mention.candidate.person for key, mention in heads.items()}
        self.members = {
            key: [(mention.candidate.person, office) for mention, office in pairs]
            for key, pairs in members.items()
        }

    def add_members(self, record, delegation, new_members):
        """Add to new_members the record's members the delegation lacks (its head aside);
        whether there were any."""
        have = self.current_members.setdefault(delegation.pk, set())
        added = False
        for person, office in self.members.get(id(record), ()):
            if person.pk in have or person.pk == delegation.head_id:
                continue
            have.add(person.pk)
            member = DelegationMember(delegation=delegation, person=person, office=office)
            new_members.append(member)
            added = True
        return added

    def fetch_organizations(self, wanted):
        wanted = {o.slug: o for o in wanted if o.slug not in self.organizations}
        for organization in in_chunks(Organization.objects.all(), "slug", wanted):
            self.organizations[organization.slug] = organization
        missing = [
            Organization(
                slug=slug,
                name=record.name,
                classification=record.classification,
                country=self.countries.get(record.country),
            )
            for slug, record in wanted.items()
            if slug not in self.organizations
        ]
        for organization in self.create(Organization, missing):
            self.organizations[organization.slug] = organization
        self.counts["organizations created"] += len(missing)

    def fetch_sources(self, batch):
        """The source of each record (keyed by id(record)), found or created, and up to date."""
        wanted = [record.source for record in batch if record.source]
        urls = {s.url for s in wanted if s.url and s.url not in self.sources_by_url}
        slugs = {s.slug for s in wanted if s.slug not in self.sources_by_slug}
        for source in in_chunks(Source.objects.order_by("-slug"), "url", urls):
            self.sources_by_url[source.url] = source  # the first by slug wins
        for source in in_chunks(Source.objects.all(), "slug", slugs):
            self.sources_by_slug[source.slug] = source

        chosen, created, updated = {}, [], {}
        for record in batch:
            if record.source is None:
                continue
            values = self.source_values(record.source)
            visit = self.visits.get(self.key_of(record))
            source = self.match_source(record.source, values, visit)
            if source is None:
                source = Source(slug=record.source.slug, **values)
                created.append(source)
                self.sources_by_slug[source.slug] = source
            elif any(getattr(source, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(source, field, value)
                if source.pk is not None:
                    updated[source.pk] = source
            if source.url:
                self.sources_by_url.setdefault(source.url, source)
            chosen[id(record)] = source
        self.create(Source, created)
        self.update(Source, list(updated.values()), SOURCE_FIELDS)
        self.counts["sources created"] += len(created)
        self.counts["sources updated"] += len(updated)
        return chosen

    def source_values(self, source):
        return {
            "title": source.title,
            "publisher_id": self.organizations[source.publisher.slug].pk,
            "dateline": source.dateline,
            "published_on": source.published_on,
            "url": source.url,
        }

    def match_source(self, record, values, visit):
        """The existing source a record means: one of the visit's, else by URL, else by slug."""

        def same(source):
            if values["url"]:
                return source.url == values["url"]
            return (source.publisher_id, source.title, source.published_on) == (
                values["publisher_id"],
                values["title"],
                values["published_on"],
            )

        if visit is not None:
            for source in sorted(self.visit_sources.get(visit.pk, []), key=lambda s: s.slug):
                if same(source):
                    return source
        if values["url"] and values["url"] in self.sources_by_url:
            return self.sources_by_url[values["url"]]
        return self.sources_by_slug.get(record.slug)
