"""Journeys and accompanying visits, found in the visits themselves.

- group_journeys(): a traveller's (the delegation head's) visits whose dates touch or overlap
  (the next one starts at most one day after the last day so far) are the stops of one journey,
  when there are two or more of them; a lone visit has none. A journey's slug is the traveller's
  slug and its first day, so running it again finds the same journeys and changes nothing.
  Journeys an editor has set (grouping EDITOR) and their stops are never touched.
- link_accompanying(): a visit whose summary says its traveller "accompanied (the) President"
  becomes part of the President's visit to the same host, from the same country, whose dates
  overlap. A part_of already set (by an editor, or an earlier run) is kept.

Both read the visits once, ordered, as a stream, and write in bulk with history (reason
"group_journeys"), so the work grows with the number of visits and memory with a batch.
"""

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Subquery
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .importing.records import GROUPING, in_chunks
from .models import Country, Journey, Visit
from .models.journeys import date_span

REASON = GROUPING
ONE_DAY = timedelta(days=1)
RUNS_PER_BATCH = 2000
BATCH = 500  # rows a bulk write sends at once (a larger UPDATE … CASE is slow to build)
ACCOMPANIED = re.compile(r"\baccompanied\s+(?:the\s+)?president\b", re.IGNORECASE)
PRESIDENT = "President"
DATES, EDITOR = Journey.Grouping.DATES, Journey.Grouping.EDITOR
ROW_FIELDS = [
    "pk",
    "delegation__head_id",
    "delegation__head__slug",
    "delegation__head__name",
    "start_date",
    "last_day",
    "host_country_id",
    "journey_id",
    "journey__grouping",
]


@dataclass
class Outcome:
    """What a run did, and the journeys there are after it."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    stops_changed: int = 0
    journeys: int = 0
    sizes: Counter = field(default_factory=Counter)  # stops -> journeys with that many
    linked: int = 0  # visits saying "accompanied the President" that are part of a visit
    newly_linked: int = 0
    not_found: int = 0

    def stops(self):
        return sorted(self.sizes.elements())

    def summary(self):
        stops = self.stops()
        shape = (
            f"stops per journey: median {statistics.median(stops):g}, max {max(stops)}"
            if stops
            else "no stops"
        )
        return (
            f"Journeys: {self.journeys} made ({shape}); accompanying visits linked: "
            f"{self.linked} ({self.not_found} not found)"
        )


def run_rows():
    """Every visit that has a traveller, ordered by traveller and date, read as a stream."""
    return (
        Visit.objects.filter(delegation__head__isnull=False)
        .order_by("delegation__head_id", "start_date", "last_day", "pk")
        .values_list(*ROW_FIELDS, named=True)
        .iterator(chunk_size=5000)
    )


def runs(rows):
    """The visits of one traveller whose dates touch or overlap, in order, as lists of rows.
    Stops of an editor's journey are left out (they are not regrouped)."""
    run, traveller, reach = [], None, None
    for row in rows:
        if row.journey__grouping == EDITOR:
            continue
        if row.delegation__head_id != traveller or row.start_date > reach + ONE_DAY:
            if run:
                yield run
            run, traveller, reach = [], row.delegation__head_id, row.last_day
        run.append(row)
        reach = max(reach, row.last_day)
    if run:
        yield run


def countries_phrase(names):
    if len(names) > 4:
        return f"{', '.join(names[:3])} and {len(names) - 3} other countries"
    if len(names) > 1:
        return f"{', '.join(names[:-1])} and {names[-1]}"
    return names[0]


def journey_values(run, country_names):
    """What a run of stops makes of its journey: slug, title, traveller and dates."""
    first = run[0]
    end = max(row.last_day for row in run)
    hosts = list(dict.fromkeys(country_names[row.host_country_id] for row in run))
    title = (
        f"{first.delegation__head__name}'s journey to {countries_phrase(hosts)}, "
        f"{date_span(first.start_date, end)}"
    )
    max_title = Journey._meta.get_field("title").max_length
    return {
        "slug": f"{first.delegation__head__slug[:140]}-{first.start_date.isoformat()}",
        "title": title if len(title) <= max_title else title[: max_title - 1] + "…",
        "traveller_id": first.delegation__head_id,
        "start_date": first.start_date,
        "end_date": end,
    }


def set_with_history(field, values):
    """Set a field of visits ({pk: value}): one UPDATE per value and few hundred visits, then
    their history rows in bulk (Django's bulk_update builds a CASE per row, far slower)."""
    by_value = {}
    for pk, value in values.items():
        by_value.setdefault(value, []).append(pk)
    for value, pks in by_value.items():
        for start in range(0, len(pks), BATCH):
            Visit.objects.filter(pk__in=pks[start : start + BATCH]).update(**{field: value})
    visits = list(in_chunks(Visit.objects.defer("search_text", "search_vector"), "pk", values))
    Visit.history.bulk_history_create(
        visits, update=True, default_change_reason=REASON, batch_size=BATCH
    )
    return len(visits)


