"""The filter form's inputs: countries by name or code, one or several; people and
organizations by name or slug; dates as precise as known; errors summarized and linked."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def titles(response):
    return sorted(visit.title for visit in response.context["object_list"])


@pytest.fixture
def trips():
    """AZ→UZ 20–25 Sept 2025 led by Kamran Aliyev for the Ministry of Justice; UZ→FR on
    1 March 2024; FR→AZ on 31 December 2023."""
    leader = named(factories.person("Kamran Aliyev"), "kamran-aliyev")
    ministry = named(factories.organization("Ministry of Justice"), "ministry-of-justice")
    september = {"start": datetime.date(2025, 9, 20), "end_date": datetime.date(2025, 9, 25)}
    tashkent = factories.visit("AZ", "UZ", title="Prosecutor in Tashkent", head=leader, **september)
    tashkent.delegation.organization = ministry
    tashkent.delegation.save()
    factories.visit("UZ", "FR", datetime.date(2024, 3, 1), title="State visit")
    factories.visit("FR", "AZ", datetime.date(2023, 12, 31), title="Minister in Baku")
    return {"leader": leader, "ministry": ministry}


def named(record, slug):
    record.slug = slug
    record.save()
    return record


def visits(client, **query):
    return client.get(reverse("visit_list"), query)


# Countries ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("trips")
@pytest.mark.parametrize("value", ["UZ", "uz", "Uzbekistan", "uzbekistan", " UZBEKISTAN "])
def test_a_country_by_its_code_or_its_name_in_any_case(client, value):
    response = visits(client, country=value)
    assert response.status_code == 200
    assert titles(response) == ["Prosecutor in Tashkent", "State visit"]


@pytest.mark.usefixtures("trips")
def test_several_countries_by_code_and_name_mixed(client):
    response = visits(client, guest=["AZ", "Uzbekistan"])
    assert titles(response) == ["Prosecutor in Tashkent", "State visit"]
    active = [(f.label, f.value) for f in response.context["active_filters"]]
    assert active == [("Guest country", "Azerbaijan"), ("Guest country", "Uzbekistan")]


@pytest.mark.usefixtures("trips")
def test_without_javascript_one_input_per_country_chosen_and_one_more(client):
    page = visits(client, country=["AZ", "UZ"]).content.decode()
    boxes = re.findall(r'<input type="text" name="country" id="([^"]+)"(?: value="([^"]*)")?', page)
    assert boxes == [("id_country", "AZ"), ("id_country_2", "UZ"), ("id_country_3", "")]
    assert '<label class="visually-hidden" for="id_country_2">Country (2)</label>' in page


@pytest.mark.usefixtures("trips")
def test_one_country_datalist_per_page_shared_by_the_three_inputs(client):
    page = visits(client).content.decode()
    assert page.count("<datalist") == 3  # countries, organizations, people
    assert page.count('<datalist id="country-names">') == 1
    assert page.count('list="country-names"') == 3
    assert '<option value="Uzbekistan" data-value="UZ">UZ · 2 visits</option>' in page
    assert '<select name="country"' not in page


@pytest.mark.usefixtures("trips")
@pytest.mark.parametrize("value", ["Narnia", "ZZ", "<script>"])
def test_an_unknown_country_is_a_400_naming_it(client, value):
    response = visits(client, country=["AZ", value])
    assert response.status_code == 400
    page = response.content.decode()
    assert "Unknown country: " in page
    assert "<script>" not in page.split("</head>")[1].replace("<script src", "")
    # The summary links to the input that holds it, which is marked invalid.
    assert '<a href="#id_country_2">Country: Unknown country:' in page
    assert re.search(r'id="id_country_2"[^>]*aria-invalid="true"', page)
    assert not re.search(r'id="id_country"[^>]*aria-invalid', page)


# People and organizations -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["Kamran Aliyev", "kamran aliyev", "kamran-aliyev"])
def test_a_person_by_name_or_slug(client, trips, value):
    response = visits(client, person=value)
    assert response.status_code == 200
    assert titles(response) == ["Prosecutor in Tashkent"]


@pytest.mark.parametrize("value", ["Ministry of Justice", "ministry-of-justice"])
def test_an_organization_by_name_or_slug(client, trips, value):
    response = visits(client, organization=value)
    assert response.status_code == 200
    assert titles(response) == ["Prosecutor in Tashkent"]


def test_the_person_and_organization_inputs_suggest_those_with_records(client, trips):
    page = visits(client).content.decode()
    assert re.search(r'<input type="text" name="person"[^>]*list="person-names"', page)
    assert '<option value="Kamran Aliyev" data-value="kamran-aliyev">' in page
    assert '<option value="Ministry of Justice" data-value="ministry-of-justice">' in page


def test_two_people_of_one_name_are_offered_by_slug_and_asked_apart(client, trips):
    named(factories.person("Kamran Aliyev"), "kamran-aliyev-2")
    page = visits(client).content.decode()
    assert '<option value="kamran-aliyev-2" data-value="kamran-aliyev-2">Kamran Aliyev' in page
    response = visits(client, person="Kamran Aliyev")
    assert response.status_code == 400
    assert "Several have the name Kamran Aliyev" in response.content.decode()
    assert titles(visits(client, person="kamran-aliyev")) == ["Prosecutor in Tashkent"]


@pytest.mark.usefixtures("trips")
def test_an_unknown_person_is_a_400_at_its_input(client):
    response = visits(client, person="Nobody Known")
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#id_person">Person: No person has that name' in page


# Dates ----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("trips")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"date_after": "2025"}, ["Prosecutor in Tashkent"]),
        ({"date_after": "2024"}, ["Prosecutor in Tashkent", "State visit"]),
        ({"date_before": "2023"}, ["Minister in Baku"]),
        ({"date_before": "2024-02"}, ["Minister in Baku"]),
        ({"date_before": "2024-03"}, ["Minister in Baku", "State visit"]),
        ({"date_after": "2024-03", "date_before": "2024-03"}, ["State visit"]),
        ({"date_after": "2025-09-24"}, ["Prosecutor in Tashkent"]),
        ({"date_after": "2025-9-26"}, []),
        ({"year": "2024"}, ["State visit"]),
    ],
)
def test_dates_as_a_year_a_month_or_a_day(client, query, expected):
    response = visits(client, **query)
    assert response.status_code == 200
    assert titles(response) == sorted(expected)


@pytest.mark.usefixtures("trips")
def test_a_month_gives_the_same_result_as_its_first_day_and_stays_as_typed(client):
    month = visits(client, date_after="2025-09")
    day = visits(client, date_after="2025-09-01")
    assert titles(month) == titles(day) == ["Prosecutor in Tashkent"]
    page = month.content.decode()
    assert re.search(r'name="date_after" value="2025-09"', page)
    after = re.search(r'<input type="text" name="date_after"[^>]*>', page).group(0)
    assert 'aria-describedby="id_date_helptext"' in after
    assert '<p class="hint" id="id_date_helptext">e.g. 2025, 2025-09 or 2025-09-24</p>' in page


@pytest.mark.usefixtures("trips")
@pytest.mark.parametrize(
    ("query", "link"),
    [
        (
            {"date_after": "24/09/2025"},
            '<a href="#id_date_after">Date from: Enter a date as 2025, 2025-09 or 2025-09-24.</a>',
        ),
        (
            {"date_before": "21994"},
            '<a href="#id_date_before">Date to: Enter a date as 2025, 2025-09 or 2025-09-24.</a>',
        ),
        (
            {"date_before": "2025-02-30"},
            '<a href="#id_date_before">Date to: Enter a date as 2025, 2025-09 or 2025-09-24.</a>',
        ),
        (
            {"date_after": "2025-13"},
            '<a href="#id_date_after">Date from: Enter a date as 2025, 2025-09 or 2025-09-24.</a>',
        ),
        (
            {"date_after": "2025-10", "date_before": "2025-09"},
            '<a href="#id_date_before">Date to: The end of the range is before its start.</a>',
        ),
        ({"year": "21994"}, '<a href="#id_year">Year: Enter a year such as 2025.</a>'),
        ({"year": "twenty"}, '<a href="#id_year">Year: Enter a year such as 2025.</a>'),
    ],
)
def test_a_bad_date_is_a_400_with_a_linked_summary(client, query, link):
    response = visits(client, **query)
    assert response.status_code == 400
    page = response.content.decode()
    summary = ErrorSummary.of(page)
    assert summary.role == "alert"
    assert summary.heading == "There is a problem"
    assert link in page
    target = re.search(r'href="#([^"]+)"', link).group(1)
    field = re.search(rf'<input [^>]*id="{target}"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field
    assert "_error" in re.search(r'aria-describedby="([^"]*)"', field).group(1)


@pytest.mark.usefixtures("trips")
def test_only_the_end_in_error_is_marked_invalid(client):
    page = visits(client, date_after="2025", date_before="someday").content.decode()
    after = re.search(r'<input [^>]*id="id_date_after"[^>]*>', page).group(0)
    before = re.search(r'<input [^>]*id="id_date_before"[^>]*>', page).group(0)
    assert "aria-invalid" not in after
    assert 'aria-invalid="true"' in before


@pytest.mark.usefixtures("trips")
def test_every_error_is_in_the_summary_and_a_page_error_is_not_a_link(client):
    response = visits(client, country="Atlantis", year="x", page="two")
    assert response.status_code == 400
    summary = ErrorSummary.of(response.content.decode())
    assert summary.items == [
        (
            "#id_country",
            "Country: Unknown country: Atlantis. Enter a country's name or code, such as "
            "Uzbekistan or UZ.",
        ),
        ("#id_year", "Year: Enter a year such as 2025."),
        (None, "Page: The page must be a whole number."),
    ]


def test_in_force_on_takes_a_day_as_text(client):
    response = client.get(reverse("agreement_list"), {"in_force_on": "2025-09-24"})
    assert response.status_code == 200
    response = client.get(reverse("agreement_list"), {"in_force_on": "24.09.2025"})
    assert response.status_code == 400
    assert '<a href="#id_in_force_on">In force on: Enter a date as 2025-09-24.</a>' in (
        response.content.decode()
    )


class ErrorSummary(HTMLParser):
    """The error summary's role, heading and items (link target, text)."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.role = self.heading = None
        self.items = []
        self.in_heading = False

    @classmethod
    def of(cls, page):
        parser = cls()
        parser.feed(page)
        return parser

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and "error-summary" in (attrs.get("class") or ""):
            self.depth = 1
            self.role = attrs.get("role")
        elif self.depth and tag == "div":
            self.depth += 1
        elif self.depth and tag == "h2":
            self.in_heading = True
        elif self.depth and tag == "li":
            self.items.append([None, ""])
        elif self.depth and tag == "a" and self.items:
            self.items[-1][0] = attrs.get("href")

    def handle_endtag(self, tag):
        if self.depth and tag == "div":
            self.depth -= 1
            if not self.depth:
                self.items = [(href, text.strip()) for href, text in self.items]
        elif tag == "h2":
            self.in_heading = False

    def handle_data(self, data):
        if self.in_heading:
            self.heading = data.strip()
        elif self.depth and self.items:
            self.items[-1][1] += data


@pytest.mark.parametrize("name", ["person", "organization"])
@pytest.mark.parametrize("path", ["/visits/", "/meetings/", "/agreements/", "/visits/feed/"])
def test_a_nul_in_a_person_or_organization_is_a_400(client, article, path, name):
    """PostgreSQL refuses a NUL in a query: it is no name or slug, said before any query."""
    response = client.get(path, {name: "kamran\x00aliyev"})
    assert response.status_code == 400
