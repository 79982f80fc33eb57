"""Every list and detail page makes a fixed number of queries, whatever it shows (pinned on
pages of at least 30 rows)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from visits.models import Agreement, Country, Meeting, Organization, Person, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_rendered(settings):
    """These count the queries of rendering; a kept page's one query is pinned in
    tests/test_page_cache.py."""
    settings.PAGE_CACHE = False


@pytest.fixture
def records():
    factories.many_records(count=40)
    ministry = Organization.objects.get(name="Ministry of Foreign Affairs")
    for number in range(35):
        factories.organization(f"Department {number}", country=ministry.country, parent=ministry)


def pages():
    visit = Visit.objects.first()
    meeting = Meeting.objects.first()
    agreement = Agreement.objects.first()
    ministry = Organization.objects.filter(name="Ministry of Foreign Affairs").first()
    minister = Person.objects.filter(name__startswith="Minister").first()
    return {
        "home": reverse("home"),
        "visits": reverse("visit_list"),
        "visits filtered": reverse("visit_list")
        + "?country=AZ&date_after=2000-01-01&date_before=2030-12-31&q=City",
        "visits by person": reverse("visit_list") + f"?person={minister.slug}",
        "meetings": reverse("meeting_list"),
        "meetings filtered": reverse("meeting_list") + "?country=AZ&year=2001",
        "agreements": reverse("agreement_list"),
        "organizations": reverse("organization_list"),
        "people": reverse("person_list"),
        "countries": reverse("country_list"),
        "visit": visit.get_absolute_url(),
        "meeting": meeting.get_absolute_url(),
        "agreement": agreement.get_absolute_url(),
        "organization": ministry.get_absolute_url(),
        "person": minister.get_absolute_url(),
        "country": Country.objects.get(code="AZ").get_absolute_url(),
        "source": visit.sources.first().get_absolute_url(),
    }


# Queries per page, the read of the data version included (one per request: every public page
# needs it for its ETag, and the cached values are keyed on it). The first request after a
# change also builds the cached country choices; every list counts its records once per change
# of the data (one query fewer after that), the home page keeps the number of visits and the
# countries most visited (two fewer), a country page its partners and counts (four fewer), and
# the country list its visit counts.
EXPECTED = {
    "home": 2,
    "visits": 2,
    "visits filtered": 4,  # +1: whether a searched word names a country in any language
    "visits by person": 3,
    "meetings": 2,
    "meetings filtered": 3,
    "agreements": 4,
    "organizations": 2,
    "people": 2,
    "countries": 2,
    # 8 before journeys; 9 with the visits that accompanied it; 12 with the previous and next
    # visits its head led and the latest between the two countries; 13 since those are read
    # from their own indexes (the head's visits, then those found; each way's latest, then
    # the pair's total) rather than by walking every visit in date order; one more for the
    # journey's stops when it has a journey; 12 since the head's visits by date are kept
    # until the records change (the first request after a change reads them: 13).
    "visit": 12,
    "meeting": 5,
    "agreement": 6,
    "organization": 8,  # 9 before each section counted its total in its own query; +1 other names
    "person": 7,  # one for "Other names"; each section's total comes with its rows
    "country": 6,  # its people and organizations kept with its figures; +1 its other names
    "source": 5,
}


def queries_for(client, url):
    client.get(url)  # warm the cached choices
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.usefixtures("records")
@pytest.mark.parametrize("name", list(EXPECTED))
def test_query_count_is_pinned(client, django_assert_num_queries, name):
    url = pages()[name]
    client.get(url)
    with django_assert_num_queries(EXPECTED[name]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.usefixtures("records")
def test_lists_show_at_least_thirty_rows(client):
    for name in ("visits", "meetings", "agreements", "people", "organizations"):
        response = client.get(pages()[name])
        assert len(response.context["object_list"]) >= 30, name


def test_query_counts_do_not_grow_with_the_rows(client):
    factories.many_records(count=3, hosts=("UZ",))
    small = {name: queries_for(client, url) for name, url in pages().items()}
    factories.many_records(count=40, hosts=("UZ", "FR", "DE"))
    large = {name: queries_for(client, url) for name, url in pages().items()}
    assert small == large
