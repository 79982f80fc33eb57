"""The lists: visits, meetings, agreements, organizations, people and countries."""

from django.db.models import Count
from django.shortcuts import render

from ..caching import remember
from ..filters import (
    AgreementFilter,
    CountryListFilter,
    MeetingFilter,
    OrganizationFilter,
    PersonFilter,
    VisitFilter,
    words,
)
from ..listing import filtered_list
from ..models import Agreement, Country, Meeting, Organization, Person, Visit
from ..snippets import snippet
from ..timeline import cached_timeline

HOME_VISITS = 10


def home(request):
    context = {
        "latest_visits": Visit.objects.with_related()[:HOME_VISITS],
        "visit_count": cached(Visit.objects.count, "visit-count"),
        "busiest": cached(most_visited, "most-visited"),
        "timeline": cached_timeline(Visit.objects.all(), "home"),
    }
    return render(request, "visits/home.html", context)


def cached(compute, name):
    """A figure about all the records, computed once per change of the data."""
    return remember(name, compute)


def most_visited(limit=8):
    """The countries that received the most visits, each with visits_received_count: one
    GROUP BY over the visits (counting them country by country took 180 ms for 100,000)."""
    counts = list(
        Visit.objects.order_by()
        .values("host_country")
        .annotate(n=Count("*"))
        .order_by("-n", "host_country__name")
        .values_list("host_country", "n")[:limit]
    )
    countries = Country.objects.in_bulk([pk for pk, _ in counts])
    for pk, n in counts:
        countries[pk].visits_received_count = n
    return [countries[pk] for pk, _ in counts]


def visit_list(request):
    response = filtered_list(
        request,
        VisitFilter,
        Visit.objects.with_related(),
        "visits/visit_list.html",
        timeline=True,
        decorate=show_matches,
    )
    return response


def show_matches(filterset, visits):
    """With a text search, each visit carries the extract of its text where the words are."""
    terms = words(filterset.form.cleaned_data.get("q") or "")
    for visit in visits:
        visit.snippet = snippet(visit.summary, terms) or snippet(visit.search_text, terms)


def meeting_list(request):
    return filtered_list(
        request, MeetingFilter, Meeting.objects.with_related(), "visits/meeting_list.html"
    )


def agreement_list(request):
    queryset = Agreement.objects.select_related("signed_country").prefetch_related(
        "party_countries", "party_organizations"
    )
    return filtered_list(request, AgreementFilter, queryset, "visits/agreement_list.html")


def organization_list(request):
    queryset = Organization.objects.select_related("country", "parent")
    return filtered_list(request, OrganizationFilter, queryset, "visits/organization_list.html")


def person_list(request):
    return filtered_list(
        request,
        PersonFilter,
        Person.objects.select_related("country"),
        "visits/person_list.html",
    )


def country_list(request):
    return filtered_list(
        request,
        CountryListFilter,
        Country.objects.all(),
        "visits/country_list.html",
        decorate=show_visit_counts,
    )


def show_visit_counts(filterset, countries):
    """Each country of the page with the visits it made and received, from two GROUP BYs over
    all the visits kept until the records change (counted country by country, the page took
    1.6 s with a million visits)."""
    counts = cached(visit_counts, "visit-counts")
    for country in countries:
        country.visits_made_count, country.visits_received_count = counts.get(country.pk, (0, 0))


def visit_counts():
    """{country pk: (visits made, visits received)}."""
    counts = {}
    for side, index in (("guest_country", 0), ("host_country", 1)):
        rows = Visit.objects.order_by().values(side).annotate(n=Count("*")).values_list(side, "n")
        for pk, n in rows:
            counts.setdefault(pk, [0, 0])[index] = n
    return {pk: tuple(pair) for pk, pair in counts.items()}
