"""Facets: beside a list, the values of its current result along a few dimensions (guest and
host country, kind, year, person, organization), each with how many records have it and a link
that adds it to the filters — Datasette's facet counts, computed on the server.

A facet counts with the list's own rules, so that its count is the size of the list its link
leads to: a visit's people are its delegation's head and members and its meetings'
participants, as `with_person` has it; a visit counts in every year it overlaps, as the `year`
filter has it. Each count is a GROUP BY over the filtered records (a UNION first, where a rule
has several halves); counts() is what the list keeps in the cache, on the data version, and the
view turns into links.

A facet whose filter is in use shows only its chosen values, with links that remove them:
another value would replace or widen the filter, not narrow the list."""

import datetime
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, F

from . import models
from .timeline import Year

TOP = 8  # values shown before "more"
ALL = 500  # values shown when a facet is opened
DECADES_FROM = 16  # years spanned from which years are counted by decade


@dataclass
class FacetValue:
    label: str
    count: int
    param: str  # the filter's value in the address (a code, a slug, a kind, a year)
    key: object = None  # what the filter's cleaned value is compared with
    period: tuple | None = None  # a decade: (first day, last day)


@dataclass
class FacetCounts:
    """What is cached: a facet's values, most frequent first, and whether there are more."""

    name: str
    title: str
    values: list
    more: bool = False


@dataclass
class Link:
    label: str
    count: int
    href: str
    active: bool = False


@dataclass
class ShownFacet:
    """A facet as the template shows it: links, and where "more" or "fewer" lead."""

    name: str
    title: str
    links: list = field(default_factory=list)
    more_href: str = ""
    fewer_href: str = ""


def pair_counts(querysets, limit):
    """[(value, records)] over pairs (record, value) that several querysets give, each pair
    once: SELECT v, COUNT(*) FROM (q1 UNION q2 …) GROUP BY v, most first."""
    parts = [queryset.order_by() for queryset in querysets]
    union = parts[0].union(*parts[1:]).order_by() if len(parts) > 1 else parts[0]
    sql, params = union.query.get_compiler(union.db).as_sql()
    with connections[union.db].cursor() as cursor:
        cursor.execute(
            f"SELECT v, COUNT(*) AS n FROM ({sql}) pairs WHERE v IS NOT NULL "
            "GROUP BY v ORDER BY n DESC, v LIMIT %s",
            [*params, limit],
        )
        return cursor.fetchall()


class RecordFacet:
    """Counts of related records (countries, people, organizations), named in the address by
    `to_field`. `sources(keys)` gives the querysets of pairs (r, v): a record of the list (of
    those whose keys the subquery gives, or all) and a related record's key."""

    def __init__(self, name, title, param, model, to_field, sources):
        self.name, self.title, self.param = name, title, param
        self.model, self.to_field, self.sources = model, to_field, sources

    def counts(self, keys, limit, cleaned):
        rows = pair_counts(self.sources(keys), limit + 1)
        named = self.model.objects.in_bulk([pk for pk, _ in rows])
        values = [
            FacetValue(
                label=named[pk].name, count=n, param=getattr(named[pk], self.to_field), key=pk
            )
            for pk, n in rows[:limit]
            if pk in named
        ]
        return FacetCounts(self.name, self.title, values, more=len(rows) > limit)

    def active_keys(self, cleaned):
        value = cleaned.get(self.param)
        if not value:
            return None
        return {item.pk for item in (value if isinstance(value, list) else [value])}


class KindFacet:
    """Counts by a column with choices (the kind)."""

    def __init__(self, model, title="Kind", param="kind", column="kind"):
        self.name, self.title, self.param = param, title, param
        self.model, self.column = model, column

    def counts(self, keys, limit, cleaned):
        rows = (
            within(self.model, keys)
            .values(v=F(self.column))
            .annotate(n=Count("pk"))
            .order_by("-n", "v")
        )
        labels = dict(self.model._meta.get_field(self.column).choices)
        values = [
            FacetValue(label=str(labels.get(row["v"], row["v"])), count=row["n"], param=row["v"])
            for row in rows
        ]
        for value in values:
            value.key = value.param
        return FacetCounts(self.name, self.title, values[:limit], more=len(values) > limit)

    def active_keys(self, cleaned):
        value = cleaned.get(self.param)
        return {value} if value else None


