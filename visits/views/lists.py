"""The lists: visits, meetings, agreements, organizations, people and countries."""

from django.db.models import Count
from django.shortcuts import render

from .. import maps
from ..caching import remember
from ..filters import (
    AgreementFilter,
    CountryListFilter,
    JourneyFilter,
    MeetingFilter,
    OrganizationFilter,
    PersonFilter,
    VisitFilter,
)
from ..listing import FilteredListView, canonical_query
from ..models import Agreement, Country, Journey, Meeting, Organization, Person, Visit
from ..searching import words
from ..snippets import highlight, snippet
from ..timeline import cached_timeline

HOME_VISITS = 10


def home(request):
    context = {
        "latest_visits": Visit.objects.with_related()[:HOME_VISITS],
        "visit_count": cached(Visit.objects.count, "visit-count"),
        "accompanying_count": cached(accompanying_count, "accompanying-count"),
        "busiest": cached(most_visited, "most-visited"),
        "timeline": cached_timeline(Visit.objects.all(), "home"),
        "world_map": maps.home_map(),
    }
    return render(request, "visits/home.html", context)


def cached(compute, name):
    """A figure about all the records, computed once per change of the data."""
    return remember(name, compute)


def accompanying_count():
    """The visits that were part of another (the home page's count includes them)."""
    return Visit.objects.exclude(part_of=None).count()


def most_visited(limit=8):
    """The countries that received the most visits, each with visits_received_count: one
    GROUP BY over the visits, rather than a count per country."""
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


class VisitList(FilteredListView):
    queryset = Visit.objects.with_related()
    filterset_class = VisitFilter
    template_name = "visits/visit_list.html"
    timeline = True
    export_name = "visits"
    default_sort = "-date"
    ranked = True  # a text search orders by how well each visit matches

    def decorate(self, visits):
        """With a text search, each visit carries its title with the words marked and the
        extract of its summary where they are (never the search index's run-together text)."""
        terms = words(self.filterset.form.cleaned_data.get("q") or "")
        for visit in visits:
            visit.marked_title = highlight(visit.title, terms)
            visit.snippet = snippet(visit.summary, terms)

    def get_context_data(self, **kwargs):
        """With the map of the visits that match (by country), kept with the list's count."""
        context = super().get_context_data(**kwargs)
        if context["paginator"].count:
            key = f"{self.request.path}?{canonical_query(self.filterset.data)}"
            context["world_map"] = maps.list_map(self.filterset, key)
        return context


class MeetingList(FilteredListView):
    queryset = Meeting.objects.with_related()
    filterset_class = MeetingFilter
    template_name = "visits/meeting_list.html"
    export_name = "meetings"
    default_sort = "-date"


class AgreementList(FilteredListView):
    queryset = Agreement.objects.select_related("signed_country").with_parties()
    filterset_class = AgreementFilter
    template_name = "visits/agreement_list.html"
    export_name = "agreements"
    default_sort = "-date"


class OrganizationList(FilteredListView):
    queryset = Organization.objects.select_related("country", "parent")
    filterset_class = OrganizationFilter
    template_name = "visits/organization_list.html"


class JourneyList(FilteredListView):
    queryset = Journey.objects.select_related("traveller").with_counts()
    filterset_class = JourneyFilter
    template_name = "visits/journey_list.html"


class PersonList(FilteredListView):
    queryset = Person.objects.select_related("country")
    filterset_class = PersonFilter
    template_name = "visits/person_list.html"


class CountryList(FilteredListView):
    queryset = Country.objects.all()
    filterset_class = CountryListFilter
    template_name = "visits/country_list.html"
    lists_every_record = False  # countries without records are left out unless asked for

    def decorate(self, countries):
        """Each country of the page with the visits it made and received, from two GROUP BYs
        over all the visits, kept until the records change (counted country by country, the
        page grew with the number of visits)."""
        counts = cached(visit_counts, "visit-counts")
        for country in countries:
            made, received = counts.get(country.pk, (0, 0))
            country.visits_made_count, country.visits_received_count = made, received


visit_list = VisitList.as_view()
meeting_list = MeetingList.as_view()
agreement_list = AgreementList.as_view()
organization_list = OrganizationList.as_view()
person_list = PersonList.as_view()
country_list = CountryList.as_view()
journey_list = JourneyList.as_view()


def visit_counts():
    """{country pk: (visits made, visits received)}."""
    counts = {}
    for side, index in (("guest_country", 0), ("host_country", 1)):
        rows = Visit.objects.order_by().values(side).annotate(n=Count("*")).values_list(side, "n")
        for pk, n in rows:
            counts.setdefault(pk, [0, 0])[index] = n
    return {pk: tuple(pair) for pk, pair in counts.items()}
