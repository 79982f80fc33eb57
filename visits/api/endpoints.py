"""What the API serves: each kind of record with its list (the HTML list's view, so the same
queryset, filters and order), what a page of it must fetch, and how its records read.

A list's queryset is its HTML list's, with only what the API shows beyond the page added
(select_related and prefetches: the rows and their order stay the same). Each queryset is
built so that a page of any size, or a record, takes a fixed number of queries."""

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch

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
from ..views import lists
from . import serialize


def with_sources(queryset):
    return queryset.prefetch_related(
        Prefetch("sources", queryset=Source.objects.select_related("publisher").order_by("slug"))
    )


def visits(queryset):
    return with_sources(queryset.select_related("part_of", "journey"))


def meetings(queryset):
    return with_sources(queryset.with_participants())


def agreements(queryset):
    return with_sources(queryset.select_related("visit", "meeting").with_signatories())


def same(queryset):
    return queryset


def with_visit_counts(countries):
    """Each country with the visits it made and received, read from the counts the country
    list keeps (two GROUP BYs over all the visits, once per change of the data)."""
    counts = lists.cached(lists.visit_counts, "visit-counts")
    for country in countries:
        country.visit_counts = counts.get(country.pk, (0, 0))


@dataclass(frozen=True)
class Endpoint:
    """A kind of record in the API: `/api/<plural>/` and `/api/<plural>/<key>/`."""

    name: str  # the route names' stem: api:visit_list, api:visit_detail (and the pages')
    plural: str  # the address: /api/visits/
    view_class: Any  # the HTML list (visits.views.lists)
    prepare: Any  # the list's queryset -> the same, with what the API shows of a row
    item: Any  # (links, record) -> a list's item
    record: Any  # (links, record) -> the record
    detail_queryset: Any  # () -> the queryset a record is read from
    key: str = "slug"
    decorate: Any = None  # rows -> None: add what the serialization reads beyond the fields
    summary: str = ""

    @property
    def filterset_class(self):
        return self.view_class.filterset_class

    @property
    def model(self):
        return self.filterset_class._meta.model

    def queryset(self):
        """The HTML list's queryset, with what the API shows of each row."""
        return self.prepare(self.view_class.queryset.all())


def visit_detail_queryset():
    return visits(Visit.objects.with_related()).prefetch_related(
        Prefetch(
            "delegation__members",
            queryset=DelegationMember.objects.select_related("person", "organization"),
        ),
        Prefetch(
            "meetings",
            queryset=Meeting.objects.order_by(F("date").asc(nulls_last=True), "position", "title"),
        ),
        Prefetch("agreements", queryset=Agreement.objects.all()),
        # Unordered: sorted by the serializer. Asked to sort, SQLite walks the visits by date
        # (200 ms at 100,000 visits) rather than find the few that were part of this one.
        Prefetch("accompanying", queryset=Visit.objects.order_by()),
    )


def meeting_detail_queryset():
    return meetings(Meeting.objects.with_related()).prefetch_related(
        Prefetch("agreements", queryset=Agreement.objects.all())
    )


def journey_detail_queryset():
    return (
        Journey.objects.select_related("traveller")
        .with_counts()
        .prefetch_related(
            Prefetch(
                "stops",
                queryset=Visit.objects.select_related("host_country").order_by(
                    "start_date", "slug"
                ),
            )
        )
    )


ENDPOINTS = [
    Endpoint(
        "visit",
        "visits",
        lists.VisitList,
        visits,
        serialize.visit,
        serialize.visit_record,
        visit_detail_queryset,
        summary="Visits: a delegation's trip from a guest country to a host country.",
    ),
    Endpoint(
        "meeting",
        "meetings",
        lists.MeetingList,
        meetings,
        serialize.meeting,
        serialize.meeting_record,
        meeting_detail_queryset,
        summary="Meetings, held during a visit or on their own, with their participants.",
    ),
    Endpoint(
        "agreement",
        "agreements",
        lists.AgreementList,
        agreements,
        serialize.agreement,
        serialize.agreement_record,
        lambda: agreements(Agreement.objects.select_related("signed_country").with_parties()),
        summary="Agreements, with their parties, signatories and validity.",
    ),
    Endpoint(
        "journey",
        "journeys",
        lists.JourneyList,
        same,
        serialize.journey,
        serialize.journey_record,
        journey_detail_queryset,
        summary="Journeys: a traveller's consecutive stops, each stop a visit.",
    ),
    Endpoint(
        "organization",
        "organizations",
        lists.OrganizationList,
        same,
        serialize.organization,
        serialize.organization_record,
        lambda: Organization.objects.select_related("country", "parent").prefetch_related(
            Prefetch("children", queryset=Organization.objects.order_by("name", "slug"))
        ),
        summary="Organizations: government bodies, intergovernmental bodies, news agencies…",
    ),
    Endpoint(
        "person",
        "people",
        lists.PersonList,
        same,
        serialize.person,
        serialize.person_record,
        lambda: Person.objects.select_related("country").prefetch_related("names"),
        summary="People who led or joined a delegation, took part in a meeting or signed.",
    ),
    Endpoint(
        "country",
        "countries",
        lists.CountryList,
        same,
        serialize.country,
        serialize.country_record,
        lambda: Country.objects.all(),
        key="code",
        decorate=with_visit_counts,
        summary="Countries (only those with records, unless all=true), with their visits.",
    ),
]
BY_NAME = {endpoint.name: endpoint for endpoint in ENDPOINTS}
