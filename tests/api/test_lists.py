"""The API's lists: the same records, in the same order, with the same filters and messages as
the pages; pages linked with next and previous, walked to the end."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests import factories
from visits.listing import filter_errors

from .helpers import LISTS, answer, ids, records

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_rendered(settings):
    """These look at how a page is rendered (its context, its queries): kept pages are
    tested in tests/test_page_cache.py."""
    settings.PAGE_CACHE = False


def key_of(record):
    return getattr(record, "slug", None) or record.code


def page_ids(client, page_route, query):
    """The keys of the page's rows, all pages of it (as many as the page shows: 200 a page)."""
    response = client.get(reverse(page_route), {**query, "per_page": "200"})
    assert response.status_code == 200
    return [key_of(record) for record in response.context["object_list"]]


def walk(client, url):
    """Every result of a list, following `next` from its first page; and the pages' bodies."""
    found, bodies = [], []
    while url:
        body = answer(client.get(url))
        bodies.append(body)
        found += ids(body["results"])
        url = body["next"]
    return found, bodies


@pytest.mark.parametrize("name", list(LISTS))
def test_a_list_gives_the_pages_records_in_the_pages_order(client, name):
    records()
    api_route, page_route, query = LISTS[name]
    for given in ({}, query):
        expected = page_ids(client, page_route, given)
        body = answer(client.get(reverse(api_route), {**given, "per_page": "200"}))
        assert ids(body["results"]) == expected, given
        assert body["count"] == len(expected)
    assert page_ids(client, page_route, query) != page_ids(client, page_route, {}), "filtered"


@pytest.mark.parametrize("name", list(LISTS))
def test_walking_next_gives_every_record_once_and_previous_walks_back(client, name):
    records(count=60)
    api_route, page_route, query = LISTS[name]
    expected = page_ids(client, page_route, query)
    assert len(expected) > 25, "more than one page"
    first = f"http://testserver{reverse(api_route)}?" + "&".join(
        f"{key}={value}" for key, value in query.items()
    )
    found, bodies = walk(client, first + "&per_page=25")
    assert found == expected
    assert all(body["count"] == len(expected) for body in bodies)
    assert bodies[0]["previous"] is None
    assert bodies[-1]["next"] is None
    for body in bodies[1:]:
        parts = urlsplit(body["previous"])
        assert parts.scheme == "http" and parts.netloc == "testserver"
        params = parse_qs(parts.query, keep_blank_values=True)
        # The filters are kept, the page size too; page 1 and empty values are left out.
        assert params["per_page"] == ["25"]
        for key, value in query.items():
            assert params[key] == [value]
        assert all(values != [""] for values in params.values())
    backwards, url = [], bodies[-1]["previous"]
    while url:
        body = answer(client.get(url))
        backwards = ids(body["results"]) + backwards
        url = body["previous"]
    assert backwards == expected[: len(backwards)]
    assert backwards == found[: -len(bodies[-1]["results"])]


def test_next_links_are_clean_and_keep_repeated_filters(client):
    factories.many_records(count=60, hosts=("UZ", "FR"))
    url = reverse("api:visit_list")
    body = answer(client.get(url, {"host": ["UZ", "FR"], "q": "", "per_page": "50", "kind": ""}))
    assert body["count"] == 60
    assert body["next"] == "http://testserver/api/visits/?host=UZ&host=FR&page=2"
    body = answer(client.get(body["next"]))
    assert body["previous"] == "http://testserver/api/visits/?host=UZ&host=FR"
    assert body["next"] is None
    assert len(body["results"]) == 10


def test_page_sizes_are_those_the_pages_offer(client):
    factories.many_records(count=60)
    url = reverse("api:visit_list")
    assert len(answer(client.get(url))["results"]) == 50
    assert len(answer(client.get(url, {"per_page": "25"}))["results"]) == 25
    assert len(answer(client.get(url, {"per_page": "100"}))["results"]) == 60
    body = answer(client.get(url, {"per_page": "30"}), 400)
    assert body["errors"] == {"per_page": ["Show 25, 50, 100 or 200 records a page (per_page)."]}


