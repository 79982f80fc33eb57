"""What readers see of journeys and accompanying visits: the itinerary, the stop line and the
links both ways on a visit's page, the journey list, and events counted once (`events=once`) on
the visit list, its exports and feed, on Warren Christopher's and President Clinton's travels."""

import csv
import html
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.test_journeys import PRESIDENT, SECRETARY
from visits.models import Journey, Visit

pytestmark = pytest.mark.django_db

TOUR = "christopher-warren-minor-1996-04-15"


@pytest.fixture
def travels():
    call_command("import_hsg", str(SECRETARY), str(PRESIDENT), stdout=io.StringIO())


def text(response):
    page = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", page).strip()


def trip(record_id):
    return Visit.objects.get(dataset="hsg-travels", record_id=record_id)


@pytest.mark.usefixtures("travels")
def test_the_itinerary_lists_the_stops_in_order_with_length_and_countries(client):
    journey = Journey.objects.get(slug=TOUR)
    response = client.get(journey.get_absolute_url())
    assert response.status_code == 200
    shown = text(response)
    assert "Length 12 days Stops 16 Countries 6" in shown
    assert "Traveller Warren Minor Christopher" in shown
    rows = re.findall(r'<th scope="row"><a href="/visits/([^"/]+)/">', response.content.decode())
    stops = journey.stops.order_by("start_date", "slug")
    assert rows == [stop.slug for stop in stops]
    first = stops[0]
    assert f'<a href="{first.host_country.get_absolute_url()}">South Korea</a>' in (
        response.content.decode()
    )
    assert "Cheju Island" in shown
    # A stop that was part of the President's visit says so.
    assert "part of President William J. Clinton in the Republic of Korea" in shown


@pytest.mark.usefixtures("travels")
def test_a_stop_says_where_it_comes_in_its_journey(client):
    journey = Journey.objects.get(slug=TOUR)
    third = journey.stops.order_by("start_date", "slug")[2]
    response = client.get(third.get_absolute_url())
    assert f"Journey Stop 3 of 16 of {journey.title}" in text(response)
    assert f'<a href="{journey.get_absolute_url()}">' in response.content.decode()


@pytest.mark.usefixtures("travels")
def test_accompanying_visits_link_both_ways(client):
    secretary, president = trip("688"), trip("2565")
    shown = text(client.get(secretary.get_absolute_url()))
    assert f"Part of {president.title}" in shown
    shown = text(client.get(president.get_absolute_url()))
    assert f"Accompanied by {secretary.title}" in shown


@pytest.mark.usefixtures("travels")
def test_events_once_leaves_out_the_visits_that_were_part_of_another(client):
    total = Visit.objects.count()
    accompanying = Visit.objects.exclude(part_of=None).count()
    assert accompanying > 20
    counts = {}
    for query in ({}, {"events": "once"}):
        response = client.get(reverse("visit_list"), query)
        counts[bool(query)] = int(re.search(r"<strong>(\d+)</strong>", text_html(response))[1])
    assert counts == {False: total, True: total - accompanying}
    export = client.get(reverse("export", args=["visits", "csv"]), {"events": "once"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == total - accompanying
    assert trip("688").slug not in {row["slug"] for row in rows}
    feed = client.get(reverse("visit_feed"), {"events": "once"}).content.decode()
    assert trip("688").get_absolute_url() not in feed
    home = text(client.get(reverse("home")))
    assert f"{total} visits recorded. {accompanying} of them accompanied another visit" in home


def text_html(response):
    return response.content.decode()


@pytest.mark.parametrize("value", ["twice", "on", "ONCE"])
@pytest.mark.parametrize("name", ["visit_list", "export"])
def test_a_bad_events_value_gives_400_with_the_reason(client, name, value):
    url = reverse(name) if name == "visit_list" else reverse(name, args=["visits", "json"])
    response = client.get(url, {"events": value})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    if name == "visit_list":
        assert "events" in response.context["filter"].form.errors


def test_the_filter_form_offers_events_once_as_a_checkbox(client):
    page = client.get(reverse("visit_list"), {"events": "once"}).content.decode()
    assert re.search(
        r'<input type="checkbox" name="events" value="once" id="id_events" checked>', page
    )
    assert '<label for="id_events">Count each event once</label>' in page


@pytest.mark.usefixtures("travels")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, None),
        ({"person": "christopher-warren-minor", "year": "1996"}, 13),
        ({"country": "KR", "person": "christopher-warren-minor"}, 3),
        ({"q": "Christopher South Korea"}, None),
    ],
)
def test_the_journey_list_filters_newest_first(client, query, expected):
    response = client.get(reverse("journey_list"), query)
    assert response.status_code == 200
    journeys = list(response.context["object_list"])
    dates = [journey.start_date for journey in journeys]
    assert dates == sorted(dates, reverse=True)
    if expected is None:
        assert journeys
    else:
        assert len(journeys) == expected
    assert all(journey.stop_count >= 2 for journey in journeys)


def test_a_missing_journey_is_a_404(client):
    assert client.get(reverse("journey_detail", args=["nowhere"])).status_code == 404


@pytest.mark.usefixtures("travels")
@pytest.mark.parametrize(("name", "queries"), [("journey_detail", 3), ("journey_list", 2)])
def test_journey_pages_make_a_fixed_number_of_queries(
    client, django_assert_num_queries, settings, name, queries
):
    settings.PAGE_CACHE = False  # the queries of rendering, not of a kept page
    url = (
        Journey.objects.get(slug=TOUR).get_absolute_url()
        if name == "journey_detail"
        else reverse(name)
    )
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
