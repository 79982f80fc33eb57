"""What a visitor sees on the public pages."""

import pytest
from django.urls import reverse

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
