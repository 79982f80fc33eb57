"""The world map on the home page, the visit list and a country's page: what it counts, where
its countries lead, its legend, notes and table."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from tests import factories
from visits import maps

pytestmark = pytest.mark.django_db

SHAPE_LINK = re.compile(r'<a href="([^"]+)"><title>([^<]+)</title>')


def map_links(response):
    """{title: href} of the countries the page's map links."""
    body = response.content.decode()
    svg = body[body.index('<svg viewBox="0 0 1000') : body.index("</svg>", body.index("world-map"))]
    return {html.unescape(title): html.unescape(href) for href, title in SHAPE_LINK.findall(svg)}


def figure(title):
    return int(re.search(r": (\d+) visits?", title).group(1))


@pytest.fixture
def visits():
    day = datetime.date(2020, 5, 1)
    for guest, host, n in [("AZ", "UZ", 3), ("AZ", "FR", 2), ("UZ", "AZ", 1), ("FR", "SUHH", 1)]:
        for _ in range(n):
            factories.visit(guest, host, day)


def listed(client, href):
    response = client.get(href)
    assert response.status_code == 200
    return int(re.search(r"<strong>(\d+)</strong>", response.content.decode()).group(1))


def test_home_map_counts_visits_made_or_received(client, visits):
    response = client.get(reverse("home"))
    links = map_links(response)
    assert links == {
        "Azerbaijan: 6 visits": "/visits/?country=AZ",
        "Uzbekistan: 4 visits": "/visits/?country=UZ",
        "France: 3 visits": "/visits/?country=FR",
        "Russian Federation: 1 visit (USSR, Union of Soviet Socialist Republics 1)": (
            "/visits/?country=SUHH"
        ),
    }
    for title, href in links.items():
        assert listed(client, href) == figure(title)
    content = response.content.decode()
    assert 'aria-labelledby="home-map-title home-map-desc"' in content
    assert "Former states are counted on their successor&#x27;s shape" in content or (
        "Former states are counted on their successor's shape" in content
    )
    assert "USSR, Union of Soviet Socialist Republics on Russian Federation" in content


def test_the_table_lists_every_country_of_the_records(client, visits):
    response = client.get(reverse("home"))
    table = response.content.decode().split("The figures as a table")[-1]
    for name, n in [("Azerbaijan", 6), ("Uzbekistan", 4), ("France", 3)]:
        assert re.search(rf">{name}</a></th><td class=\"number\">{n}<", table)
    assert 'USSR, Union of Soviet Socialist Republics</a></th><td class="number">1<' in table
    assert "on Russian Federation" in table


def test_the_legend_has_a_class_per_quantile(client, visits):
    response = client.get(reverse("home"))
    legend = response.content.decode().split('class="map-legend"')[1].split("</ul>")[0]
    assert re.findall(r'swatch (q\d)"></span>([^<]+)<', legend) == [
        ("q0", "none"),
        ("q1", "1"),
        ("q2", "2–3"),
        ("q4", "4"),
        ("q5", "5–6"),
    ]


@pytest.mark.parametrize(
    ("query", "side", "subject"),
    [
        ("", "country", "Visits made or received, per country"),
        ("?guest=AZ", "host", "Where these visits went"),
        ("?host=AZ&host=FR", "guest", "Where these visits came from"),
        ("?country=AZ", "host", "Where these visits went"),
        ("?guest=AZ&host=UZ", "host", "Where these visits went"),
    ],
)
def test_a_list_map_links_each_country_to_a_list_of_as_many(client, visits, query, side, subject):
    response = client.get(reverse("visit_list") + query)
    assert subject in response.content.decode()
    links = map_links(response)
    assert links
    for title, href in links.items():
        assert f"{side}=" in href
        assert listed(client, href) == figure(title), (title, href)


def test_a_list_map_follows_the_other_filters(client, visits):
    factories.visit("AZ", "UZ", datetime.date(1999, 1, 1))
    response = client.get(reverse("visit_list") + "?guest=AZ&year=1999")
    assert map_links(response) == {"Uzbekistan: 1 visit": "/visits/?guest=AZ&year=1999&host=UZ"}


def test_no_map_for_bad_filters_or_no_results(client, visits):
    bad = client.get(reverse("visit_list") + "?country=ZZ")
    assert bad.status_code == 400
    assert "world-map" not in bad.content.decode()
    empty = client.get(reverse("visit_list") + "?year=1900")
    assert empty.status_code == 200
    assert "world-map-chart" not in empty.content.decode()


def test_a_country_page_maps_its_partners_and_itself(client, visits):
    response = client.get(reverse("country_detail", args=["az"]))
    links = map_links(response)
    assert links == {
        "Azerbaijan: this country": "/visits/?country=AZ",
        "Uzbekistan: 4 visits (3 from Azerbaijan, 1 to Azerbaijan)": "/countries/az/uz/",
        "France: 2 visits (2 from Azerbaijan, 0 to Azerbaijan)": "/countries/az/fr/",
    }
    assert 'class="swatch self"></span>Azerbaijan' in response.content.decode()


def test_a_former_state_page_highlights_its_successor(client, visits):
    response = client.get(reverse("country_detail", args=["suhh"]))
    links = map_links(response)
    assert links["Russian Federation: this country"] == "/visits/?country=SUHH"
    ussr = "USSR, Union of Soviet Socialist Republics"
    assert links[f"France: 1 visit (0 from {ussr}, 1 to {ussr})"] == "/countries/suhh/fr/"


def test_the_map_is_kept_drawn_until_the_records_change(client, visits, django_assert_num_queries):
    first = maps.home_map()
    assert first.startswith('<figure class="world-map"')
    with django_assert_num_queries(1):  # the data version, nothing else
        assert maps.home_map() == first
    factories.visit("AZ", "DE", datetime.date(2021, 1, 1))
    assert "Germany: 1 visit" in maps.home_map()
