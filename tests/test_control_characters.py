"""Control characters never reach a response: saves take them out of records, and what old rows
or raw SQL still hold (and whatever a query string holds) is taken out of the feed, the
exports and the pages that show the records, which all answer without a server error."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.pages import EXPORT_PAGES, LIST_PAGES
from visits.models import Country, Delegation, Visit
from visits.text import CONTROL_CHARACTERS

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# Every C0 control character and DEL, as a query string carries them (%00 ... %1F, %7F).
CONTROLS = [chr(code) for code in range(0x20)] + ["\x7f"]
# Those a record may not hold: all but tab, line feed and carriage return.
FORBIDDEN = [character for character in CONTROLS if character not in "\t\n\r"]


def raw_controls(text):
    """The control characters in a response's text that should never be there."""
    return sorted({character for character in text if CONTROL_CHARACTERS.match(character)})


def body_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")


@pytest.fixture
def stored():
    """A visit whose text holds control characters, put there with raw updates (which send no
    pre_save signal), as old rows or raw SQL may; its source's too."""
    visit = factories.visit(
        "AZ", "UZ", datetime.date(2025, 9, 24), title="Talks", summary="About energy"
    )
    source = factories.source(title="Report", url="https://example.org/report")
    visit.sources.add(source)
    Delegation.objects.create(
        visit=visit, head=factories.person("Kamran Aliyev"), head_office="Prosecutor General"
    )
    Visit.objects.filter(pk=visit.pk).update(
        title="Talks\x0b in\x1f Tashkent\x7f",
        summary="About\x0b energy\x1f\nand more\x08.",
        places="Tashkent\x0c",
    )
    type(source).objects.filter(pk=source.pk).update(title="Report\x1f", dateline="Baku\x0b")
    return Visit.objects.get(pk=visit.pk)


# Saving --------------------------------------------------------------------------------


def test_a_saved_visit_loses_its_control_characters_and_keeps_tabs_and_newlines():
    visit = factories.visit(title="Talks\x0b in Tashkent", summary="One\tline\r\nand\x1f two")

    visit.refresh_from_db()
    assert visit.title == "Talks in Tashkent"
    assert visit.summary == "One\tline\r\nand two"

    visit.title = "Renamed\x00\x7f"
    visit.save()
    visit.refresh_from_db()
    assert visit.title == "Renamed"


# The Atom feed -------------------------------------------------------------------------


@pytest.mark.parametrize("character", CONTROLS, ids=[f"{ord(c):02x}" for c in CONTROLS])
def test_the_feed_answers_any_control_character_in_the_query(client, stored, character):
    response = client.get(reverse("visit_feed"), {"q": f"talks{character}"})

    if character == "\x00":
        assert response.status_code == 400
        assert "q: Null characters are not allowed." in response.content.decode()
        return
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # well-formed XML
    assert raw_controls(feed.findtext(f"{ATOM}title")) == []
    assert raw_controls(response.content.decode()) == []


def test_the_feed_takes_stored_control_characters_out_of_everything(client, stored):
    Country.objects.filter(code="AZ").update(name="Azer\x0bbaijan")  # in the title and categories

    response = client.get(reverse("visit_feed"), {"country": "AZ"})

    assert response.status_code == 200
    assert raw_controls(response.content.decode()) == []
    feed = ET.fromstring(response.content)
    assert "Country: Azerbaijan" in feed.findtext(f"{ATOM}title")
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Talks in Tashkent"
    assert "About energy\nand more." in entry.findtext(f"{ATOM}summary")
    categories = {category.get("term") for category in entry.findall(f"{ATOM}category")}
    assert "Azerbaijan" in categories


def test_the_feed_title_holds_the_search_without_its_control_characters(client, stored):
    response = client.get(reverse("visit_feed"), {"q": "tash\x16kent\x1b"})

    assert response.status_code == 200
    title = ET.fromstring(response.content).findtext(f"{ATOM}title")
    assert "tashkent" in title
    assert raw_controls(title) == []


def test_the_whole_feed_with_a_stored_control_character(client, stored):
    response = client.get(reverse("visit_feed"))

    assert response.status_code == 200
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Talks in Tashkent"]


# Exports -------------------------------------------------------------------------------