class Grouper:
    """Writes the journeys of a batch of runs, and moves the stops that changed journey."""

    FIELDS = ["title", "traveller_id", "start_date", "end_date"]

    def __init__(self, outcome):
        self.outcome = outcome
        self.country_names = dict(Country.objects.values_list("pk", "name"))

    def write(self, batch):
        wanted = {}  # slug -> values
        slugs = []  # each run's journey slug, or None for a lone visit
        for run in batch:
            values = journey_values(run, self.country_names) if len(run) > 1 else None
            slugs.append(values and values["slug"])
            if values:
                wanted[values["slug"]] = values
        journeys = self.save_journeys(wanted)
        moves = {}
        for run, slug in zip(batch, slugs, strict=True):
            journey_id = journeys[slug].pk if slug else None
            for row in run:
                if row.journey_id != journey_id:
                    moves[row.pk] = journey_id
        self.move_stops(moves)

    def save_journeys(self, wanted):
        """{wanted slug: Journey}, found (and brought up to date) or created. A slug an
        editor's journey holds gets a number ("-2") for the new journey."""
        found = {j.slug: j for j in in_chunks(Journey.objects.all(), "slug", list(wanted))}
        journeys, created, changed = {}, [], []
        for slug, values in wanted.items():
            journey = found.get(slug)
            if journey is not None and journey.grouping == EDITOR:
                values = {**values, "slug": self.free_slug(slug)}
                journey = None
            if journey is None:
                journey = Journey(grouping=DATES, **values)
                created.append(journey)
            elif any(getattr(journey, name) != values[name] for name in self.FIELDS):
                for name in self.FIELDS:
                    setattr(journey, name, values[name])
                changed.append(journey)
            journeys[slug] = journey
        if created:
            bulk_create_with_history(
                created, Journey, default_change_reason=REASON, batch_size=BATCH
            )
        if changed:
            bulk_update_with_history(
                changed, Journey, self.FIELDS, default_change_reason=REASON, batch_size=BATCH
            )
        self.outcome.created += len(created)
        self.outcome.updated += len(changed)
        return journeys

    @staticmethod
    def free_slug(slug):
        number = 2
        while Journey.objects.filter(slug=f"{slug}-{number}").exists():
            number += 1
        return f"{slug}-{number}"

    def move_stops(self, moves):
        """Set the journey of the visits whose journey changed, with their history."""
        self.outcome.stops_changed += set_with_history("journey_id", moves)


def group_journeys(outcome=None):
    """Group every traveller's visits into journeys (see the module's docstring)."""
    outcome = outcome or Outcome()
    grouper = Grouper(outcome)
    # Visits that lost their traveller leave the journey the dates had put them in.
    lost = Visit.objects.filter(delegation__head__isnull=True, journey__grouping=DATES)
    grouper.move_stops(dict.fromkeys(lost.values_list("pk", flat=True)))
    batch = []
    for run in runs(run_rows()):
        batch.append(run)
        if len(batch) >= RUNS_PER_BATCH:
            grouper.write(batch)
            batch = []
    grouper.write(batch)
    stops = Visit.objects.filter(journey=OuterRef("pk"))
    empty = Journey.objects.filter(grouping=DATES).exclude(Exists(stops))
    outcome.removed = empty.delete()[1].get(Journey._meta.label, 0)
    outcome.sizes = Counter(
        Visit.objects.filter(journey__isnull=False)
        .order_by()
        .values("journey")
        .annotate(stops=Count("pk"))
        .values_list("stops", flat=True)
    )
    outcome.journeys = Journey.objects.count()
    return outcome


def presidents_visit():
    """The President's visit from the same country to the same host, overlapping the dates of
    the visit a subquery is made for (the earliest, when there are several)."""
    return (
        Visit.objects.filter(
            guest_country=OuterRef("guest_country"),
            host_country=OuterRef("host_country"),
            start_date__lte=OuterRef("last_day"),
            last_day__gte=OuterRef("start_date"),
            delegation__head_office=PRESIDENT,
        )
        .exclude(pk=OuterRef("pk"))
        .order_by("start_date", "pk")
        .values("pk")[:1]
    )


def link_accompanying(outcome=None):
    """Link each visit that accompanied the President to the President's visit."""
    outcome = outcome or Outcome()
    rows = (
        Visit.objects.filter(summary__icontains="accompanied")
        .annotate(president=Subquery(presidents_visit()))
        .values_list("pk", "summary", "part_of_id", "president")
        .iterator(chunk_size=2000)
    )
    links = {}
    for pk, summary, part_of, president in rows:
        if not ACCOMPANIED.search(summary):
            continue
        if part_of is not None:
            outcome.linked += 1
        elif president is None:
            outcome.not_found += 1
        else:
            links[pk] = president
    outcome.newly_linked = set_with_history("part_of_id", links)
    outcome.linked += outcome.newly_linked
    return outcome


@transaction.atomic
def find_journeys():
    """Group the journeys and link the accompanying visits: what an import runs at its end."""
    outcome = group_journeys()
    link_accompanying(outcome)
    return outcome


def mark_edited(*journey_ids):
    """An editor changed these journeys or their stops: regrouping leaves them alone from now
    on (grouping EDITOR), and their dates follow their stops. Saved, with history, only when
    something changed."""
    for journey in Journey.objects.filter(pk__in=[pk for pk in journey_ids if pk]):
        span = journey.stops.aggregate(start=Min("start_date"), end=Max("last_day"))
        values = {"grouping": EDITOR}
        if span["start"] is not None:
            values.update(start_date=span["start"], end_date=span["end"])
        if any(getattr(journey, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(journey, name, value)
            journey.save()
