"""A record whose title, summary and names are markup shows as text everywhere: on every page,
in the Atom feed, in the CSV and JSON exports and in the admin."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from tests import factories
from visits.models import (
    Country,
    Delegation,
    DelegationMember,
    MeetingParticipant,
    Signatory,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ATOM = "{http://www.w3.org/2005/Atom}"


class Page(HTMLParser):
    """The text a browser would show, and what each <script> element holds."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.text, self.scripts, self._script = [], [], None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._script = {"attrs": dict(attrs), "content": ""}
            self.scripts.append(self._script)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script["content"] += data
        else:
            self.text.append(data)

    @property
    def shown(self):
        return "".join(self.text)


def assert_shown_as_text(html):
    """The markup is in the page as text, never as an element."""
    assert SCRIPT not in html, "the markup is in the page unescaped"
    page = Page(html)
    assert SCRIPT in page.shown, "the record's text is shown"
    for script in page.scripts:
        # Only the site's own script files, none written into the page.
        assert not script["content"].strip(), script
        source = script["attrs"].get("src", "")
        assert source.startswith("/") and not source.startswith("//"), script


@pytest.fixture
def hostile():
    """A visit, its delegation, a meeting, an agreement and a source: every text is markup.
    The host is a country of that name too (editors can rename and add countries)."""
    host = Country.objects.create(code="XSS", name=SCRIPT, status=Country.Status.OTHER)
    azerbaijan = factories.country("AZ")
    organization = factories.organization(SCRIPT, short_name=SCRIPT, country=azerbaijan)
    head = factories.person(SCRIPT, country=azerbaijan)
    member = factories.person(SCRIPT + " 2", country=azerbaijan)
    source = factories.source(
        title=SCRIPT, dateline=SCRIPT, published_on=datetime.date(2025, 9, 25)
    )
    day = datetime.date(2025, 9, 24)
    visit = factories.visit(
        "AZ", "XSS", day, title=SCRIPT, summary=SCRIPT, places=SCRIPT, end_date=day
    )
    visit.sources.add(source)
    delegation = Delegation.objects.create(
        visit=visit, head=head, head_office=SCRIPT, organization=organization
    )
    DelegationMember.objects.create(delegation=delegation, person=member, office=SCRIPT)
    meeting = factories.meeting(
        visit=visit,
        title=SCRIPT,
        summary=SCRIPT,
        place=SCRIPT,
        date=day,
        country=host,
        host_organization=organization,
    )
    meeting.sources.add(source)
    MeetingParticipant.objects.create(
        meeting=meeting, person=head, office=SCRIPT, organization=organization
    )
    agreement = factories.agreement(
        visit=visit,
        title=SCRIPT,
        summary=SCRIPT,
        signed_on=day,
        signed_place=SCRIPT,
        signed_country=host,
    )
    agreement.party_countries.add(azerbaijan, host)
    agreement.party_organizations.add(organization)
    agreement.sources.add(source)
    Signatory.objects.create(
        agreement=agreement, person=head, office=SCRIPT, organization=organization
    )
    return {
        "visit": visit,
        "meeting": meeting,
        "agreement": agreement,
        "organization": organization,
        "person": head,
        "source": source,
        "host": host,
    }


