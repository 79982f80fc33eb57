"""Pages made fast for large data still show exactly what a plain query gives: the visit list
(a page's keys first, a date window from the timeline, the count kept with the timeline), page
by page, and the home page's figures (kept until the records change)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from visits.filters import VisitFilter
from visits.listing import PER_PAGE
from visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_rendered(settings):
    """These look at how a page is rendered (its context, its queries): kept pages are
    tested in tests/test_page_cache.py."""
    settings.PAGE_CACHE = False


QUERIES = [
    "",
    "sort=date",
    "sort=guest",
    "country=US",
    "country=US&sort=date",
    "date_after=1990-01-01&date_before=2004-12-31",
    "country=US&date_after=1970-01-01&date_before=2010-12-31",
    "kind=official",
    "q=trade",
    "q=trade&sort=date",
    "year=2020",
]


@pytest.fixture
def demo():
    call_command("generate_demo", "--visits", "240", "--seed", "3", stdout=io.StringIO())


def expected_slugs(query):
    """Every matching visit, in the list's order, by a plain query."""
    filterset = VisitFilter(QueryDict(query), queryset=Visit.objects.all())
    assert filterset.is_valid()
    return list(filterset.qs.values_list("slug", flat=True))


def clean_address(name, query, page):
    """The list's address as the site writes it: no empty parameters, no `page=1`."""
    parts = [part for part in (query, f"page={page}" if page > 1 else "") if part]
    return reverse(name) + ("?" + "&".join(parts) if parts else "")


def shown_slugs(client, query, page):
    response = client.get(clean_address("visit_list", query, page))
    assert response.status_code == 200
    return [visit.slug for visit in response.context["object_list"]], response


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("query", QUERIES)
def test_every_page_shows_what_a_plain_query_gives(client, query):
    expected = expected_slugs(query)
    assert expected, "the demo data has visits for every query"
    pages = (len(expected) - 1) // PER_PAGE + 1
    for page in range(1, pages + 1):
        for _ in range(2):  # cold, then with the count and timeline cached
            shown, response = shown_slugs(client, query, page)
            assert shown == expected[(page - 1) * PER_PAGE : page * PER_PAGE], (query, page)
            assert response.context["paginator"].count == len(expected)


@pytest.mark.usefixtures("demo")
def test_a_page_is_right_even_when_the_timeline_is_out_of_step(client):
    """Visits moved behind the cache's back (update() sends no signal): the window read from
    the stale timeline holds too few visits, and the page is asked for again without it."""
    shown_slugs(client, "", 1)
    newest = [visit.pk for visit in Visit.objects.order_by("-start_date", "slug")[:30]]
    Visit.objects.filter(pk__in=newest).update(start_date=datetime.date(1950, 1, 1), end_date=None)
    shown, _ = shown_slugs(client, "", 1)
    assert shown == expected_slugs("")[:PER_PAGE]
    assert not set(newest) & set(Visit.objects.filter(slug__in=shown).values_list("pk", flat=True))


@pytest.mark.usefixtures("demo")
def test_the_count_is_kept_until_the_records_change(client):
    url = reverse("visit_list") + "?country=FR"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"]]
    before = response.context["paginator"].count
    factories.visit(guest="FR", host="DE")  # saved: the data version moves on
    response = client.get(url)
    assert response.context["paginator"].count == before + 1
    assert response.context["timeline"].total == before + 1


@pytest.mark.usefixtures("demo")
def test_a_list_sorted_by_date_reads_only_the_years_its_page_is_in(client):
    url = reverse("visit_list") + "?country=US"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    (page_query,) = [q["sql"] for q in captured.captured_queries if "LIMIT 50" in q["sql"]]
    assert '"start_date" >=' in page_query


def test_the_home_page_figures_follow_the_records(client):
    for _ in range(3):
        factories.visit(guest="AZ", host="UZ")
    factories.visit(guest="UZ", host="FR")
    response = client.get(reverse("home"))
    assert response.context["visit_count"] == 4
    assert [(c.code, c.visits_received_count) for c in response.context["busiest"]] == [
        ("UZ", 3),
        ("FR", 1),
    ]
    factories.visit(guest="AZ", host="FR")
    factories.visit(guest="AZ", host="FR")
    factories.visit(guest="UZ", host="FR")
    response = client.get(reverse("home"))
    assert response.context["visit_count"] == 7
    assert [(c.code, c.visits_received_count) for c in response.context["busiest"]] == [
        ("FR", 4),
        ("UZ", 3),
    ]
    assert "Uzbekistan</a> (3)" in response.content.decode()


def test_a_country_page_counts_follow_the_records(client):
    factories.visit(guest="AZ", host="UZ")
    factories.visit(guest="UZ", host="AZ")
    factories.visit(guest="AZ", host="FR")
    url = factories.country("AZ").get_absolute_url()
    response = client.get(url)
    country = response.context["country"]
    assert (country.visits_made_count, country.visits_received_count) == (2, 1)
    partners = [
        (row["country"].code, row["made"], row["received"]) for row in response.context["partners"]
    ]
    assert partners == [("UZ", 1, 1), ("FR", 1, 0)]
    factories.visit(guest="FR", host="AZ")
    factories.visit(guest="FR", host="AZ")
    response = client.get(url)
    country = response.context["country"]
    assert (country.visits_made_count, country.visits_received_count) == (2, 3)
    partners = [
        (row["country"].code, row["made"], row["received"]) for row in response.context["partners"]
    ]
    assert partners == [("FR", 1, 2), ("UZ", 1, 1)]


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("codes", [["US"], ["US", "FR"], ["EG"]])
def test_meetings_by_country_are_those_held_there_or_attended_from_there(client, codes):
    from django.db.models import Exists, OuterRef, Q

    from visits.models import Country, Meeting, MeetingParticipant

    countries = list(Country.objects.filter(code__in=codes))
    attended = MeetingParticipant.objects.filter(
        meeting=OuterRef("pk"), person__country__in=countries
    )
    expected = list(
        Meeting.objects.filter(Q(country__in=countries) | Exists(attended)).values_list(
            "slug", flat=True
        )
    )
    assert expected
    query = "&".join(f"country={code}" for code in codes)
    for page in range(1, (len(expected) - 1) // PER_PAGE + 2):
        response = client.get(clean_address("meeting_list", query, page))
        shown = [meeting.slug for meeting in response.context["object_list"]]
        assert shown == expected[(page - 1) * PER_PAGE : page * PER_PAGE], page
        assert response.context["paginator"].count == len(expected)
