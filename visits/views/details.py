"""A page for each record. Each view fetches everything its template shows, so a page makes
a fixed number of queries however many rows it lists. Long lists stop (at DETAIL_ROWS on a
record's page, at SUMMARY_ROWS on a country's) and say how many there are in all, with a link
to the filtered list that has them all: a section is never cut silently."""

import bisect
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Window
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views.generic import DetailView

from .. import maps
from ..caching import remember
from ..models import (
    Agreement,
    Country,
    Delegation,
    DelegationMember,
    Journey,
    Meeting,
    Organization,
    Person,
    Source,
    Visit,
)
from ..names import language_name
from ..timeline import cached_timeline

DETAIL_ROWS = 50
OTHER_NAMES_OPEN = 8  # more other names than this are listed folded (a <details>)
SUMMARY_ROWS = 10  # what a country's page shows of each of its lists
PAIR_ROWS = 5  # the latest visits between the same two countries, on a visit's page


@dataclass
class Cut:
    """The first rows of a list and how many there are in all."""

    rows: list
    total: int

    @property
    def more(self):
        return self.total > len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __bool__(self):
        return bool(self.rows)

    def __len__(self):
        return len(self.rows)


def first_rows(queryset, limit=DETAIL_ROWS):
    """The first `limit` records and the number of them all, in one query: a window count over
    the whole set, taken before the cut."""
    rows = list(queryset.annotate(rows_in_all=Window(Count("*")))[:limit])
    return Cut(rows, rows[0].rows_in_all if rows else 0)


def sources_prefetch():
    return Prefetch("sources", queryset=Source.objects.select_related("publisher"))


VISIT_PAGE = (
    Visit.objects.with_related()
    .with_stop_number()
    .select_related("journey", "part_of")
    .prefetch_related(
        Prefetch(
            "delegation__members",
            queryset=DelegationMember.objects.select_related("person", "organization"),
        ),
        Prefetch(
            "meetings",
            queryset=Meeting.objects.with_related()
            .with_participants()
            .order_by(F("date").asc(nulls_last=True), "position", "title"),
        ),
        Prefetch(
            "agreements",
            queryset=Agreement.objects.select_related("signed_country").with_signatories(),
        ),
        sources_prefetch(),
        Prefetch("accompanying", queryset=Visit.objects.order_by("start_date", "slug")),
        Prefetch(
            "journey__stops",
            queryset=Visit.objects.select_related("host_country").order_by("start_date", "slug"),
        ),
    )
)


def led_around(visit, head):
    """The visits the head led just before and just after this one (by date, then slug), or
    None. The head's visits, by date, are read once per data version through the
    delegations' index by head and kept (an ORDER BY in SQL made PostgreSQL walk every visit in
    date order to find a rare head's; reading a busy head's thousands of visits took 100 ms a
    page at a million visits)."""
    led = remember(
        ("led-by", head.pk),
        lambda: sorted(
            Delegation.objects.filter(head=head).values_list("visit__start_date", "visit__slug")
        ),
    )
    here = bisect.bisect_left(led, (visit.start_date, visit.slug))
    slugs = {
        "previous": led[here - 1][1] if here > 0 else None,
        "next": led[here + 1][1] if here + 1 < len(led) else None,
    }
    found = Visit.objects.select_related("host_country").in_bulk(
        [slug for slug in slugs.values() if slug], field_name="slug"
    )
    return found.get(slugs["previous"]), found.get(slugs["next"])


def latest_between(visit, limit=PAIR_ROWS):
    """The latest other visits between a visit's two countries, either way, newest first, and
    how many there are: each way's latest read from the pair index, then merged; each way
    counted in the pair index alone (one count over both ways read every visit's row)."""
    others = Visit.objects.with_related().exclude(pk=visit.pk)
    ways = {
        (visit.guest_country_id, visit.host_country_id),
        (visit.host_country_id, visit.guest_country_id),
    }
    rows = []
    for guest, host in ways:
        way = others.filter(guest_country_id=guest, host_country_id=host)
        rows += way.order_by("-start_date", "slug")[:limit]
    rows.sort(key=lambda other: other.slug)
    rows.sort(key=lambda other: other.start_date, reverse=True)
    counts = [
        Visit.objects.filter(guest_country_id=guest, host_country_id=host)
        .order_by()
        .values("guest_country")
        .annotate(n=Count("*"))
        .values_list("n", flat=True)
        for guest, host in ways
    ]
    found = counts[0].union(*counts[1:], all=True).order_by() if len(counts) > 1 else counts[0]
    return Cut(rows[:limit], sum(found) - 1)


