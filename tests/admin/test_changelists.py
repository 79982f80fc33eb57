"""The admin's lists with thousands of rows: the country, person and body filters are
autocompletes (not a link per record), dates are a range, every filter's choice has a name,
and the number of queries does not grow with the rows."""

import datetime
import json
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from visits.models import Country, Delegation, MeetingParticipant, Signatory, Visit

pytestmark = pytest.mark.django_db

CHANGELISTS = ["visit", "meeting", "agreement", "person", "organization", "journey", "source"]


class Sidebar(HTMLParser):
    """The filters of a list as its sidebar shows them: {title: {"links": [their texts],
    "options": [the texts of the options of its selects], "selects": [their attributes],
    "inputs": [the attributes of its inputs], "errors": [its error messages]}}."""

    VOID = {"input", "link", "meta", "br", "img", "hr", "source", "wbr"}

    def __init__(self, body):
        super().__init__()
        self.depth = 0
        self.filters = {}
        self.current = None
        self.text = None
        self.feed(body)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if not self.depth:
            self.depth = int(attrs.get("id") == "changelist-filter")
            return
        if tag not in self.VOID:
            self.depth += 1
        if tag == "details":
            self.current = self.filters.setdefault(
                attrs["data-filter-title"],
                {"links": [], "options": [], "selects": [], "inputs": [], "errors": []},
            )
        elif self.current is None:
            return
        elif tag in ("a", "option") or "errornote" in attrs.get("class", ""):
            self.text, self.kind = [], {"a": "links", "option": "options"}.get(tag, "errors")
        elif tag == "select":
            self.current["selects"].append(attrs)
        elif tag == "input":
            self.current["inputs"].append(attrs)

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if self.text is not None and tag in ("a", "option", "p"):
            self.current[self.kind].append(" ".join("".join(self.text).split()))
            self.text = None
        if tag == "details":
            self.current = None
        if tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def sidebar(response):
    assert response.status_code == 200
    return Sidebar(response.content.decode()).filters


def changelist(model):
    return reverse(f"admin:visits_{model}_changelist")


