"""Ranked search with matches in context, and the Atom feed of any filter."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.urls import reverse

from tests import factories
from visits.models import Delegation

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def found():
    in_summary = factories.visit(
        "AZ",
        "UZ",
        datetime.date(2025, 1, 1),
        title="Working visit to Tashkent",
        summary="Talks covered energy cooperation and the railway corridor.",
    )
    in_title = factories.visit(
        "FR", "AZ", datetime.date(2020, 1, 1), title="Energy dialogue in Baku", summary="Talks."
    )
    elsewhere = factories.visit(
        "UZ", "FR", datetime.date(2024, 1, 1), title="Visit to Paris", summary="Culture."
    )
    head = factories.person("Nigmatilla Yuldashev")
    Delegation.objects.create(visit=elsewhere, head=head, head_office="Prosecutor General")
    return {"summary": in_summary, "title": in_title, "elsewhere": elsewhere}


def test_title_match_ranks_above_summary_match(client, found):
    response = client.get(reverse("visit_list"), {"q": "energy"})
    visits = list(response.context["object_list"])
    assert visits == [found["title"], found["summary"]]


def test_several_words_must_all_appear_in_any_field(client, found):
    response = client.get(reverse("visit_list"), {"q": "energy railway"})
    assert list(response.context["object_list"]) == [found["summary"]]
    response = client.get(reverse("visit_list"), {"q": "Yuldashev Paris"})
    assert list(response.context["object_list"]) == [found["elsewhere"]], "names are searched"
    response = client.get(reverse("visit_list"), {"q": "energy culture"})
    assert list(response.context["object_list"]) == []


def test_matches_are_shown_in_context_and_escaped(client, found):
    found["summary"].summary = "Talks on <b>energy</b> & the railway corridor."
    found["summary"].save()
    page = client.get(reverse("visit_list"), {"q": "railway"}).content.decode()
    assert (
        '<span class="snippet">Talks on &lt;b&gt;energy&lt;/b&gt; &amp; the <mark>railway</mark>'
        in page
    )


def test_an_explicit_sort_overrides_the_ranking(client, found):
    response = client.get(reverse("visit_list"), {"q": "energy", "sort": "date"})
    assert list(response.context["object_list"]) == [found["title"], found["summary"]]
    response = client.get(reverse("visit_list"), {"q": "talks", "sort": "-date"})
    assert list(response.context["object_list"]) == [found["summary"], found["title"]]


@pytest.mark.parametrize("renamed", ["organization", "head", "country"])
def test_search_follows_a_renamed_organization_person_or_country(client, renamed):
    body = factories.organization("Prosecutor General's Office")
    head = factories.person("Kamran Aliyev")
    visit = factories.visit("AZ", "UZ", datetime.date(2025, 9, 24), title="Official visit")
    Delegation.objects.create(visit=visit, head=head, organization=body)
    record = {"organization": body, "head": head, "country": visit.guest_country}[renamed]
    record.name = "Zanzibarian Chancery"
    record.save()

    response = client.get(reverse("visit_list"), {"q": "Zanzibarian"})
    assert [row.title for row in response.context["object_list"]] == ["Official visit"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_postgresql_uses_full_text_search_with_stemming(client, found):
    response = client.get(reverse("visit_list"), {"q": "dialogues"})
    assert list(response.context["object_list"]) == [found["title"]]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'visit_search_vector_gin'"
        )
        assert "gin (search_vector)" in cursor.fetchone()[0]


def parse_feed(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_feed_is_valid_atom_and_follows_the_filter(client, found):
    feed = parse_feed(client.get(reverse("visit_feed"), {"country": "az"}))
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert "Country: Azerbaijan" in feed.find(f"{ATOM}title").text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/visits/feed/?country=az")
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == [
        "Working visit to Tashkent",
        "Energy dialogue in Baku",
    ]
    for entry in entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)


def test_feed_escapes_record_text(client):
    factories.visit("AZ", "UZ", title="<script>alert(1)</script>", summary="<img src=x onerror=1>")
    response = client.get(reverse("visit_feed"))
    feed = parse_feed(response)
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "<script>alert(1)</script>"
    summary = entry.find(f"{ATOM}summary").text
    assert "&lt;img src=x onerror=1&gt;" in summary
    assert "<img" not in summary


def test_feed_with_bad_filters_is_a_400(client):
    response = client.get(reverse("visit_feed"), {"country": "ZZ"})
    assert response.status_code == 400
    assert "Unknown country: ZZ" in response.content.decode()


def test_list_pages_link_their_feed_in_the_head(client, found):
    page = client.get(reverse("visit_list"), {"country": "az", "page": "2"}).content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Atom feed of these visits" '
        'href="/visits/feed/?country=az">'
    ) in page
