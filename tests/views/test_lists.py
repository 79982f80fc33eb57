"""The lists: filters in the address, honest errors, pages and explanations."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from visits.models import Visit

pytestmark = pytest.mark.django_db


def titles(response):
    return [visit.title for visit in response.context["object_list"]]


@pytest.fixture
def trips():
    """Three visits: AZ→UZ 20–25 Sept 2025, UZ→FR in 2024 (kind state), FR→AZ with no end."""
    leader = factories.person("Kamran Aliyev")
    return {
        "az-uz": factories.visit(
            "AZ",
            "UZ",
            datetime.date(2025, 9, 20),
            end_date=datetime.date(2025, 9, 25),
            title="Prosecutor in Tashkent",
            head=leader,
        ),
        "uz-fr": factories.visit(
            "UZ", "FR", datetime.date(2024, 3, 1), kind=Visit.Kind.STATE, title="State visit"
        ),
        "fr-az": factories.visit(
            "FR", "AZ", datetime.date(2023, 5, 5), title="Minister in Baku", summary="energy talks"
        ),
    }


@pytest.mark.usefixtures("trips")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Prosecutor in Tashkent", "State visit", "Minister in Baku"]),
        ({"country": "az"}, ["Prosecutor in Tashkent", "Minister in Baku"]),
        ({"country": ["az", "FR"]}, ["Prosecutor in Tashkent", "State visit", "Minister in Baku"]),
        ({"guest": "AZ"}, ["Prosecutor in Tashkent"]),
        ({"host": "az"}, ["Minister in Baku"]),
        ({"guest": ["az", "uz"]}, ["Prosecutor in Tashkent", "State visit"]),
        ({"guest": "AZ", "host": "FR"}, []),
        # A visit from the 20th to the 25th overlaps a range starting on the 22nd.
        ({"date_after": "2025-09-22"}, ["Prosecutor in Tashkent"]),
        (
            {"date_before": "2025-09-20"},
            ["Prosecutor in Tashkent", "State visit", "Minister in Baku"],
        ),
        ({"date_before": "2025-09-19"}, ["State visit", "Minister in Baku"]),
        ({"date_after": "2025-09-26"}, []),
        ({"date_after": "2023-05-05", "date_before": "2023-05-05"}, ["Minister in Baku"]),
        ({"year": "2024"}, ["State visit"]),
        ({"kind": "state"}, ["State visit"]),
        ({"q": "tashkent"}, ["Prosecutor in Tashkent"]),
        ({"q": "aliyev prosecutor"}, ["Prosecutor in Tashkent"]),
        ({"q": "energy baku"}, ["Minister in Baku"]),
        ({"q": "energy tashkent"}, []),
        ({"q": "Uzbekistan"}, ["Prosecutor in Tashkent", "State visit"]),
        ({"sort": "date"}, ["Minister in Baku", "State visit", "Prosecutor in Tashkent"]),
        ({"sort": "guest"}, ["Prosecutor in Tashkent", "Minister in Baku", "State visit"]),
        ({"sort": "host"}, ["Minister in Baku", "State visit", "Prosecutor in Tashkent"]),
    ],
)
def test_visit_filters(client, query, expected):
    response = client.get(reverse("visit_list"), query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_person_and_organization_filters(client, trips):
    leader = trips["az-uz"].delegation.head
    response = client.get(reverse("visit_list"), {"person": leader.slug})
    assert titles(response) == ["Prosecutor in Tashkent"]
    ministry = factories.organization("Ministry of Justice")
    trips["uz-fr"].delegation = None
    from visits.models import Delegation

    Delegation.objects.create(visit=trips["uz-fr"], organization=ministry)
    response = client.get(reverse("visit_list"), {"organization": ministry.slug})
    assert titles(response) == ["State visit"]
    assert "Organization: Ministry of Justice" in response.content.decode()


@pytest.mark.usefixtures("trips")
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"country": "ZZ"}, "country", "Unknown country: ZZ"),
        ({"guest": "<script>"}, "guest", "Unknown country: "),
        # date_after and date_before are the two ends of one field, the period "date".
        ({"date_after": "24/09/2025"}, "date", "Enter a date as 2025, 2025-09 or 2025-09-24."),
        ({"date_before": "2025-02-30"}, "date", "Enter a date as 2025, 2025-09 or 2025-09-24."),
        (
            {"date_after": "2025-10-01", "date_before": "2025-09-01"},
            "date",
            "The end of the range is before its start.",
        ),
        ({"page": "two"}, "page", "The page must be a whole number."),
        ({"page": "0"}, "page", "The page must be 1 or more."),
        ({"year": "twenty"}, "year", "Enter a year such as 2025."),
        ({"kind": "secret"}, "kind", "Select a valid choice."),
        ({"sort": "price"}, "sort", "Select a valid choice."),
        ({"person": "nobody"}, "person", "No person has that name: choose one from the list."),
    ],
)
def test_bad_values_give_the_page_back_with_a_message_and_400(client, query, field, message):
    response = client.get(reverse("visit_list"), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    errors = response.context["filter"].form.errors
    assert field in errors
    assert any(message in error for error in errors[field])
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()


def test_pages_of_fifty_keep_the_filters_and_past_the_end_gives_the_last(client):
    factories.many_records(count=55, hosts=("UZ",))
    first = client.get(reverse("visit_list"), {"host": "uz", "sort": "date"})
    assert len(first.context["object_list"]) == 50
    assert first.context["paginator"].count == 55
    page = first.content.decode()
    assert 'href="/visits/?host=uz&amp;sort=date&amp;page=2"' in page
    second = client.get(reverse("visit_list"), {"host": "uz", "sort": "date", "page": "2"})
    assert len(second.context["object_list"]) == 5
    beyond = client.get(reverse("visit_list"), {"host": "uz", "sort": "date", "page": "99"})
    assert beyond.status_code == 200
    assert beyond.context["page_obj"].number == 2
    assert titles(beyond) == titles(second)


def test_count_and_removable_active_filters(client, trips):
    response = client.get(reverse("visit_list"), {"country": ["AZ", "FR"], "kind": "state"})
    page = response.content.decode()
    assert "<strong>1</strong> visit matches" in page
    active = {(f.label, f.value): f.remove_query for f in response.context["active_filters"]}
    assert active == {
        ("Country", "Azerbaijan"): "country=FR&kind=state",
        ("Country", "France"): "country=AZ&kind=state",
        ("Kind", "state visit"): "country=AZ&country=FR",
    }
    assert 'href="/visits/?country=FR&amp;kind=state"' in page


def test_empty_result_says_which_filters_caused_it(client, trips):
    response = client.get(reverse("visit_list"), {"guest": "AZ", "year": "2024"})
    assert response.status_code == 200
    assert response.context["paginator"].count == 0
    counts = {f.label: f.count_without for f in response.context["active_filters"]}
    assert counts == {"Guest country": 1, "Year": 1}
    page = response.content.decode()
    assert "No visits match all these filters together" in page
    assert "without <strong>Year: 2024</strong>, 1 visit" in page


def test_country_inputs_suggest_only_countries_with_visits(client, trips):
    page = client.get(reverse("visit_list")).content.decode()
    assert '<option value="Uzbekistan" data-value="UZ">UZ · 2 visits</option>' in page
    assert 'data-value="JP"' not in page
    response = client.get(reverse("visit_list"), {"country": "jp"})
    assert response.status_code == 200, "a country without visits is still a valid filter"
    assert 'name="country" id="id_country" value="jp"' in response.content.decode()


def test_country_choices_follow_new_records(client, trips):
    client.get(reverse("visit_list"))
    factories.visit("JP", "AZ")
    page = client.get(reverse("visit_list")).content.decode()
    assert '<option value="Japan" data-value="JP">JP · 1 visit</option>' in page


def test_meeting_list_filters(client):
    factories.many_records(count=6, hosts=("UZ", "FR"))
    response = client.get(reverse("meeting_list"), {"country": "fr"})
    assert response.status_code == 200
    assert response.context["paginator"].count == 3
    response = client.get(reverse("meeting_list"), {"country": "az"})
    assert response.context["paginator"].count == 6, "participants from Azerbaijan"
    response = client.get(
        reverse("meeting_list"), {"date_after": "2003-01-01", "kind": "bilateral"}
    )
    assert response.context["paginator"].count == 3
    assert client.get(reverse("meeting_list"), {"date_after": "x"}).status_code == 400


def test_agreement_list_filters(client):
    factories.many_records(count=4, hosts=("UZ", "FR"))
    factories.agreement(
        title="Programme 2026–2027",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2027, 12, 31),
    )
    response = client.get(reverse("agreement_list"), {"country": "uz"})
    assert response.context["paginator"].count == 2

    def in_force(day):
        response = client.get(reverse("agreement_list"), {"in_force_on": day})
        return {a.title for a in response.context["object_list"]}

    assert "Programme 2026–2027" in in_force("2026-06-01")
    assert "Programme 2026–2027" not in in_force("2025-06-01")
    assert "Programme 2026–2027" not in in_force("2028-01-01")
    assert len(in_force("1999-12-31")) == 0, "none was signed yet"
    assert len(in_force("2030-01-01")) == 4, "signed, with no end of validity"
    response = client.get(reverse("agreement_list"), {"date_before": "2001-12-31"})
    assert response.context["paginator"].count == 2


def test_countries_list_shows_counts_and_only_countries_with_data(client, trips):
    response = client.get(reverse("country_list"))
    rows = {
        c.code: (c.visits_made_count, c.visits_received_count)
        for c in response.context["object_list"]
    }
    assert rows == {"AZ": (1, 1), "FR": (1, 1), "UZ": (1, 1)}
    everything = client.get(reverse("country_list"), {"all": "on"})
    assert everything.context["paginator"].count > 280
    former = client.get(
        reverse("country_list"), {"all": "on", "status": "former", "q": "union soviet"}
    )
    assert [c.code for c in former.context["object_list"]] == ["SUHH"]


def test_organization_and_people_lists(client):
    factories.many_records(count=2)
    response = client.get(reverse("organization_list"), {"q": "foreign"})
    assert [o.name for o in response.context["object_list"]] == ["Ministry of Foreign Affairs"]
    response = client.get(reverse("person_list"), {"country": "az", "q": "minister"})
    assert response.context["paginator"].count == 2
    assert client.get(reverse("person_list"), {"country": "??"}).status_code == 400


def test_counts_follow_a_new_delegation_member(client, trips):
    from visits.models import DelegationMember

    adviser = factories.person("Adviser Example")
    response = client.get(reverse("visit_list"), {"person": adviser.slug})
    assert response.context["paginator"].count == 0
    DelegationMember.objects.create(delegation=trips["az-uz"].delegation, person=adviser)
    response = client.get(reverse("visit_list"), {"person": adviser.slug})
    assert response.context["paginator"].count == 1
    assert titles(response) == ["Prosecutor in Tashkent"]