def visit_detail(request, slug):
    """A visit, with what surrounds it: the other stops of its journey, the previous and next
    visits its delegation's head led, and the latest visits between the same two countries."""
    visit = get_object_or_404(VISIT_PAGE, slug=slug)
    head = visit.delegation_or_none and visit.delegation.head
    previous_led, next_led = led_around(visit, head) if head else (None, None)
    context = {
        "object": visit,
        "visit": visit,
        "stops": visit.journey.stops.all() if visit.journey else [],
        "previous_led": previous_led,
        "next_led": next_led,
        "between": latest_between(visit),
    }
    return render(request, "visits/visit_detail.html", context)


meeting_detail = DetailView.as_view(
    queryset=Meeting.objects.select_related(
        "country", "host_organization", "body__parent", "visit__guest_country"
    )
    .with_participants()
    .prefetch_related(
        Prefetch("agreements", queryset=Agreement.objects.select_related("signed_country")),
        sources_prefetch(),
    ),
)

agreement_detail = DetailView.as_view(
    queryset=Agreement.objects.select_related(
        "signed_country", "visit__guest_country", "visit__host_country", "meeting"
    )
    .with_parties()
    .with_signatories()
    .prefetch_related(sources_prefetch()),
)


def organization_detail(request, slug):
    organization = get_object_or_404(
        Organization.objects.select_related("country", "parent"), slug=slug
    )
    visits = Visit.objects.with_related().filter(delegation__organization=organization)
    meetings = Meeting.objects.with_related().with_organization(organization)
    context = {
        "object": organization,
        "organization": organization,
        "other_names": other_names(
            organization.names, {organization.name, organization.short_name}
        ),
        "children": first_rows(organization.children.select_related("country")),
        "visits": first_rows(visits),
        "meetings": first_rows(meetings),
        "agreements": first_rows(organization.agreements.select_related("signed_country")),
        "sources": first_rows(organization.sources.select_related("publisher")),
    }
    return render(request, "visits/organization_detail.html", context)


def other_names(names, shown):
    """A record's other names for its page, one query: [{name, lang, languages}], each name
    once with the languages it is written so in (a country's name is the same in several),
    without the names the page already shows."""
    grouped = {}
    for name, language in names.order_by("name", "language").values_list("name", "language"):
        if name in shown:
            continue
        entry = grouped.setdefault(name, {"name": name, "lang": language, "languages": []})
        label = language_name(language)
        if label and label not in entry["languages"]:
            entry["languages"].append(label)
    found = sorted(grouped.values(), key=lambda entry: (entry["languages"], entry["name"]))
    return {"names": found, "folded": len(found) > OTHER_NAMES_OPEN}


def person_detail(request, slug):
    person = get_object_or_404(Person.objects.select_related("country"), slug=slug)
    context = {
        "object": person,
        "person": person,
        "other_names": other_names(person.names, {person.name}),
        "led": first_rows(Visit.objects.with_related().filter(delegation__head=person)),
        "joined": first_rows(
            person.delegations_joined.select_related(
                "delegation__visit__guest_country",
                "delegation__visit__host_country",
                "organization",
            )
        ),
        "participations": first_rows(
            person.participations.select_related("meeting__country", "organization").order_by(
                F("meeting__date").desc(nulls_last=True)
            )
        ),
        "signatures": first_rows(person.signatures.select_related("agreement", "organization")),
    }
    return render(request, "visits/person_detail.html", context)


