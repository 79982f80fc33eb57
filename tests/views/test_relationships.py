"""Country pairs and timelines."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests import factories
from visits.models import Agreement

pytestmark = pytest.mark.django_db


class Bars(HTMLParser):
    """The bars of the inline SVG timeline, as (period, count)."""

    def __init__(self):
        super().__init__()
        self.bars = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "rect" and attrs.get("class") == "bar":
            self.bars.append((attrs["data-period"], int(attrs["data-count"])))


def bars(response):
    parser = Bars()
    parser.feed(response.content.decode())
    return parser.bars


@pytest.fixture
def relationship():
    az_uz = [
        factories.visit("AZ", "UZ", datetime.date(2019, 5, 1)),
        factories.visit("AZ", "UZ", datetime.date(2021, 5, 1)),
        factories.visit("UZ", "AZ", datetime.date(2023, 2, 1), title="Return visit"),
    ]
    factories.visit("AZ", "FR", datetime.date(2022, 1, 1))
    treaty = factories.agreement(title="Treaty of friendship", signed_on=datetime.date(2021, 5, 2))
    treaty.party_countries.add(factories.country("AZ"), factories.country("UZ"))
    old = factories.agreement(
        title="Expired programme",
        signed_on=datetime.date(2019, 5, 2),
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2021, 12, 31),
    )
    old.party_countries.add(factories.country("AZ"), factories.country("UZ"))
    other = factories.agreement(title="With France", signed_on=datetime.date(2022, 1, 2))
    other.party_countries.add(factories.country("AZ"), factories.country("FR"))
    factories.meeting(title="Talks in Tashkent", visit=az_uz[1], date=datetime.date(2021, 5, 2))
    return az_uz


def test_pair_page_shows_both_directions_and_the_agreements_in_force(client, relationship):
    response = client.get(reverse("country_pair", args=["az", "uz"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["counts"] == {
        "one_way": 2,
        "other_way": 1,
        "meetings": 1,
        "agreements": 2,
    }
    assert response.context["latest_one_way"] == relationship[1]
    assert response.context["latest_other_way"].title == "Return visit"
    assert " ago)" in page
    assert [a.title for a in response.context["in_force"]] == ["Treaty of friendship"]
    kinds = [(kind, record.title) for kind, _, record in response.context["events"]]
    assert kinds[0] == ("visit", "Return visit"), "newest first"
    assert ("agreement", "Treaty of friendship") in kinds
    assert ("meeting", "Talks in Tashkent") in kinds
    assert ("agreement", "With France") not in kinds
    assert bars(response) == [("2019", 1), ("2020", 0), ("2021", 1), ("2022", 0), ("2023", 1)]


def test_pair_addresses_are_canonical_and_checked(client, relationship):
    response = client.get("/countries/AZ/uz/")
    assert response.status_code == 302
    assert response["Location"] == "/countries/az/uz/"
    assert client.get("/countries/az/az/").status_code == 404
    assert client.get("/countries/az/zz/").status_code == 404
    reverse_pair = client.get("/countries/uz/az/")
    assert reverse_pair.context["counts"]["one_way"] == 1


def test_country_and_visit_pages_link_to_the_pair(client, relationship):
    assert 'href="/countries/az/uz/"' in client.get("/countries/az/").content.decode()
    visit_page = client.get(relationship[0].get_absolute_url()).content.decode()
    assert 'href="/countries/az/uz/"' in visit_page
    treaty = Agreement.objects.get(title="Treaty of friendship")
    assert 'href="/countries/az/uz/"' in client.get(treaty.get_absolute_url()).content.decode()


def test_timeline_bars_match_the_counts_and_follow_the_filters(client, relationship):
    home = client.get(reverse("home"))
    assert bars(home) == [("2019", 1), ("2020", 0), ("2021", 1), ("2022", 1), ("2023", 1)]
    filtered = client.get(reverse("visit_list"), {"guest": "AZ"})
    assert bars(filtered) == [("2019", 1), ("2020", 0), ("2021", 1), ("2022", 1)]
    country = client.get("/countries/fr/")
    assert bars(country) == [], "one month is no chart"
    assert 'data-count="1" data-period="Jan 2022"' in country.content.decode(), "figures alone"


def test_timeline_is_accessible_and_has_a_table(client, relationship):
    page = client.get(reverse("visit_list"), {"host": "UZ"}).content.decode()
    assert 'aria-labelledby="list-timeline-title list-timeline-desc"' in page
    assert "<title id=" in page and "<desc id=" in page
    assert "The figures as a table" in page
    assert '<th scope="row">May 2019</th><td class="number">1</td>' not in page
    assert (
        '<th scope="row"><a href="/visits/?host=UZ&amp;year=2019">2019</a></th>'
        '<td class="number">1</td>' in page
    )


def test_monthly_timeline_counts_every_month(client):
    for day in (datetime.date(2025, 1, 3), datetime.date(2025, 1, 20), datetime.date(2025, 3, 1)):
        factories.visit("AZ", "UZ", day)
    response = client.get(reverse("visit_list"))
    assert bars(response) == [("Jan 2025", 2), ("Feb 2025", 0), ("Mar 2025", 1)]
