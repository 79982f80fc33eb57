"""The lists: visits, meetings, agreements, organizations, people and countries."""

from django.shortcuts import render

from ..choices import countries_with
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
        "visit_count": Visit.objects.count(),
        "busiest": Country.objects.with_visit_counts()
        .filter(pk__in=countries_with("visits").values("pk"))
        .order_by("-visits_received_count", "name")[:8],
        "timeline": cached_timeline(Visit.objects.all(), "home"),
    }
    return render(request, "visits/home.html", context)


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
        Country.objects.with_visit_counts(),
        "visits/country_list.html",
    )
