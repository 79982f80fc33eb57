"""A source without a headline or an address (the seed article) is named by what it does give,
"AZERTAC, Baku, 25 September 2025", wherever it is named; nothing makes up a title for it."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from visits.models import Source, Visit

pytestmark = pytest.mark.usefixtures("article")

NAME = "AZERTAC, Baku, 25 September 2025"
SOURCE = "/sources/azertac-2025-09-25-prosecutor-general-visit/"
ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_source_has_neither_title_nor_address():
    source = Source.objects.get()
    assert (source.title, source.url) == ("", "")
    assert str(source) == NAME


def test_its_page_is_headed_by_what_it_gives(client):
    page = client.get(SOURCE).content.decode()
    assert f"<h1>{NAME}</h1>" in page
    assert f"<title>Source: {NAME} · Diplomatic visits</title>" in page
    assert "<dt>Address</dt>" not in page, "no address made up"


@pytest.mark.parametrize(
    "path",
    [
        "/visits/2025-09-24-azerbaijan-uzbekistan-prosecutor-general/",
        "/meetings/4th-meeting-general-prosecutors-council-organization-of-turkic-states/",
        "/agreements/2024-08-23-azerbaijan-uzbekistan-treaty-on-allied-relations/",
        "/organizations/azertac/",
    ],
)
def test_record_pages_name_it_in_their_sources(client, path):
    page = client.get(path).content.decode()
    assert f'<li><a href="{SOURCE}">{NAME}</a></li>' in page
    assert ">original</a>" not in page, "no link to an address it does not have"


def test_the_feed_names_the_source_of_each_visit(client):
    feed = ET.fromstring(client.get(reverse("visit_feed")).content)
    (entry,) = feed.iter(f"{ATOM}entry")
    assert f"<p>Source: {NAME}.</p>" in entry.findtext(f"{ATOM}summary")


def test_the_admin_names_it_in_its_list_and_in_the_records_that_cite_it(admin_client):
    page = admin_client.get(reverse("admin:visits_source_changelist")).content.decode()
    assert f">{NAME}</a>" in page
    visit = reverse("admin:visits_visit_change", args=[Visit.objects.get().pk])
    page = admin_client.get(visit).content.decode()
    assert f"selected>{NAME}</option>" in page
