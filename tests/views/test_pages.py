"""What a visitor sees on the public pages."""

import pytest
from django.urls import reverse

from tests.pages import LIST_PAGES

pytestmark = pytest.mark.usefixtures("article")

VISIT = "/visits/2025-09-24-azerbaijan-uzbekistan-prosecutor-general/"


def test_home_lists_the_visit(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"<title>" in response.content
    link = f'<a href="{VISIT}">Official visit of Prosecutor General Kamran Aliyev to Uzbekistan</a>'
    assert link in response.content.decode()
    assert '<time datetime="2025-09-24">24 Sep 2025</time>' in response.content.decode()


def test_visit_page_links_its_records(client):
    response = client.get(VISIT)
    page = response.content.decode()
    assert response.status_code == 200
    for url in (
        "/people/kamran-aliyev/",
        "/people/nigmatilla-yuldashev/",
        "/countries/az/",
        "/countries/uz/",
        "/meetings/4th-meeting-general-prosecutors-council-organization-of-turkic-states/",
        "/agreements/azerbaijan-uzbekistan-prosecutors-cooperation-program-2026-2027/",
        "/sources/azertac-2025-09-25-prosecutor-general-visit/",
    ):
        assert f'href="{url}"' in page, url
    assert page.index("Bilateral meeting") < page.index("4th Meeting"), "meetings in order"
    # "An Azerbaijani delegation": the article names no body it represented.
    led_by = 'Led by <a href="/people/kamran-aliyev/">Kamran Aliyev</a>, Prosecutor General.</p>'
    assert led_by in page


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/4th-meeting-general-prosecutors-council-organization-of-turkic-states/",
        "/agreements/2024-08-23-azerbaijan-uzbekistan-treaty-on-allied-relations/",
        "/organizations/organization-of-turkic-states/",
        "/people/nigmatilla-yuldashev/",
        "/countries/uz/",
        "/countries/SUHH/",
        "/sources/azertac-2025-09-25-prosecutor-general-visit/",
    ],
)
def test_detail_pages_render(client, url):
    assert client.get(url).status_code == 200


def test_unknown_page_is_a_404_in_the_sites_layout(client):
    response = client.get("/visits/no-such-visit/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b'<nav aria-label="Main">' in response.content


LIST_URLS = LIST_PAGES


@pytest.mark.parametrize("url", LIST_URLS)
def test_every_page_has_the_layout(client, url):
    from html.parser import HTMLParser

    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<nav aria-label="Main">' in page
    for name in ("Visits", "Meetings", "Agreements", "Countries", "Organizations", "People"):
        assert f">{name}</a>" in page
    assert '<label for="site-search-q">Search visits</label>' in page
    assert "<main" in page
    assert "<title>" in page and "· Diplomatic visits</title>" in page

    class Controls(HTMLParser):
        """Collects form controls and the labels that point at them."""

        def __init__(self):
            super().__init__()
            self.ids, self.labelled = [], set()

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
                self.ids.append(attrs.get("id"))
            if tag == "label":
                self.labelled.add(attrs.get("for"))

    controls = Controls()
    controls.feed(page)
    assert controls.ids, "every page has at least the search box"
    assert all(control in controls.labelled for control in controls.ids), controls.ids


def test_admin_link_only_for_staff(client, admin_client):
    assert 'href="/admin/"' not in client.get("/").content.decode()
    assert 'href="/admin/"' in admin_client.get("/").content.decode()


def test_breadcrumbs_on_a_detail_page(client):
    page = client.get(VISIT).content.decode()
    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in page
    assert '<a href="/visits/">Visits</a>' in page


def test_country_page_lists_partners_with_counts(client):
    response = client.get("/countries/az/")
    partners = response.context["partners"]
    assert [(row["country"].code, row["made"], row["received"]) for row in partners] == [
        ("UZ", 1, 0)
    ]
    assert 'href="/visits/?guest=AZ&amp;host=UZ"' in response.content.decode()


# What each record's page must show: its links, dates, offices and series.
RECORD_PAGES = {
    "organization with its bodies": (
        "/organizations/organization-of-turkic-states/",
        ["General Prosecutors&#x27; Council of the Organization of Turkic States"],
    ),
    "body with its parent and meeting": (
        "/organizations/general-prosecutors-council-of-the-organization-of-turkic-states/",
        [
            'href="/organizations/organization-of-turkic-states/"',
            "4th Meeting of the General Prosecutors",
        ],
    ),
    "person with the office held each time": (
        "/people/nigmatilla-yuldashev/",
        [
            "organizer, as Prosecutor General",
            "Cooperation Program between the Prosecutor General",
            "— as Prosecutor General",
        ],
    ),
    "meeting with its series and participants": (
        "/meetings/4th-meeting-general-prosecutors-council-organization-of-turkic-states/",
        ["No. 4 of the meetings of", "September 2025", 'href="/people/kamran-aliyev/"'],
    ),
    "agreement with parties, signature and validity": (
        "/agreements/azerbaijan-uzbekistan-prosecutors-cooperation-program-2026-2027/",
        [
            'href="/organizations/prosecutor-generals-office-of-azerbaijan/"',
            # The article gives the years of validity only, no days.
            '<dt>Valid</dt><dd><time datetime="2026">2026</time>–<time datetime="2027">2027</time>'
            "</dd>",
            "<dt>Signed</dt><dd>September 2025</dd>",  # no day, place or country given
        ],
    ),
    "agreement list with validity by year": (
        "/agreements/",
        ['<td data-label="Valid"><time datetime="2026">2026</time>–<time datetime="2027">2027'],
    ),
    "agreement signed without recorded signatories": (
        "/agreements/2024-08-23-azerbaijan-uzbekistan-treaty-on-allied-relations/",
        [
            '<time datetime="2024-08-23">23 August 2024</time>, Tashkent',
            "The signatories are not recorded.",
        ],
    ),
}


@pytest.mark.parametrize("path, shown", RECORD_PAGES.values(), ids=RECORD_PAGES)
def test_record_page_shows(client, path, shown):
    page = client.get(path).content.decode()
    assert [text for text in shown if text not in page] == []


def test_unknown_country_code_is_a_404(client):
    assert client.get("/countries/zz/").status_code == 404
