"""The API's records: each kind with its fields and every record it names as a link that
answers, and 404 as JSON."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from visits.models import DelegationMember, Journey, PersonName, Source, Visit

from .helpers import answer, ids, records

pytestmark = pytest.mark.django_db

VISIT = "2025-09-24-azerbaijan-uzbekistan-prosecutor-general"
SOURCE = "azertac-2025-09-25-prosecutor-general-visit"


def get(client, route, status=200, **kwargs):
    return answer(client.get(reverse(f"api:{route}", kwargs=kwargs)), status)


def links_in(value):
    """Every link object (one with id, name, url and html_url) anywhere in an answer."""
    if isinstance(value, dict):
        if {"id", "name", "url", "html_url"} <= set(value):
            yield value
        for item in value.values():
            yield from links_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from links_in(item)


def test_a_visit_with_everything_it_links_to(client, article):
    body = get(client, "visit_detail", slug=VISIT)
    assert body["id"] == VISIT
    assert body["url"] == f"http://testserver/api/visits/{VISIT}/"
    assert body["html_url"] == f"http://testserver/visits/{VISIT}/"
    assert body["title"] == "Official visit of Prosecutor General Kamran Aliyev to Uzbekistan"
    assert body["kind"] == "official"
    assert body["guest_country"] == {
        "id": "AZ",
        "name": "Azerbaijan",
        "url": "http://testserver/api/countries/az/",
        "html_url": "http://testserver/countries/az/",
    }
    assert body["host_country"]["id"] == "UZ"
    assert body["start_date"] == "2025-09-24"
    assert body["end_date"] is None
    assert body["delegation"]["head"]["name"] == "Kamran Aliyev"
    assert body["delegation"]["head"]["url"] == "http://testserver/api/people/kamran-aliyev/"
    assert body["delegation"]["members"] == []
    assert (
        ids(body["meetings"])
        == [
            "2025-09-azerbaijan-uzbekistan-prosecutors-general-bilateral-meeting",
            "4th-meeting-general-prosecutors-council-organization-of-turkic-states",
        ]
        or len(body["meetings"]) == 2
    )
    assert ids(body["agreements"]) == [
        "azerbaijan-uzbekistan-prosecutors-cooperation-program-2026-2027"
    ]
    assert ids(body["sources"]) == [SOURCE]
    assert body["sources"][0]["name"] == "AZERTAC, Baku, 25 September 2025"
    assert body["journey"] is None and body["part_of"] is None and body["accompanying"] == []


def test_every_link_in_a_record_answers_in_the_api_and_on_the_site(client, article):
    body = get(client, "visit_detail", slug=VISIT)
    found = list(links_in(body))
    assert len(found) >= 6
    for link in found:
        linked = answer(client.get(link["url"]))
        assert linked["id"] == link["id"]
        assert linked.get("name", linked.get("title")) == link["name"]
        assert client.get(link["html_url"]).status_code == 200, link["html_url"]


def test_a_visits_members_journey_and_accompanying_visits(client):
    minister = factories.person("Minister of Foreign Affairs")
    main = factories.visit(head=factories.person("President"), start=datetime.date(2020, 5, 1))
    DelegationMember.objects.create(
        delegation=main.delegation, person=minister, office="Secretary of State"
    )
    second = factories.visit(part_of=main, start=datetime.date(2020, 5, 1))
    trip = Journey.objects.create(
        slug="trip", title="A trip", start_date=main.start_date, end_date=main.start_date
    )
    Visit.objects.filter(pk__in=[main.pk, second.pk]).update(journey=trip)
    body = get(client, "visit_detail", slug=main.slug)
    assert body["delegation"]["members"] == [
        {
            "person": {
                "id": minister.slug,
                "name": "Minister of Foreign Affairs",
                "url": f"http://testserver/api/people/{minister.slug}/",
                "html_url": f"http://testserver/people/{minister.slug}/",
            },
            "office": "Secretary of State",
            "organization": None,
        }
    ]
    assert body["delegation"]["head_office"] == "Minister"
    assert ids(body["accompanying"]) == [second.slug]
    assert body["journey"]["id"] == "trip"
    part = get(client, "visit_detail", slug=second.slug)
    assert part["part_of"]["id"] == main.slug and part["delegation"] is None
    journey = get(client, "journey_detail", slug="trip")
    assert [stop["id"] for stop in journey["stops"]] == sorted([main.slug, second.slug])
    assert journey["stop_count"] == 2 and journey["country_count"] == 1 and journey["days"] == 1
    assert journey["stops"][0]["host_country"]["id"] == "UZ"


def test_a_meeting_and_an_agreement(client, article):
    meeting = get(
        client,
        "meeting_detail",
        slug="4th-meeting-general-prosecutors-council-organization-of-turkic-states",
    )
    assert meeting["kind"] == "multilateral"
    assert meeting["body"]["id"] == (
        "general-prosecutors-council-of-the-organization-of-turkic-states"
    )
    assert meeting["ordinal"] == 4
    assert meeting["visit"]["id"] == VISIT
    assert {p["person"]["id"] for p in meeting["participants"]} >= {"kamran-aliyev"}
    assert all(p["role"] for p in meeting["participants"])
    agreement = get(
        client,
        "agreement_detail",
        slug="azerbaijan-uzbekistan-prosecutors-cooperation-program-2026-2027",
    )
    assert agreement["valid_from"] == "2026-01-01"
    assert agreement["valid_until"] == "2027-12-31"
    assert agreement["validity_precision"] == "year"
    assert agreement["signed_precision"] == "month"
    assert sorted(ids(agreement["party_organizations"])) == [
        "general-prosecutors-office-of-uzbekistan",
        "prosecutor-generals-office-of-azerbaijan",
    ]
    assert {s["person"]["id"] for s in agreement["signatories"]} == {
        "kamran-aliyev",
        "nigmatilla-yuldashev",
    }
    assert agreement["visit"]["id"] == VISIT
    treaty = get(
        client,
        "agreement_detail",
        slug="2024-08-23-azerbaijan-uzbekistan-treaty-on-allied-relations",
    )
    assert sorted(ids(treaty["party_countries"])) == ["AZ", "UZ"]
    assert treaty["signed_on"] == "2024-08-23" and treaty["visit"] is None


def test_an_organization_a_person_a_country_and_a_source(client, article):
    body = get(client, "organization_detail", slug="organization-of-turkic-states")
    assert body["classification"] == "intergovernmental"
    assert ids(body["children"]) == [
        "general-prosecutors-council-of-the-organization-of-turkic-states"
    ]
    assert body["visits_url"] == (
        "http://testserver/api/visits/?organization=organization-of-turkic-states"
    )
    council = answer(client.get(body["children"][0]["url"]))
    assert council["parent"]["id"] == "organization-of-turkic-states"
    assert ids(answer(client.get(council["meetings_url"]))["results"]) == [
        "4th-meeting-general-prosecutors-council-organization-of-turkic-states"
    ]

    person = factories.person("Kamran Aliyev")  # a namesake, found by slug only
    PersonName.objects.create(person=person, name="Камран Алиев", language="ru")
    body = get(client, "person_detail", slug=person.slug)
    assert body["other_names"] == [{"name": "Камран Алиев", "language": "ru"}]
    body = get(client, "person_detail", slug="kamran-aliyev")
    assert body["country"]["id"] == "AZ"
    assert ids(answer(client.get(body["visits_url"]))["results"]) == [VISIT]
    assert answer(client.get(body["agreements_url"]))["count"] == 1

    for code in ("az", "AZ"):
        body = get(client, "country_detail", code=code)
        assert body["id"] == "AZ" and body["url"] == "http://testserver/api/countries/az/"
    assert body["name"] == "Azerbaijan" and body["alpha_3"] == "AZE"
    assert (body["visits_made_count"], body["visits_received_count"]) == (1, 0)
    assert ids(answer(client.get(body["visits_made_url"]))["results"]) == [VISIT]
    assert answer(client.get(body["visits_received_url"]))["count"] == 0

    body = get(client, "source_detail", slug=SOURCE)
    assert body["publisher"]["id"] == "azertac"
    assert body["published_on"] == "2025-09-25"
    assert body["document_url"] == Source.objects.get(slug=SOURCE).url
    assert ids(body["visits"]) == [VISIT] and body["visit_count"] == 1
    assert body["meeting_count"] == len(body["meetings"]) == 2
    assert body["agreement_count"] == len(body["agreements"])


@pytest.mark.parametrize(
    ("route", "kwargs", "noun"),
    [
        ("visit_detail", {"slug": "no-such-visit"}, "visit"),
        ("meeting_detail", {"slug": "no-such-meeting"}, "meeting"),
        ("agreement_detail", {"slug": "no-such-agreement"}, "agreement"),
        ("journey_detail", {"slug": "no-such-journey"}, "journey"),
        ("organization_detail", {"slug": "no-such-body"}, "organization"),
        ("person_detail", {"slug": "nobody"}, "person"),
        ("country_detail", {"code": "zz"}, "country"),
        ("source_detail", {"slug": "no-such-source"}, "source"),
    ],
)
def test_a_record_that_does_not_exist_is_a_json_404(client, route, kwargs, noun):
    body = get(client, route, 404, **kwargs)
    key = next(iter(kwargs.values()))
    key = key.upper() if noun == "country" else key
    assert body == {"detail": f"No {noun} has the id “{key}”."}


def test_other_addresses_under_api_are_json_404s(client, db):
    for path in ("/api/nothing/", "/api/visits/not a slug/", "/api/countries/toolongcode/"):
        body = answer(client.get(path), 404)
        assert "/api/" in body["detail"]
    response = client.get("/api/visits")  # without the slash: redirected, like the pages
    assert response.status_code == 301 and response["Location"] == "/api/visits/"


def test_a_list_item_is_the_record_less_its_longer_collections(client):
    records(count=3)
    for kind, plural in (("visit", "visits"), ("meeting", "meetings"), ("journey", "journeys")):
        item = answer(client.get(reverse(f"api:{kind}_list")))["results"][0]
        record = answer(client.get(item["url"]))
        assert {key: record[key] for key in item if key != "delegation"} == {
            key: value for key, value in item.items() if key != "delegation"
        }, plural
        assert len(record) > len(item)
