"""What a page says about itself: a description, OpenGraph tags and a canonical address in
its head; and the site's icon at /favicon.ico and on the admin's pages."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links = {}, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta[attrs.get("name") or attrs["property"]] = attrs.get("content")
        if tag == "link" and attrs.get("rel") in ("canonical", "icon"):
            self.links[attrs["rel"]] = attrs["href"]


def head(response):
    parser = Head()
    parser.feed(response.content.decode())
    return parser


def test_a_visit_page_describes_itself_from_its_summary(client):
    visit = factories.visit(
        "AZ",
        "UZ",
        datetime.date(2025, 9, 24),
        title="State visit to Tashkent",
        summary="Talks on the railway & energy.",
    )
    found = head(client.get(visit.get_absolute_url()))
    assert found.meta["description"] == "Talks on the railway & energy."
    assert found.meta["og:description"] == "Talks on the railway & energy."
    assert found.meta["og:title"] == "State visit to Tashkent"
    assert found.meta["og:type"] == "article"
    assert found.meta["og:url"] == f"http://testserver{visit.get_absolute_url()}"
    assert found.links["canonical"] == f"http://testserver{visit.get_absolute_url()}"


def test_a_record_without_summary_is_described_from_its_facts(client):
    visit = factories.visit("AZ", "UZ", datetime.date(2025, 9, 24))
    found = head(client.get(visit.get_absolute_url()))
    assert found.meta["description"].startswith("Visit (kind not stated) from Azerbaijan to")
    country = head(client.get(reverse("country_detail", args=["az"])))
    assert country.meta["description"].startswith("Azerbaijan: 1 visit made and 0 received")


def test_a_list_has_a_clean_canonical_address_and_describes_its_filters(client):
    factories.visit("AZ", "UZ", datetime.date(2025, 9, 24))
    response = client.get(reverse("visit_list"), {"host": "UZ", "guest": "AZ"})
    found = head(response)
    assert found.links["canonical"] == "http://testserver/visits/?guest=AZ&host=UZ"
    assert found.meta["og:type"] == "website"
    assert found.meta["og:title"].startswith("Visits: ")
    assert found.meta["description"].startswith("1 visit (")


def test_the_home_page_has_the_default_description(client):
    found = head(client.get(reverse("home")))
    assert found.meta["description"].startswith("Records of diplomatic visits")
    assert found.links["canonical"] == "http://testserver/"


def test_a_missing_page_is_not_indexed(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    found = head(response)
    assert found.meta.get("robots") == "noindex" and "canonical" not in found.links


def test_favicon_ico_gives_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")


def test_the_admin_pages_have_the_icon(admin_client):
    found = head(admin_client.get(reverse("admin:index")))
    assert found.links["icon"].endswith("favicon.svg")