def test_a_page_past_the_last_is_a_404_and_an_empty_list_is_one_empty_page(client):
    factories.many_records(count=3)
    url = reverse("api:visit_list")
    body = answer(client.get(url, {"page": "2"}), 404)
    assert body == {"detail": "There is no page 2: the list has 1 page."}
    body = answer(client.get(url, {"country": "FR", "host": "DE"}))
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    ("name", "query", "field"),
    [
        ("visits", {"country": "Narnia"}, "country"),
        ("visits", {"guest": ["AZ", "Atlantis"]}, "guest"),
        ("visits", {"date_after": "2025-02-30"}, "date"),
        ("visits", {"date_after": "2025", "date_before": "2024"}, "date"),
        ("visits", {"year": "21994"}, "year"),
        ("visits", {"page": "two"}, "page"),
        ("visits", {"kind": "secret"}, "kind"),
        ("visits", {"person": "nobody-at-all"}, "person"),
        ("visits", {"sort": "colour"}, "sort"),
        ("visits", {"events": "twice"}, "events"),
        ("meetings", {"organization": "no-such-body"}, "organization"),
        ("agreements", {"in_force_on": "2025-13-01"}, "in_force_on"),
        ("journeys", {"country": "Ruritania"}, "country"),
        ("organizations", {"kind": "club"}, "kind"),
        ("people", {"country": "Freedonia"}, "country"),
        ("countries", {"status": "imaginary"}, "status"),
    ],
)
def test_bad_values_are_400_with_the_pages_messages(client, name, query, field):
    factories.many_records(count=2)
    api_route, page_route, _ = LISTS[name]
    page = client.get(reverse(page_route), query)
    assert page.status_code == 400
    body = answer(client.get(reverse(api_route), query), 400)
    assert body["errors"] == filter_errors(page.context["filter"])
    assert field in body["errors"]
    for message in body["errors"][field]:
        assert f"{field}: " in body["detail"] and message in body["detail"]


def test_the_facet_parameter_is_refused(client):
    factories.many_records(count=2)
    for value in ("guest", "colour"):
        body = answer(client.get(reverse("api:visit_list"), {"facet": value}), 400)
        assert list(body["errors"]) == ["facet"]
        assert "HTML lists only" in body["errors"]["facet"][0]


def test_filters_choose_the_records(client, article):
    made = factories.many_records(count=6, hosts=("FR", "DE"))
    url = reverse("api:visit_list")
    article_visit = "2025-09-24-azerbaijan-uzbekistan-prosecutor-general"
    assert ids(answer(client.get(url, {"host": "uz"}))["results"]) == [article_visit]
    assert ids(answer(client.get(url, {"person": "kamran-aliyev"}))["results"]) == [article_visit]
    assert ids(answer(client.get(url, {"q": "Prosecutor Tashkent"}))["results"]) == [article_visit]
    in_2001 = answer(client.get(url, {"year": "2001"}))["results"]
    assert ids(in_2001) == [visit.slug for visit in made if visit.start_date.year == 2001]
    meetings = answer(client.get(reverse("api:meeting_list"), {"person": "kamran-aliyev"}))
    assert meetings["count"] == 2
    agreements = answer(
        client.get(reverse("api:agreement_list"), {"in_force_on": "2026-06-01", "country": "UZ"})
    )
    assert ids(agreements["results"]) == [
        "azerbaijan-uzbekistan-prosecutors-cooperation-program-2026-2027",
        "2024-08-23-azerbaijan-uzbekistan-treaty-on-allied-relations",
    ]
    people = answer(client.get(reverse("api:person_list"), {"q": "Kamran"}))
    assert ids(people["results"]) == ["kamran-aliyev"]
    bodies = answer(client.get(reverse("api:organization_list"), {"kind": "intergovernmental"}))
    assert ids(bodies["results"]) == ["organization-of-turkic-states"]


def test_the_country_list_has_the_visit_counts_of_the_page(client):
    factories.many_records(count=10, hosts=("UZ", "FR"))
    body = answer(client.get(reverse("api:country_list")))
    counts = {
        country["id"]: (country["visits_made_count"], country["visits_received_count"])
        for country in body["results"]
    }
    assert counts == {"AZ": (10, 0), "FR": (0, 5), "UZ": (0, 5)}
    everything = answer(client.get(reverse("api:country_list"), {"all": "true"}))
    assert everything["count"] > 200
