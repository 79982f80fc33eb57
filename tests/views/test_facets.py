"""Facets: beside each list, the values of its current result with their counts; each count is
the size of the list its link leads to."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from visits.journeys import group_journeys
from visits.models import DelegationMember, MeetingParticipant, Person, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    made = factories.many_records(count=30)
    # A traveller on several visits, in several roles (counted once per visit), and a visit
    # across New Year, which counts in both years.
    traveller = factories.person("Frequent Traveller")
    for trip in made[:6]:
        DelegationMember.objects.create(delegation=trip.delegation, person=traveller)
        MeetingParticipant.objects.create(meeting=trip.meetings.first(), person=traveller)
    factories.visit(
        "AZ",
        "FR",
        datetime.date(2011, 12, 30),
        end_date=datetime.date(2012, 1, 3),
        title="Across New Year",
    )
    # Journeys: a traveller's visits that touch are one journey (two stops, two countries).
    minister = Person.objects.get(name="Minister 3")
    factories.visit(
        "AZ",
        "KZ",
        made[3].last_day + datetime.timedelta(days=1),
        head=minister,
        title="Onward to Kazakhstan",
    )
    group_journeys()
    return made


def facets(response):
    return {facet.name: facet for facet in response.context["facets"]}


def follow_every_link(client, url):
    """Follows each facet link of the page at `url`; the count it showed must be the size of
    the list it leads to. Returns how many links were followed."""
    response = client.get(url)
    assert response.status_code == 200
    followed = 0
    for facet in response.context["facets"]:
        for link in facet.links:
            if link.active:
                continue
            target = client.get(link.href)
            assert target.status_code == 200, link.href
            assert target.context["paginator"].count == link.count, (facet.name, link)
            followed += 1
    return followed


LISTS = [
    reverse("visit_list"),
    reverse("visit_list") + "?host=UZ",
    reverse("visit_list") + "?date_after=2010-01-01&date_before=2014-12-31",
    reverse("visit_list") + "?date_after=2005-06-01&date_before=2019-12-31",
    reverse("visit_list") + "?q=City",
    reverse("meeting_list"),
    reverse("meeting_list") + "?country=FR",
    reverse("agreement_list"),
    reverse("agreement_list") + "?country=UZ",
    reverse("journey_list"),
    reverse("journey_list") + "?country=KZ",
    reverse("organization_list"),
    reverse("organization_list") + "?country=AZ",
    reverse("person_list"),
    reverse("person_list") + "?q=minister",
    reverse("country_list"),
    reverse("country_list") + "?all=true",
]


@pytest.mark.usefixtures("records")
@pytest.mark.parametrize("url", LISTS)
def test_each_count_is_the_size_of_the_list_its_link_leads_to(client, url):
    assert follow_every_link(client, url) >= 1


@pytest.mark.usefixtures("records")
def test_visits_have_country_kind_period_person_and_organization_facets(client):
    found = facets(client.get(reverse("visit_list")))
    assert set(found) == {"guest", "host", "kind", "year", "person", "organization"}
    assert found["year"].title == "Decade", "25 years of visits are counted by decade"
    traveller = next(link for link in found["person"].links if link.label == "Frequent Traveller")
    assert traveller.count == 6, "a member who also met counts once per visit"
    slug = Person.objects.get(name="Frequent Traveller").slug
    assert traveller.href == f"/visits/?person={slug}"
    narrow = facets(client.get(reverse("visit_list"), {"year": "2011"}))
    assert narrow["year"].title == "Year"


@pytest.mark.usefixtures("records")
def test_a_visit_across_new_year_counts_in_both_years(client):
    found = facets(
        client.get(reverse("visit_list"), {"date_after": "2011-01-01", "date_before": "2012-12-31"})
    )
    years = {link.label: link for link in found["year"].links}
    for year in ("2011", "2012"):
        target = client.get(years[year].href)
        assert "Across New Year" in [visit.title for visit in target.context["object_list"]]


@pytest.mark.usefixtures("records")
def test_a_facet_in_use_shows_its_values_with_links_that_remove_them(client):
    kind = Visit.objects.first().kind
    response = client.get(reverse("visit_list"), {"host": ["UZ", "FR"], "kind": kind})
    found = facets(response)
    hosts = found["host"].links
    assert {link.label for link in hosts} == {"Uzbekistan", "France"}
    assert all(link.active for link in hosts)
    uzbekistan = next(link for link in hosts if link.label == "Uzbekistan")
    assert uzbekistan.href == f"/visits/?host=FR&kind={kind}"
    assert [link.href for link in found["kind"].links] == ["/visits/?host=UZ&host=FR"]
    page = response.content.decode()
    assert '<span class="visually-hidden">Remove Host country: </span>Uzbekistan' in page
    assert 'class="facet-active"' in page


@pytest.mark.usefixtures("records")
def test_more_opens_a_facet_in_full_and_fewer_closes_it(client):
    found = facets(client.get(reverse("visit_list")))
    assert len(found["person"].links) == 8
    assert found["person"].more_href == "/visits/?facet=person"
    opened = client.get(found["person"].more_href)
    people = facets(opened)["person"]
    assert len(people.links) == Person.objects.exclude(name="News agency").count()
    assert people.fewer_href == "/visits/"
    assert "facet=" not in people.links[0].href, "a value's link shows the list, not the facet"


def test_an_unknown_facet_or_page_size_is_a_400_with_the_reason(client):
    response = client.get(reverse("visit_list"), {"facet": "price"})
    assert response.status_code == 400
    assert "This list has no such facet" in response.content.decode()
    response = client.get(reverse("meeting_list"), {"per_page": "7"})
    assert response.status_code == 400
    assert "Show 25, 50, 100 or 200 records a page" in response.content.decode()


@pytest.mark.usefixtures("records")
def test_facets_are_cached_until_the_records_change(client, django_assert_num_queries, settings):
    settings.PAGE_CACHE = False  # the facets' own cache, not the whole page's
    url = reverse("visit_list") + "?host=UZ"
    client.get(url)
    with django_assert_num_queries(3):  # the version, the page's keys and its rows
        client.get(url)
    factories.visit("AZ", "UZ", datetime.date(2001, 5, 5), title="One more")
    response = client.get(url)
    assert facets(response)["host"].links[0].count == response.context["paginator"].count


@pytest.mark.usefixtures("records")
@pytest.mark.parametrize(
    "name, expected",
    [
        ("journey_list", {"country", "year", "person"}),
        ("organization_list", {"country", "kind"}),
        ("person_list", {"country"}),
        ("country_list", {"status"}),
    ],
)
def test_every_list_has_facets_of_its_own_filters(client, name, expected):
    response = client.get(reverse(name))
    assert set(facets(response)) == expected
    page = response.content.decode()
    assert '<section class="facets" aria-labelledby="facets-heading">' in page


@pytest.mark.usefixtures("records")
def test_a_journeys_countries_are_those_of_its_stops(client):
    found = facets(client.get(reverse("journey_list")))
    countries = {link.href: link.count for link in found["country"].links}
    assert countries == {"/journeys/?country=TR": 1, "/journeys/?country=KZ": 1}
    assert found["person"].title == "Traveller"
    assert [link.label for link in found["person"].links] == ["Minister 3"]


@pytest.mark.usefixtures("records")
def test_the_country_list_counts_only_the_countries_it_lists(client):
    listed = client.get(reverse("country_list"))
    (status,) = facets(listed)["status"].links
    assert status.count == listed.context["paginator"].count == 6
    everything = facets(client.get(reverse("country_list"), {"all": "true"}))
    assert sum(link.count for link in everything["status"].links) > 200
