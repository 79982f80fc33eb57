"""A page of any list, and any record, takes a fixed number of queries however many rows it
holds or links to (pinned on pages of 30 rows and more)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from visits.models import Agreement, Journey, Meeting, Organization, Person, Source, Visit

from .helpers import records

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_rendered(settings):
    """These count the queries of rendering; a kept page's one query is pinned in
    tests/test_page_cache.py."""
    settings.PAGE_CACHE = False


def addresses():
    minister = Person.objects.filter(name__startswith="Minister").first()
    ministry = Organization.objects.filter(name="Parent ministry").first()
    return {
        "visits": reverse("api:visit_list") + "?per_page=200",
        "visits filtered": reverse("api:visit_list")
        + f"?country=AZ&date_after=2000&q=City&person={minister.slug}",
        "meetings": reverse("api:meeting_list") + "?per_page=100",
        "meetings filtered": reverse("api:meeting_list") + "?country=AZ&year=2001",
        "agreements": reverse("api:agreement_list") + "?per_page=100",
        "journeys": reverse("api:journey_list") + "?per_page=100",
        "organizations": reverse("api:organization_list") + "?per_page=100",
        "people": reverse("api:person_list") + "?per_page=100",
        "countries": reverse("api:country_list") + "?all=true&per_page=200",
        "visit": reverse("api:visit_detail", args=[Visit.objects.first().slug]),
        "meeting": reverse("api:meeting_detail", args=[Meeting.objects.first().slug]),
        "agreement": reverse("api:agreement_detail", args=[Agreement.objects.first().slug]),
        "journey": reverse("api:journey_detail", args=[Journey.objects.first().slug]),
        "organization": reverse("api:organization_detail", args=[ministry.slug]),
        "person": reverse("api:person_detail", args=[minister.slug]),
        "country": reverse("api:country_detail", args=["az"]),
        "source": reverse("api:source_detail", args=[Source.objects.first().slug]),
    }


def queries_for(client, url):
    client.get(url)  # warm the cached count and choices
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


# Queries per answer, the read of the data version included (one per request). A list's count
# is kept per data version and filters (shared with its page), so a page is read with one
# query, plus one per collection its items carry: a visit's sources; a meeting's participants
# and sources; an agreement's party countries, party organizations, signatories and sources.
# A filter by country or person reads them (one query each).
EXPECTED = {
    "visits": 3,
    "visits filtered": 6,  # +1: whether a searched word names a country
    "meetings": 4,
    "meetings filtered": 5,
    "agreements": 6,
    "journeys": 2,  # the stop and country counts are subqueries of the page's query
    "organizations": 2,
    "people": 2,
    "countries": 2,  # the visit counts are kept with the country list's
    "visit": 7,  # members, meetings, agreements, sources, accompanying visits
    "meeting": 5,  # participants, sources, agreements
    "agreement": 6,
    "journey": 3,  # its stops
    "organization": 3,  # its children
    "person": 3,  # its other names
    "country": 2,
    "source": 5,  # the first visits, meetings and agreements, each with their total
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_query_count_is_pinned(client, django_assert_num_queries, name):
    records(count=35)
    url = addresses()[name]
    client.get(url)
    with django_assert_num_queries(EXPECTED[name]):
        response = client.get(url)
    assert response.status_code == 200


def test_query_counts_do_not_grow_with_the_rows(client):
    records(count=3)
    small = {name: queries_for(client, url) for name, url in addresses().items()}
    records(count=40)
    large = {name: queries_for(client, url) for name, url in addresses().items()}
    assert small == large
    assert small == EXPECTED


def test_pages_hold_at_least_thirty_rows(client):
    records(count=35)
    for name, url in addresses().items():
        if "?" in url and "filtered" not in name:
            assert len(client.get(url).json()["results"]) >= 30, name