def test_the_csv_export_holds_no_control_characters(client, stored):
    Visit.objects.filter(pk=stored.pk).update(places="\x0b=1+1")  # a formula behind a control
    response = client.get(reverse("export", args=["visits", "csv"]))

    assert response.status_code == 200
    body = body_of(response)
    assert raw_controls(body) == []
    (row,) = csv.DictReader(io.StringIO(body.removeprefix("\ufeff")))
    assert row["title"] == "Talks in Tashkent"
    assert row["summary"] == "About energy\nand more."
    assert row["guest_name"] == "Azerbaijan"
    assert row["source_title"] == "Report"
    assert row["places"] == "'=1+1", "the formula guard sees the cell as it is written"


def test_the_json_export_holds_no_control_characters(client, stored):
    response = client.get(reverse("export", args=["visits", "json"]))

    assert response.status_code == 200
    body = body_of(response)
    (record,) = json.loads(body)
    assert raw_controls(json.dumps(record, ensure_ascii=False)) == []
    assert "\\u000b" not in body and "\\u001f" not in body
    assert (record["title"], record["summary"], record["places"]) == (
        "Talks in Tashkent",
        "About energy\nand more.",
        "Tashkent",
    )


@pytest.mark.parametrize("name", ["meetings", "agreements"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_meeting_and_agreement_exports_hold_no_control_characters(client, name, fmt):
    meeting = factories.meeting(title="Meeting", summary="Summary")
    agreement = factories.agreement(title="Agreement", summary="Summary")
    type(meeting).objects.filter(pk=meeting.pk).update(title="Meet\x0bing", summary="Sum\x1f")
    type(agreement).objects.filter(pk=agreement.pk).update(title="Agree\x0bment", summary="\x02")

    response = client.get(reverse("export", args=[name, fmt]))

    assert response.status_code == 200
    body = body_of(response)
    assert raw_controls(body) == []
    assert "\\u00" not in body
    assert ("Meeting" if name == "meetings" else "Agreement") in body


# Pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        lambda visit: reverse("visit_list"),
        lambda visit: reverse("visit_list") + "?country=AZ",
        lambda visit: reverse("home"),
        lambda visit: visit.get_absolute_url(),
        lambda visit: visit.sources.get().get_absolute_url(),
    ],
    ids=["visit list", "visit list by country", "home", "visit page", "source page"],
)
def test_pages_show_stored_text_without_its_control_characters(client, stored, address):
    response = client.get(address(stored))

    assert response.status_code == 200
    html = response.content.decode()
    assert raw_controls(html) == []
    assert "Talks in Tashkent" in html


def test_the_visit_page_shows_every_stored_text_cleaned(client, stored):
    html = client.get(stored.get_absolute_url()).content.decode()

    assert "<h1>Talks in Tashkent</h1>" in html
    assert "About energy\nand more." in html
    assert "<dd>Tashkent</dd>" in html
    assert "“Report”" in html
    assert "Baku" in html


def test_no_html_page_carries_a_control_character_whatever_is_stored(client, stored):
    """Not only the pages tested above: a meeting, an agreement, a person and an organization
    with control characters in their names, and a search echoed in the filter form."""
    meeting = factories.meeting(visit=stored)
    agreement = factories.agreement(visit=stored)
    person = stored.delegation.head
    type(meeting).objects.filter(pk=meeting.pk).update(title="Council\x0b meeting\x1f")
    type(agreement).objects.filter(pk=agreement.pk).update(title="Programme\x0c")
    type(person).objects.filter(pk=person.pk).update(name="Kamran\x1f Aliyev")
    addresses = [
        meeting.get_absolute_url(),
        reverse("meeting_list"),
        agreement.get_absolute_url(),
        reverse("agreement_list"),
        person.get_absolute_url(),
        reverse("person_list"),
        reverse("visit_list") + "?q=talks%0B",
        "/countries/az/uz/",
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        assert raw_controls(response.content.decode()) == [], address
        assert int(response.get("Content-Length", len(response.content))) == len(response.content)


# Any character in any list's query -----------------------------------------------------

ADDRESSES = [*LIST_PAGES, *EXPORT_PAGES, "/visits/feed/"]


@pytest.mark.parametrize("address", ADDRESSES)
def test_q_with_any_control_character_is_never_a_server_error(stored, address):
    client = Client(raise_request_exception=False)
    for character in CONTROLS:
        for value in [character, f"talks{character}", f"{character}Tashkent{character}"]:
            response = client.get(address, {"q": value, "country": "AZ"})
            assert response.status_code < 500, (address, value, response.status_code)
            body_of(response)  # a streamed export is read to its end without an error
            if response.status_code == 400:
                assert character == "\x00", (address, value)