def many_visits(count, countries=150, prefix="many"):
    """count visits between `countries` countries over 110 years, half of them from a
    dataset and half entered by hand, made in one statement."""
    lands = list(Country.objects.filter(code__regex=r"^[A-Z]{2}$").order_by("pk")[:countries])
    Visit.objects.bulk_create(
        Visit(
            slug=f"{prefix}-{number}",
            title=f"Official visit number {number} of a long-titled delegation of ministers",
            kind=Visit.Kind.OFFICIAL,
            guest_country=lands[number % len(lands)],
            host_country=lands[(number + 1 + number // len(lands)) % len(lands)],
            start_date=datetime.date(1916 + number % 110, 1 + number % 12, 1 + number % 28),
            dataset="hsg-travels" if number % 2 else "",
            record_id=f"{prefix}-{number}" if number % 2 else "",
        )
        for number in range(count)
    )
    return lands


def rows_of(response):
    return list(response.context["cl"].result_list)


def rows(response):
    return {record.slug for record in rows_of(response)}


def test_the_country_filter_of_5000_visits_is_an_autocomplete(admin_client):
    lands = many_visits(5000)
    response = admin_client.get(changelist("visit"))
    filters = sidebar(response)
    guest = filters["guest country"]
    assert guest["links"] == []  # not a link for each of the countries
    (select,) = guest["selects"]
    assert "admin-autocomplete" in select["class"].split()
    assert select["data-ajax--url"] == reverse("admin:autocomplete")
    assert (select["data-app-label"], select["data-model-name"]) == ("visits", "visit")
    assert select["data-field-name"] == "guest_country"
    # Without JavaScript, a plain select of the countries the visits come from.
    assert guest["options"][0] == "All"
    assert sorted(guest["options"][1:]) == sorted(land.name for land in lands)
    assert len(filters["host country"]["links"]) == 0
    # No year-by-year hierarchy: the start date is a range of two date inputs.
    assert b'class="xfull"' not in response.content
    assert response.context["cl"].date_hierarchy is None
    dates = filters["start date"]
    assert [field["name"] for field in dates["inputs"]] == [
        "start_date__gte",
        "start_date__lte",
    ]
    assert sum(len(found["links"]) for found in filters.values()) < 25


def test_the_autocomplete_answers_the_filters_search(admin_client):
    factories.visit(guest="AZ", host="UZ")
    filters = sidebar(admin_client.get(changelist("visit")))
    for title, term, expected in [
        ("guest country", "Azerb", "Azerbaijan"),
        ("head of delegation", "Kamr", "Kamran Aliyev"),
    ]:
        if title == "head of delegation":
            Delegation.objects.create(
                visit=factories.visit(guest="AZ", host="FR"),
                head=factories.person("Kamran Aliyev"),
            )
        (select,) = filters[title]["selects"]
        response = admin_client.get(
            select["data-ajax--url"],
            {
                "term": term,
                "app_label": select["data-app-label"],
                "model_name": select["data-model-name"],
                "field_name": select["data-field-name"],
            },
        )
        assert response.status_code == 200
        assert expected in [result["text"] for result in json.loads(response.content)["results"]]


def test_the_autocomplete_filters_and_keeps_the_other_parameters(admin_client):
    azerbaijan, france = factories.country("AZ"), factories.country("FR")
    kept = factories.visit(guest="AZ", host="UZ", kind=Visit.Kind.OFFICIAL)
    factories.visit(guest="FR", host="UZ", kind=Visit.Kind.OFFICIAL)
    factories.visit(guest="AZ", host="UZ", kind=Visit.Kind.WORKING)
    url = changelist("visit")
    response = admin_client.get(
        url, {"guest_country__id__exact": azerbaijan.pk, "kind__exact": "official", "q": "Visit"}
    )
    assert rows(response) == {kept.slug}
    filters = sidebar(response)
    hidden = {
        (field["name"], field["value"])
        for field in filters["guest country"]["inputs"]
        if field["type"] == "hidden"
    }
    assert hidden == {("kind__exact", "official"), ("q", "Visit")}
    host_hidden = {field["name"] for field in filters["host country"]["inputs"]}
    assert "guest_country__id__exact" in host_hidden
    assert france.name in filters["guest country"]["options"]


@pytest.mark.parametrize("value", ["abc", "999999999", "-1"])
def test_a_bad_autocomplete_value_is_named_not_a_server_error(admin_client, value):
    factories.visit()
    response = admin_client.get(changelist("visit"), {"guest_country__id__exact": value})
    assert response.status_code == 200
    assert sidebar(response)["guest country"]["errors"] == [
        "There is no such country; this filter is not applied."
    ]
    assert len(rows(response)) == 1


def test_past_the_limit_the_plain_select_holds_only_the_choice(admin_client, monkeypatch):
    monkeypatch.setattr("visits.admin_filters.PLAIN_SELECT_LIMIT", 2)
    for guest in ("AZ", "FR", "DE"):
        factories.visit(guest=guest, host="UZ")
    filters = sidebar(admin_client.get(changelist("visit")))
    assert filters["guest country"]["options"] == ["All"]
    assert "find it with the search box" in admin_client.get(changelist("visit")).content.decode()
    chosen = {"guest_country__id__exact": factories.country("FR").pk}
    filters = sidebar(admin_client.get(changelist("visit"), chosen))
    assert filters["guest country"]["options"] == ["All", "France"]
    assert filters["host country"]["options"] == ["All", "Uzbekistan"]  # one in use


def test_people_and_bodies_are_autocompletes_on_meetings_and_agreements(admin_client):
    factories.many_records(count=3)
    for model, titles in [
        ("visit", ["head of delegation", "delegation's body"]),
        ("meeting", ["country", "body", "participant"]),
        ("agreement", ["party", "party body", "signatory"]),
        ("person", ["country"]),
        ("organization", ["country"]),
        ("journey", ["traveller"]),
        ("source", ["publisher"]),
    ]:
        filters = sidebar(admin_client.get(changelist(model)))
        for title in titles:
            assert filters[title]["links"] == [], (model, title)
            (select,) = filters[title]["selects"]
            assert "admin-autocomplete" in select["class"], (model, title)


def test_the_participant_signatory_and_party_filters_filter(admin_client):
    factories.many_records(count=3)
    participant = MeetingParticipant.objects.order_by("pk").first()
    response = admin_client.get(
        changelist("meeting"), {"participants__person__id__exact": participant.person_id}
    )
    assert list(response.context["cl"].result_list) == [participant.meeting]
    signatory = Signatory.objects.order_by("-pk").first()
    response = admin_client.get(
        changelist("agreement"), {"signatories__person__id__exact": signatory.person_id}
    )
    assert list(response.context["cl"].result_list) == [signatory.agreement]
    france = factories.country("FR")  # a host of one of the three
    response = admin_client.get(changelist("agreement"), {"party_countries__id__exact": france.pk})
    assert [deal.party_countries.filter(pk=france.pk).exists() for deal in rows_of(response)] == [
        True
    ]


def test_the_date_range_filters(admin_client):
    early = factories.visit(start=datetime.date(2001, 5, 1))
    middle = factories.visit(start=datetime.date(2010, 5, 1))
    late = factories.visit(start=datetime.date(2020, 5, 1))
    url = changelist("visit")
    between = {"start_date__gte": "2005-01-01", "start_date__lte": "2015-12-31"}
    assert rows(admin_client.get(url, between)) == {middle.slug}
    assert rows(admin_client.get(url, {"start_date__gte": "2010-05-01"})) == {
        middle.slug,
        late.slug,
    }
    assert rows(admin_client.get(url, {"start_date__lte": "2010-05-01"})) == {
        early.slug,
        middle.slug,
    }
    # A year or a month: from its first day, to its last.
    assert rows(admin_client.get(url, {"start_date__gte": "2010", "start_date__lte": "2010"})) == {
        middle.slug
    }
    assert rows(
        admin_client.get(url, {"start_date__gte": "2001-05", "start_date__lte": "2010-05"})
    ) == {
        early.slug,
        middle.slug,
    }
    filters = sidebar(admin_client.get(url, between))
    values = {field["name"]: field.get("value") for field in filters["start date"]["inputs"]}
    assert values == between


def test_a_bad_date_is_named_and_not_applied(admin_client):
    factories.visit(start=datetime.date(2001, 5, 1))
    factories.visit(start=datetime.date(2020, 5, 1))
    response = admin_client.get(
        changelist("visit"), {"start_date__gte": "nope", "start_date__lte": "2010-01-01"}
    )
    assert response.status_code == 200
    assert sidebar(response)["start date"]["errors"] == [
        "Enter a date as YYYY-MM-DD, YYYY-MM or YYYY (“nope” is not); it is not applied."
    ]
    assert len(rows(response)) == 1  # the good end of the range is applied


def test_the_dataset_filter_names_every_choice(admin_client):
    by_hand = factories.visit()
    imported = factories.visit(dataset="hsg-travels", record_id="1")
    url = changelist("visit")
    assert sidebar(admin_client.get(url))["dataset"]["links"] == [
        "All",
        "entered by hand",
        "hsg-travels",
    ]
    assert rows(admin_client.get(url, {"dataset": "-"})) == {by_hand.slug}
    assert rows(admin_client.get(url, {"dataset": "hsg-travels"})) == {imported.slug}


@pytest.mark.parametrize("model", CHANGELISTS)
def test_no_filter_has_an_unnamed_choice(admin_client, model):
    records = factories.many_records(count=3)
    records[0].dataset = "hsg-travels"
    records[0].save()
    filters = sidebar(admin_client.get(changelist(model)))
    assert filters
    for title, found in filters.items():
        for text in found["links"] + found["options"]:
            assert text.strip() not in ("", "-", "—"), (model, title, found)


def test_the_rows_show_dates_country_codes_and_whole_titles(admin_client):
    visit = factories.visit(
        guest="AZ",
        host="UZ",
        start=datetime.date(2025, 9, 24),
        end_date=datetime.date(2025, 9, 26),
        title="Official visit of the Prosecutor General of Azerbaijan to Uzbekistan " * 3,
    )
    response = admin_client.get(changelist("visit"))
    body = response.content.decode()
    assert '<time datetime="2025-09-24">2025-09-24</time>' in body
    assert '<time datetime="2025-09-26">2025-09-26</time>' in body
    assert '<abbr title="Azerbaijan">AZ</abbr>' in body
    title = visit.title
    assert f'<span class="one-line" title="{title}">{title}</span>' in body
    headers = [str(header["text"]) for header in response.context["result_headers"]]
    assert headers[1:4] == ["title", "start", "end"]  # after the selection box


def test_the_number_of_queries_does_not_grow_with_the_rows(
    admin_client, django_assert_max_num_queries
):
    many_visits(3, prefix="few")
    url = changelist("visit")
    admin_client.get(url)  # the session and the content types, once
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    many_visits(5000)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(url)
    assert len(response.context["cl"].result_list) == 100
    # One more with a country chosen: the country, for the filter's select.
    chosen = {"guest_country__id__exact": Visit.objects.first().guest_country_id}
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        admin_client.get(url, chosen)


def test_the_admin_has_the_sites_icon_and_look(admin_client, client):
    body = admin_client.get(changelist("visit")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in body
    assert '<link rel="stylesheet" href="/static/css/admin-site.css">' in body
    assert finders.find("img/favicon.svg") and finders.find("css/admin-site.css")
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
