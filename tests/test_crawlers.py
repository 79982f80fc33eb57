"""What crawlers read: /sitemap.xml (an index of a section per kind of record, split into parts
of at most 50,000 addresses) and /robots.txt (record pages open; admin, exports, feed and filter
combinations closed)."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from visits import sitemaps
from visits.models import Journey, Visit

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
HOST = "visits.example.org"


@pytest.fixture(autouse=True)
def host(settings):
    settings.ALLOWED_HOSTS = [HOST]


def get(client, address, **headers):
    return client.get(address, HTTP_HOST=HOST, **headers)


def xml(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def index_locations(client):
    tree = xml(get(client, "/sitemap.xml"))
    assert tree.tag == f"{{{NS['sm']}}}sitemapindex"
    return [loc.text for loc in tree.findall("sm:sitemap/sm:loc", NS)]


def section(client, address):
    """{address: lastmod or None} of a part of a section."""
    tree = xml(get(client, address))
    return {
        url.find("sm:loc", NS).text: getattr(url.find("sm:lastmod", NS), "text", None)
        for url in tree.findall("sm:url", NS)
    }


@pytest.fixture
def records():
    trip = factories.sourced_visit("AZ", "UZ", datetime.date(2025, 9, 24), title="Prosecutor")
    talks = factories.meeting(visit=trip, date=datetime.date(2025, 9, 24))
    deal = factories.agreement(visit=trip, signed_on=datetime.date(2025, 9, 24))
    deal.party_countries.add(trip.guest_country, trip.host_country)
    head = factories.person("Kamran Aliyev", country=trip.guest_country)
    journey = Journey.objects.create(
        slug="aliyev-2025",
        title="Kamran Aliyev in Central Asia",
        traveller=head,
        start_date=trip.start_date,
        end_date=trip.start_date,
    )
    return {"visit": trip, "meeting": talks, "agreement": deal, "person": head, "journey": journey}


def test_the_index_lists_a_section_per_kind_of_record_on_the_requests_host(client, records):
    locations = index_locations(client)
    assert locations == [
        f"http://{HOST}/sitemap-{name}.xml"
        for name in (
            "pages",
            "visits",
            "meetings",
            "agreements",
            "journeys",
            "countries",
            "organizations",
            "people",
            "sources",
        )
    ]
    for location in locations:
        assert get(client, location.removeprefix(f"http://{HOST}")).status_code == 200


def test_sections_without_records_are_left_out_of_the_index(client):
    assert index_locations(client) == [f"http://{HOST}/sitemap-pages.xml"]


def test_the_pages_section_holds_the_home_page_and_the_unfiltered_lists(client):
    pages = section(client, "/sitemap-pages.xml")
    assert f"http://{HOST}/" in pages
    for name in ("visit_list", "meeting_list", "agreement_list", "country_list", "person_list"):
        assert f"http://{HOST}{reverse(name)}" in pages
    assert not any("?" in address for address in pages)


def test_every_record_has_its_page_and_its_last_change_from_the_history(client, records):
    today = timezone.now().date().isoformat()
    for name, kind in (
        ("visits", "visit"),
        ("meetings", "meeting"),
        ("agreements", "agreement"),
        ("people", "person"),
        ("journeys", "journey"),
    ):
        pages = section(client, f"/sitemap-{name}.xml")
        address = f"http://{HOST}{records[kind].get_absolute_url()}"
        assert pages[address] == today, (name, pages)
        assert get(client, records[kind].get_absolute_url()).status_code == 200
    sources = section(client, "/sitemap-sources.xml")
    assert f"http://{HOST}{records['visit'].sources.get().get_absolute_url()}" in sources


def test_a_record_without_history_has_no_invented_date(client, records):
    Visit.history.filter(id=records["visit"].pk).delete()
    pages = section(client, "/sitemap-visits.xml")
    assert pages == {f"http://{HOST}{records['visit'].get_absolute_url()}": None}


def test_only_countries_with_records_are_listed_in_lower_case(client, records):
    pages = section(client, "/sitemap-countries.xml")
    assert set(pages) == {f"http://{HOST}/countries/az/", f"http://{HOST}/countries/uz/"}
    assert get(client, "/countries/az/").status_code == 200


def test_a_large_section_is_split_into_parts_listed_in_the_index(client, monkeypatch):
    monkeypatch.setattr(sitemaps.RecordSitemap, "limit", 2)
    made = [factories.visit("AZ", "UZ", datetime.date(2020, 1, day)) for day in range(1, 6)]
    locations = index_locations(client)
    parts = [location for location in locations if "sitemap-visits" in location]
    assert parts == [
        f"http://{HOST}/sitemap-visits.xml",
        f"http://{HOST}/sitemap-visits.xml?p=2",
        f"http://{HOST}/sitemap-visits.xml?p=3",
    ]
    seen = []
    for part in ("", "?p=2", "?p=3"):
        seen.extend(section(client, f"/sitemap-visits.xml{part}"))
    # Every visit once, in the order they were made (their primary keys).
    assert seen == [f"http://{HOST}{visit.get_absolute_url()}" for visit in made]


@pytest.mark.parametrize(
    "address",
    [
        "/sitemap-visits.xml?p=4",
        "/sitemap-visits.xml?p=0",
        "/sitemap-visits.xml?p=-1",
        "/sitemap-visits.xml?p=x",
        "/sitemap-visits.xml?p=1.5",
        "/sitemap-visits.xml?p=" + "9" * 5000,
        "/sitemap-nothing.xml",
        "/sitemap-.xml",
    ],
)
def test_a_part_or_section_that_does_not_exist_is_not_found(client, monkeypatch, address):
    monkeypatch.setattr(sitemaps.RecordSitemap, "limit", 2)
    for day in range(1, 6):
        factories.visit("AZ", "UZ", datetime.date(2020, 1, day))
    assert get(client, address).status_code == 404


def test_a_section_costs_the_same_few_queries_however_many_records(
    client, django_assert_max_num_queries
):
    factories.many_records(count=12)
    with django_assert_max_num_queries(3):  # the data version, the count, the addresses
        response = get(client, "/sitemap-visits.xml")
    assert response.content.count(b"<url>") == 12


def test_the_sitemap_is_revalidated_with_its_etag(client, records):
    first = get(client, "/sitemap-visits.xml")
    assert first["ETag"]
    again = get(client, "/sitemap-visits.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    factories.visit("AZ", "TR")
    changed = get(client, "/sitemap-visits.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200


# robots.txt ---------------------------------------------------------------------------------


def robots_rules(text):
    """(allow, path pattern) pairs of the group for every user agent."""
    rules = []
    for line in text.splitlines():
        field, _, value = line.partition(":")
        if field.strip().lower() in {"allow", "disallow"}:
            rules.append((field.strip().lower() == "allow", value.strip()))
    return rules


def allowed(rules, address):
    """RFC 9309: the longest matching rule wins, an allow rule when they tie; `*` matches any
    characters and `$` the end of the address."""
    best = (-1, True)
    for allow, pattern in rules:
        regex = re.escape(pattern).replace(r"\*", ".*").replace(r"\$", "$")
        if re.match(regex, address) and (len(pattern), allow) > best:
            best = (len(pattern), allow)
    return best[1]


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_to_the_record_pages(client, records):
    response = get(client, "/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert f"Sitemap: http://{HOST}/sitemap.xml" in text.splitlines()
    assert text.startswith("User-agent: *\n")
    rules = robots_rules(text)
    for address in (
        "/",
        "/visits/",
        records["visit"].get_absolute_url(),
        records["person"].get_absolute_url(),
        "/countries/az/",
        "/sitemap.xml",
        "/sitemap-visits.xml?p=2",
        "/api/",  # the API's documentation
    ):
        assert allowed(rules, address), address
    for address in (
        reverse("admin:index"),
        reverse("admin:visits_visit_changelist"),
        "/visits/export.csv",
        "/visits/export.json",
        "/meetings/export.csv?country=az",
        "/agreements/export.json",
        reverse("visit_feed"),
        "/visits/?country=az",
        "/visits/?page=2",
        "/people/?q=aliyev",
        "/api/visits/",
        records["visit"].get_absolute_url().replace("/visits/", "/api/visits/"),
    ):
        assert not allowed(rules, address), address


def test_robots_txt_is_plain_text_and_answers_only_reading(client):
    response = get(client, "/robots.txt")
    assert "Content-Security-Policy" in response  # the site's headers, harmless on text
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response
    assert client.post("/robots.txt", HTTP_HOST=HOST).status_code == 405