def partner_counts(country):
    """Each partner country with the visits made to it and received from it, most first."""
    made = (
        country.visits_made.order_by()
        .values("host_country")
        .annotate(n=Count("*"))
        .values_list("host_country", "n")
    )
    received = (
        country.visits_received.order_by()
        .values("guest_country")
        .annotate(n=Count("*"))
        .values_list("guest_country", "n")
    )
    counts = {}
    for partner, n in made:
        counts.setdefault(partner, [0, 0])[0] = n
    for partner, n in received:
        counts.setdefault(partner, [0, 0])[1] = n
    partners = Country.objects.in_bulk(list(counts))
    rows = [
        {"country": partners[pk], "made": m, "received": r, "total": m + r}
        for pk, (m, r) in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row["total"], row["country"].name))


def most_active(queryset, through):
    """The records of a queryset with the most visits through `through`, each with `visits`."""
    return list(queryset.annotate(visits=Count(through)).order_by("-visits", "name")[:SUMMARY_ROWS])


def country_figures(country):
    """What a country's page counts (its partners, visits, agreements, people and
    organizations): read from every visit and agreement of the country, so kept in the cache
    until the records change (the busiest countries have a large share of all visits)."""

    def compute():
        partners = partner_counts(country)
        return {
            "partners": partners,
            "visits_made_count": sum(row["made"] for row in partners),
            "visits_received_count": sum(row["received"] for row in partners),
            "agreement_count": country.agreements.count(),
            "people": Cut(
                most_active(country.people.all(), "delegations_led"), country.people.count()
            ),
            "organizations": Cut(
                most_active(country.organizations.all(), "delegations"),
                country.organizations.count(),
            ),
        }

    return remember(("country-figures", country.pk), compute)


def country_detail(request, code):
    """A country in summary: its figures, its ten main partners, its latest ten visits each
    way, agreements, people and organizations, each with a link to all of them."""
    country = get_object_or_404(Country, code=code.upper())
    figures = country_figures(country)
    country.visits_made_count = figures["visits_made_count"]
    country.visits_received_count = figures["visits_received_count"]
    partners = figures["partners"]
    context = {
        "object": country,
        "country": country,
        "other_names": other_names(country.names, {country.name, country.official_name}),
        "visits_made": country.visits_made.with_related()[:SUMMARY_ROWS],
        "visits_received": country.visits_received.with_related()[:SUMMARY_ROWS],
        "agreements": country.agreements.select_related("signed_country")[:SUMMARY_ROWS],
        "agreement_count": figures["agreement_count"],
        "partners": Cut(partners[:SUMMARY_ROWS], len(partners)),
        "organizations": figures["organizations"],
        "people": figures["people"],
        "timeline": cached_timeline(Visit.objects.involving(country), f"country:{country.code}"),
        "world_map": maps.country_map(country),
        "timeline_query": f"country={country.code}",
    }
    return render(request, "visits/country_detail.html", context)


def country_partners(request, code):
    """Every partner country of a country, with the visits each way."""
    country = get_object_or_404(Country, code=code.upper())
    partners = country_figures(country)["partners"]
    context = {
        "object": country,
        "country": country,
        "partners": partners,
        # Some 240 rows of links, drawn once per data version (and language).
        "partner_table": remember(
            ("partner-table", country.pk),
            lambda: render_to_string(
                "_partials.html#partner_table", {"country": country, "partners": partners}
            ),
        ),
        "meta_title": gettext("Partner countries of %(name)s") % {"name": country.name},
        "meta_description": gettext(
            "Every country that %(name)s exchanged visits with, with the visits each way."
        )
        % {"name": country.name},
    }
    return render(request, "visits/country_partners.html", context)


def source_detail(request, slug):
    source = get_object_or_404(Source.objects.select_related("publisher"), slug=slug)
    context = {
        "object": source,
        "source": source,
        "visits": first_rows(source.visits.with_related()),
        "meetings": first_rows(source.meetings.with_related()),
        "agreements": first_rows(source.agreements.all()),
    }
    return render(request, "visits/source_detail.html", context)


def journey_detail(request, slug):
    """A journey's itinerary: its stops in order, with their dates, countries and places."""
    journey = get_object_or_404(Journey.objects.select_related("traveller"), slug=slug)
    stops = list(
        journey.stops.select_related("host_country", "part_of").order_by("start_date", "slug")
    )
    context = {
        "object": journey,
        "journey": journey,
        "stops": stops,
        "country_count": len({stop.host_country_id for stop in stops}),
    }
    return render(request, "visits/journey_detail.html", context)
