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
    assert '<time datetime="2025-09-24">24 September 2025</time>' in response.content.decode()


def test_visit_page_links_its_records(client):
    response = client.get(VISIT)
    page = response.content.decode()
    assert response.status_code == 200
    for url in (
        "/people/kamran-aliyev/",
        "/people/nigmatilla-yuldashev/",
        "/countries/az/",
        "/countries/uz/",
        "/organizations/prosecutor-generals-office-of-azerbaijan/",
        "/meetings/4th-meeting-general-prosecutors-council-organization-of-turkic-states/",
        "/agreements/azerbaijan-uzbekistan-prosecutors-cooperation-program-2026-2027/",
        "/sources/azertac-2025-09-25-prosecutor-general-visit/",
    ):
        assert f'href="{url}"' in page, url
    assert page.index("Bilateral meeting") < page.index("4th Meeting"), "meetings in order"


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


def test_organization_page_shows_parent_and_bodies(client):
    page = client.get("/organizations/organization-of-turkic-states/").content.decode()
    assert "General Prosecutors&#x27; Council of the Organization of Turkic States" in page
    council = client.get(
        "/organizations/general-prosecutors-council-of-the-organization-of-turkic-states/"
    ).content.decode()
    assert 'href="/organizations/organization-of-turkic-states/"' in council
    assert "4th Meeting of the General Prosecutors" in council


def test_person_page_shows_offices_held_each_time(client):
    page = client.get("/people/nigmatilla-yuldashev/").content.decode()
    assert "organizer, as Prosecutor General" in page
    assert "Cooperation Program between the Prosecutor General" in page
    assert "— as Prosecutor General" in page


def test_meeting_page_shows_series_and_participants(client):
    page = client.get(
        "/meetings/4th-meeting-general-prosecutors-council-organization-of-turkic-states/"
    ).content.decode()
    assert "No. 4 of the meetings of" in page
    assert "September 2025" in page
    assert 'href="/people/kamran-aliyev/"' in page


def test_agreement_page_shows_parties_signature_and_validity(client):
    page = client.get(
        "/agreements/azerbaijan-uzbekistan-prosecutors-cooperation-program-2026-2027/"
    ).content.decode()
    assert 'href="/organizations/prosecutor-generals-office-of-azerbaijan/"' in page
    assert '<time datetime="2026-01-01">1 January 2026</time>' in page
    assert '<time datetime="2027-12-31">31 December 2027</time>' in page
    assert "September 2025" in page
    treaty = client.get(
        "/agreements/2024-08-23-azerbaijan-uzbekistan-treaty-on-allied-relations/"
    ).content.decode()
    assert '<time datetime="2024-08-23">23 August 2024</time>, Tashkent' in treaty
    assert "The signatories are not recorded." in treaty


def test_unknown_country_code_is_a_404(client):
    assert client.get("/countries/zz/").status_code == 404