# Every HTML page that shows the records, as an address built from them.
PAGES = {
    "home": lambda records: reverse("home"),
    "visit list": lambda records: reverse("visit_list"),
    # PostgreSQL's text search parser reads "<script>…</script>" as markup and indexes none of
    # it, so there the visit is found by its country's name; SQLite finds the marked word.
    "visit list, found by text": lambda records: (
        reverse("visit_list")
        + ("?q=azerbaijan" if connection.vendor == "postgresql" else "?q=alert")
    ),
    "visit list, filtered by its organization and person": lambda records: (
        reverse("visit_list")
        + f"?organization={records['organization'].slug}&person={records['person'].slug}"
    ),
    "visit list, filtered by its host": lambda records: reverse("visit_list") + "?host=XSS",
    "meeting list": lambda records: (
        reverse("meeting_list") + f"?organization={records['organization'].slug}"
    ),
    "agreement list": lambda records: (
        reverse("agreement_list") + f"?person={records['person'].slug}"
    ),
    "organization list": lambda records: reverse("organization_list"),
    "person list": lambda records: reverse("person_list"),
    "country list": lambda records: reverse("country_list"),
    "visit page": lambda records: records["visit"].get_absolute_url(),
    "meeting page": lambda records: records["meeting"].get_absolute_url(),
    "agreement page": lambda records: records["agreement"].get_absolute_url(),
    "organization page": lambda records: records["organization"].get_absolute_url(),
    "person page": lambda records: records["person"].get_absolute_url(),
    "source page": lambda records: records["source"].get_absolute_url(),
    "guest country page": lambda records: reverse("country_detail", args=["az"]),
    "host country page": lambda records: records["host"].get_absolute_url(),
    "country pair page": lambda records: reverse("country_pair", args=["az", "xss"]),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_html_pages_show_markup_as_text(client, hostile, page):
    response = client.get(PAGES[page](hostile))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert_shown_as_text(response.content.decode())
    if "found by text" in page:
        assert "<strong>1</strong> visit matches" in response.content.decode()


def test_atom_feed_escapes_markup_as_xml_and_as_html(client, hostile):
    organization = hostile["organization"].slug
    response = client.get(reverse("visit_feed"), {"organization": organization})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<script" not in body, "no raw markup anywhere in the XML"
    feed = ET.fromstring(response.content)
    assert SCRIPT in feed.findtext(f"{ATOM}title"), "the filter's name, as text"
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == SCRIPT, "the title is text: XML-escaped once"
    for element in entry.findall(f"{ATOM}summary") + entry.findall(f"{ATOM}content"):
        # The summary is HTML (type="html"): read as HTML, the markup is text, not an element.
        assert element.get("type") == "html"
        assert_shown_as_text(element.text)
    categories = [category.get("term") for category in entry.findall(f"{ATOM}category")]
    assert SCRIPT in categories


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("visits", ["title", "summary", "places", "head", "head_office", "organization"]),
        ("meetings", ["title", "summary", "place", "host_organization"]),
        ("agreements", ["title", "summary", "signed_place"]),
    ],
)
def test_csv_export_holds_markup_as_data(client, hostile, name, fields):
    response = client.get(reverse("export", args=[name, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    (row,) = csv.DictReader(io.StringIO(body))
    assert {field: row[field] for field in fields} == dict.fromkeys(fields, SCRIPT)
    assert ESCAPED not in body, "data, not escaped for HTML"


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("visits", ["title", "summary", "places", "head", "head_office", "organization"]),
        ("meetings", ["title", "summary", "place", "host_organization"]),
        ("agreements", ["title", "summary", "signed_place"]),
    ],
)
def test_json_export_holds_markup_as_data(client, hostile, name, fields):
    response = client.get(reverse("export", args=[name, "json"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    records = json.loads(b"".join(response.streaming_content))
    (record,) = records
    assert {field: record[field] for field in fields} == dict.fromkeys(fields, SCRIPT)
    if name == "meetings":
        assert record["participants"] == [f"{SCRIPT} ({SCRIPT})"]
    if name == "agreements":
        assert record["party_organizations"] == [SCRIPT]
        assert record["signatories"] == [f"{SCRIPT} ({SCRIPT})"]


@pytest.mark.parametrize(
    "model", ["visit", "meeting", "agreement", "organization", "person", "source", "country"]
)
def test_admin_change_list_shows_markup_as_text(admin_client, hostile, model):
    query = {"q": "XSS"} if model == "country" else {}
    response = admin_client.get(reverse(f"admin:visits_{model}_changelist"), query)
    assert response.status_code == 200
    assert_shown_as_text(response.content.decode())


# Addresses that are not web addresses, and markup that validates -----------------------


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://files.example.org/report.pdf",
        "//evil.example/report",
        "/relative/report",
    ],
)
def test_a_source_address_that_is_not_http_is_shown_as_text_never_as_a_link(client, address):
    source = factories.source(title="Report", url="https://example.org/report")
    source.visits.add(factories.visit())
    type(source).objects.filter(pk=source.pk).update(url=address)  # as raw SQL could store it

    for page in [source.get_absolute_url(), source.visits.get().get_absolute_url()]:
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        links = [href for href in Links(html).hrefs if address.strip() in href or "script" in href]
        assert links == [], page
        assert escape(address.replace("\t", "")) in html.replace("\t", ""), "shown as text"


@pytest.mark.parametrize("address", ["https://example.org/report?a=1&b=2", "http://example.org/"])
def test_a_web_address_is_a_link(client, address):
    source = factories.source(title="Report", url=address)
    source.visits.add(factories.visit())

    for page in [source.get_absolute_url(), source.visits.get().get_absolute_url()]:
        assert address in Links(client.get(page).content.decode()).hrefs, page


class Links(HTMLParser):
    """The href of every link, and whether a <details> ever opens inside a <figure>."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.hrefs, self.open, self.details_in_figure, self.details = [], [], 0, 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href") is not None:
            self.hrefs.append(dict(attrs)["href"])
        if tag == "details":
            self.details += 1
            self.details_in_figure += "figure" in self.open
        if tag in {"figure", "details"}:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in {"figure", "details"} and tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag)]


@pytest.mark.parametrize(
    "page",
    [
        lambda: reverse("home"),
        lambda: reverse("visit_list"),
        lambda: reverse("country_detail", args=["az"]),
        lambda: reverse("country_pair", args=["az", "uz"]),
    ],
    ids=["home", "visit list", "country page", "country pair page"],
)
def test_the_timelines_table_is_not_inside_its_figure(client, page):
    for year in [2019, 2021, 2024]:
        factories.visit("AZ", "UZ", datetime.date(year, 5, 1))

    html = client.get(page()).content.decode()

    parsed = Links(html)
    # Its table, and the world map's where the page has one.
    assert "<figure" in html and parsed.details >= 1, "the page has its timeline and table"
    assert parsed.details_in_figure == 0
    assert "The figures as a table" in html
