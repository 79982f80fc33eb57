"""Every list with dated records sorts by its columns, through `sort`; the header of the column
it is sorted by says so (aria-sort) and links to the other direction."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from visits.models import Agreement, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    fr, uz = factories.country("FR"), factories.country("UZ")
    factories.meeting(
        title="Beta talks", place="Tashkent", country=uz, date=datetime.date(2020, 1, 2)
    )
    factories.meeting(
        title="Alpha summit",
        place="Paris",
        country=fr,
        date=datetime.date(2021, 1, 2),
        kind=Meeting.Kind.MULTILATERAL,
    )
    factories.meeting(title="Gamma, date unknown", place="Lyon", country=fr, date=None)
    factories.agreement(title="Zeta accord", signed_on=datetime.date(2019, 5, 1))
    factories.agreement(
        title="Eta treaty", signed_on=datetime.date(2022, 5, 1), kind=Agreement.Kind.TREATY
    )
    factories.agreement(title="Theta memo", signed_on=None)
    factories.visit("AZ", "UZ", datetime.date(2020, 1, 1), title="Zulu visit")
    factories.visit("UZ", "FR", datetime.date(2021, 1, 1), title="Alpha visit", kind="state")


def titles(client, name, sort=None):
    response = client.get(reverse(name), {"sort": sort} if sort else {})
    assert response.status_code == 200, sort
    return [record.title for record in response.context["object_list"]]


@pytest.mark.usefixtures("records")
def test_meetings_sort_by_date_title_kind_place_and_country(client):
    assert titles(client, "meeting_list") == ["Alpha summit", "Beta talks", "Gamma, date unknown"]
    assert titles(client, "meeting_list", "date") == [
        "Beta talks",
        "Alpha summit",
        "Gamma, date unknown",
    ], "without a date, last either way"
    assert titles(client, "meeting_list", "title")[0] == "Alpha summit"
    assert titles(client, "meeting_list", "-title")[0] == "Gamma, date unknown"
    assert titles(client, "meeting_list", "place") == [
        "Gamma, date unknown",
        "Alpha summit",
        "Beta talks",
    ]
    assert titles(client, "meeting_list", "-country")[0] == "Beta talks"
    assert titles(client, "meeting_list", "-kind")[0] == "Alpha summit"


@pytest.mark.usefixtures("records")
def test_agreements_sort_by_signature_title_and_kind(client):
    assert titles(client, "agreement_list") == ["Eta treaty", "Zeta accord", "Theta memo"]
    assert titles(client, "agreement_list", "date") == ["Zeta accord", "Eta treaty", "Theta memo"]
    assert titles(client, "agreement_list", "title") == ["Eta treaty", "Theta memo", "Zeta accord"]
    assert titles(client, "agreement_list", "-kind")[0] == "Eta treaty"


@pytest.mark.usefixtures("records")
def test_visits_sort_by_title_and_kind_too(client):
    assert titles(client, "visit_list", "title") == ["Alpha visit", "Zulu visit"]
    assert titles(client, "visit_list", "-title") == ["Zulu visit", "Alpha visit"]
    assert titles(client, "visit_list", "kind")[0] == "Alpha visit"


@pytest.mark.usefixtures("records")
def test_the_sorted_column_says_so_and_links_to_the_other_direction(client):
    page = client.get(reverse("meeting_list"), {"sort": "title"}).content.decode()
    assert (
        '<th scope="col" aria-sort="ascending"><a href="/meetings/?sort=-title">Meeting'
    ) in page
    assert '<th scope="col"><a href="/meetings/">Date</a></th>' in page, "newest first: the default"
    assert page.count("aria-sort=") == 1
    default = client.get(reverse("agreement_list")).content.decode()
    assert (
        '<th scope="col" aria-sort="descending"><a href="/agreements/?sort=date">Signed' in default
    )
    searched = client.get(reverse("visit_list"), {"q": "visit"}).content.decode()
    assert "aria-sort=" not in searched, "a search is ranked, by no column"
    assert 'href="/visits/?q=visit&amp;sort=-date">Dates' in searched


def test_an_unknown_order_is_a_400(client):
    for name in ("meeting_list", "agreement_list", "visit_list"):
        response = client.get(reverse(name), {"sort": "price"})
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