class YearFacet:
    """Counts by year (the `year` filter), or by decade (a period, date_after and date_before)
    when the result spans many years. A record counts in every year from its first to its
    last day, as the filters' overlap rule has it."""

    name = param = "year"

    def __init__(self, model, first, last=None):
        self.model, self.first, self.last = model, first, last or first

    def counts(self, keys, limit, cleaned):
        records = within(self.model, keys).filter(**{f"{self.first}__isnull": False})
        spans = (
            records.values(a=Year(self.first), b=Year(self.last)).annotate(n=Count("pk")).order_by()
        )
        years = {}
        for row in spans:
            for year in range(row["a"], (row["b"] or row["a"]) + 1):
                years[year] = years.get(year, 0) + row["n"]
        if not years:
            return FacetCounts(self.name, "Year", [])
        if max(years) - min(years) + 1 < DECADES_FROM or cleaned.get("year"):
            values = [
                FacetValue(label=str(year), count=n, param=str(year), key=year)
                for year, n in sorted(years.items(), reverse=True)
            ]
            return FacetCounts(self.name, "Year", values[:limit], more=len(values) > limit)
        return FacetCounts(self.name, "Decade", self.decades(spans, cleaned.get("date")))

    def decades(self, spans, period):
        """Newest first, each with the period of its link: the decade within the period in
        use, so that the list it leads to holds exactly the records counted."""
        counted = {}
        for row in spans:
            for decade in range(row["a"] // 10 * 10, (row["b"] or row["a"]) + 1, 10):
                counted[decade] = counted.get(decade, 0) + row["n"]
        values = []
        for decade, n in sorted(counted.items(), reverse=True):
            start, end = datetime.date(decade, 1, 1), datetime.date(decade + 9, 12, 31)
            if period and period.start:
                start = max(start, period.start)
            if period and period.stop:
                end = min(end, period.stop)
            if start <= end:
                values.append(
                    FacetValue(label=f"{decade}s", count=n, param="", period=(start, end))
                )
        return values

    def active_keys(self, cleaned):
        year = cleaned.get("year")
        return {int(year)} if year else None


def within(model, keys, field="pk"):
    """The model's rows whose `field` is one of the keys (a subquery), or all of them."""
    return model.objects.all() if keys is None else model.objects.filter(**{f"{field}__in": keys})


def pairs(queryset, record, value):
    return queryset.values(r=F(record), v=F(value))


def column(model, name):
    """Pairs of a list's record and one of its own columns."""
    return lambda keys: [pairs(within(model, keys), "pk", name)]


def related(model, parent, value):
    """Pairs from a table of `model` that points to the list's record by `parent` (rows that
    point to none, such as a visit outside any journey, are left out)."""
    return lambda keys: [
        pairs(
            within(model, keys, parent).filter(**{f"{parent}__isnull": False}),
            f"{parent}_id",
            value,
        )
    ]


def joined(*sources):
    return lambda keys: [pair for source in sources for pair in source(keys)]


# What each list counts. The sources follow the QuerySet rules of visits.models: involving,
# with_person, with_organization, with_party, signed_by, with_party_organization.

visit_people = joined(
    related(models.Delegation, "visit", "head_id"),
    lambda keys: [
        pairs(
            within(models.DelegationMember, keys, "delegation__visit"),
            "delegation__visit_id",
            "person_id",
        ),
        pairs(
            within(models.MeetingParticipant, keys, "meeting__visit").filter(
                meeting__visit__isnull=False
            ),
            "meeting__visit_id",
            "person_id",
        ),
    ],
)
visit_organizations = joined(
    related(models.Delegation, "visit", "organization_id"),
    related(models.Meeting, "visit", "host_organization_id"),
)
AgreementCountry = models.Agreement.party_countries.through
AgreementOrganization = models.Agreement.party_organizations.through


def countries(name, title, sources):
    return RecordFacet(name, title, name, models.Country, "code", sources)


def people(title, sources):
    return RecordFacet("person", title, "person", models.Person, "slug", sources)


def organizations(title, sources):
    return RecordFacet("organization", title, "organization", models.Organization, "slug", sources)


FACETS = {
    models.Visit: [
        countries("guest", "Guest country", column(models.Visit, "guest_country_id")),
        countries("host", "Host country", column(models.Visit, "host_country_id")),
        KindFacet(models.Visit),
        YearFacet(models.Visit, "start_date", "last_day"),
        people("Person", visit_people),
        organizations("Organization", visit_organizations),
    ],
    models.Meeting: [
        countries(
            "country",
            "Country",
            joined(
                column(models.Meeting, "country_id"),
                related(models.MeetingParticipant, "meeting", "person__country_id"),
            ),
        ),
        KindFacet(models.Meeting),
        YearFacet(models.Meeting, "date"),
        people("Person", related(models.MeetingParticipant, "meeting", "person_id")),
        organizations(
            "Organization",
            joined(
                column(models.Meeting, "host_organization_id"), column(models.Meeting, "body_id")
            ),
        ),
    ],
    models.Agreement: [
        countries(
            "country",
            "Party",
            joined(
                related(AgreementCountry, "agreement", "country_id"),
                related(AgreementOrganization, "agreement", "organization__country_id"),
            ),
        ),
        KindFacet(models.Agreement),
        YearFacet(models.Agreement, "signed_on"),
        people("Signatory", related(models.Signatory, "agreement", "person_id")),
        organizations(
            "Party (organization)", related(AgreementOrganization, "agreement", "organization_id")
        ),
    ],
    models.Journey: [
        countries(
            "country", "Country visited", related(models.Visit, "journey", "host_country_id")
        ),
        YearFacet(models.Journey, "start_date", "end_date"),
        people("Traveller", column(models.Journey, "traveller_id")),
    ],
    models.Organization: [
        countries("country", "Country", column(models.Organization, "country_id")),
        KindFacet(models.Organization, "Classification", "kind", "classification"),
    ],
    models.Person: [
        countries("country", "Country", column(models.Person, "country_id")),
    ],
    models.Country: [
        KindFacet(models.Country, "Status", "status", "status"),
    ],
}


def facets_of(model):
    return FACETS.get(model, [])


def facet_named(model, name):
    return next((facet for facet in facets_of(model) if facet.name == name), None)


def facet_names(model):
    return [facet.name for facet in facets_of(model)]


def counts(model, records, cleaned, opened=None):
    """The facets of a filtered queryset (records, or None for all the model's records):
    [FacetCounts], each with its TOP values (ALL for the facet `opened`), and, for a facet
    whose filter is in use, its chosen values alone."""
    keys = None if records is None else records.order_by().values("pk")
    found = []
    for facet in facets_of(model):
        active = facet.active_keys(cleaned)
        limit = ALL if facet.name == opened or active is not None else TOP
        result = facet.counts(keys, limit, cleaned)
        if active is not None:
            result.values = [value for value in result.values if value.key in active]
            result.more = False
        found.append(result)
    return found
