"""A page for each record. Each view fetches everything its template shows, so a page makes
a fixed number of queries however many rows it lists; long lists stop at DETAIL_ROWS and
link to the filtered list that has them all."""

from django.db.models import Count, F, Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView

from ..caching import remember
from ..models import (
    Agreement,
    Country,
    DelegationMember,
    Journey,
    Meeting,
    Organization,
    Person,
    Source,
    Visit,
)
from ..timeline import cached_timeline

DETAIL_ROWS = 50


def sources_prefetch():
    return Prefetch("sources", queryset=Source.objects.select_related("publisher"))


visit_detail = DetailView.as_view(
    queryset=Visit.objects.with_related()
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
    ),
)

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
        "children": organization.children.select_related("country"),
        "visits": visits[:DETAIL_ROWS],
        "visit_count": visits.count(),
        "meetings": meetings[:DETAIL_ROWS],
        "meeting_count": meetings.count(),
        "agreements": organization.agreements.select_related("signed_country")[:DETAIL_ROWS],
        "sources": organization.sources.select_related("publisher")[:DETAIL_ROWS],
    }
    return render(request, "visits/organization_detail.html", context)


def person_detail(request, slug):
    person = get_object_or_404(Person.objects.select_related("country"), slug=slug)
    led = Visit.objects.with_related().filter(delegation__head=person)
    context = {
        "object": person,
        "person": person,
        "also_written": person.names.exclude(name=person.name).values("name", "language"),
        "led": led[:DETAIL_ROWS],
        "led_count": led.count(),
        "joined": person.delegations_joined.select_related(
            "delegation__visit__guest_country", "delegation__visit__host_country", "organization"
        )[:DETAIL_ROWS],
        "participations": person.participations.select_related(
            "meeting__country", "organization"
        ).order_by(F("meeting__date").desc(nulls_last=True))[:DETAIL_ROWS],
        "signatures": person.signatures.select_related("agreement", "organization")[:DETAIL_ROWS],
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


def country_figures(country):
    """What a country's page counts (its partners, visits and agreements): read from every
    visit and agreement of the country, so kept in the cache until the records change (the
    busiest countries have a large share of all visits)."""

    def compute():
        partners = partner_counts(country)
        return {
            "partners": partners,
            "visits_made_count": sum(row["made"] for row in partners),
            "visits_received_count": sum(row["received"] for row in partners),
            "agreement_count": country.agreements.count(),
        }

    return remember(("country-figures", country.pk), compute)


def country_detail(request, code):
    country = get_object_or_404(Country, code=code.upper())
    figures = country_figures(country)
    country.visits_made_count = figures["visits_made_count"]
    country.visits_received_count = figures["visits_received_count"]
    context = {
        "object": country,
        "country": country,
        "visits_made": country.visits_made.with_related()[:DETAIL_ROWS],
        "visits_received": country.visits_received.with_related()[:DETAIL_ROWS],
        "agreements": country.agreements.select_related("signed_country")[:DETAIL_ROWS],
        "agreement_count": figures["agreement_count"],
        "partners": figures["partners"],
        "organizations": country.organizations.all()[:DETAIL_ROWS],
        "people": country.people.all()[:DETAIL_ROWS],
        "timeline": cached_timeline(Visit.objects.involving(country), f"country:{country.code}"),
    }
    return render(request, "visits/country_detail.html", context)


def source_detail(request, slug):
    source = get_object_or_404(Source.objects.select_related("publisher"), slug=slug)
    context = {
        "object": source,
        "source": source,
        "visits": source.visits.with_related()[:DETAIL_ROWS],
        "meetings": source.meetings.with_related()[:DETAIL_ROWS],
        "agreements": source.agreements.all()[:DETAIL_ROWS],
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
