"""Pages that end: a country's page sums up (the main partners, the latest visits each way,
the people and organizations) and links to all of each; record pages say how many rows a cut
section holds and show no empty sections; a visit's page shows its journey, its head's
previous and next visits and the latest visits between the same countries."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from visits.models import Country, Journey, Person
from visits.views.details import DETAIL_ROWS, SUMMARY_ROWS

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_country():
    """Azerbaijan with 15 partners, 15 visits each way, 12 people and 12 organizations."""
    partners = list(Country.objects.exclude(code="AZ").order_by("code")[:15])
    for index, partner in enumerate(partners):
        day = datetime.date(2000 + index, 1, 1)
        factories.visit("AZ", partner.code, day, title=f"Made {index}")
        factories.visit(partner.code, "AZ", day, title=f"Received {index}")
    azerbaijan = factories.country("AZ")
    for index in range(12):
        factories.person(f"Azerbaijani {index}", country=azerbaijan)
        factories.organization(f"Azerbaijani body {index}", country=azerbaijan)
    return azerbaijan


def test_the_country_page_shows_ten_of_each_and_links_to_all(client, busy_country):
    page = client.get(reverse("country_detail", args=["az"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert len(page.context["partners"].rows) == SUMMARY_ROWS
    assert page.context["partners"].total == 15
    assert len(page.context["visits_made"]) == len(page.context["visits_received"]) == 10
    assert 'href="/countries/az/partners/">All 15 partner countries' in html
    assert 'href="/visits/?guest=AZ">All 15 visits made' in html
    assert 'href="/visits/?host=AZ">All 15 visits received' in html
    assert 'href="/people/?country=AZ">All 12 people' in html
    assert 'href="/organizations/?country=AZ">All 12 organizations' in html
    assert "Made 14" in html and "Made 4" not in html, "the latest ten, newest first"


def test_a_small_country_page_has_no_all_links(client):
    factories.visit("AZ", "UZ", datetime.date(2020, 1, 1))
    html = client.get(reverse("country_detail", args=["az"])).content.decode()
    assert "All " not in html
    assert "Partner countries" in html and "Latest visits made" in html
    assert "Latest visits received" not in html, "no empty section"


def test_the_partner_page_lists_them_all(client, busy_country):
    page = client.get(reverse("country_partners", args=["az"]))
    assert page.status_code == 200
    assert len(page.context["partners"]) == 15
    assert client.get("/countries/zz/partners/").status_code == 404


def test_the_copy_reads_well(client):
    factories.visit("AZ", "UZ", datetime.date(2020, 1, 1))
    html = client.get(reverse("country_detail", args=["az"])).content.decode()
    assert "(current (ISO" not in html
    assert "<dt>Status</dt><dd>Current (ISO 3166-1)</dd>" in html
    assert "Visits to it" not in html and "Visits from it" not in html
    assert "Visits by Azerbaijan" in html and "Visits to Azerbaijan" in html


def test_a_person_page_says_how_many_and_links_to_all(client):
    minister = factories.person("Minister")
    for index in range(DETAIL_ROWS + 3):
        factories.visit(
            "AZ", "UZ", datetime.date(1970, 1, 1) + datetime.timedelta(days=index), head=minister
        )
    page = client.get(minister.get_absolute_url())
    assert len(page.context["led"]) == DETAIL_ROWS and page.context["led"].total == 53
    html = page.content.decode()
    assert f"{DETAIL_ROWS} of 53 delegations led shown here." in html
    assert f'href="/visits/?person={minister.slug}">All the visits they took part in' in html


def test_an_organization_page_links_to_all_its_agreements(client):
    body = factories.organization("Cabinet")
    for _ in range(DETAIL_ROWS + 1):
        factories.agreement(signed_on=datetime.date(2020, 1, 1)).party_organizations.add(body)
    html = client.get(body.get_absolute_url()).content.decode()
    assert f'href="/agreements/?organization={body.slug}">All {DETAIL_ROWS + 1} agreements' in html


def test_a_visit_page_shows_no_empty_sections(client):
    visit = factories.sourced_visit("AZ", "UZ", datetime.date(2020, 1, 1))
    html = client.get(visit.get_absolute_url()).content.decode()
    assert "No meetings recorded" not in html and "No agreements recorded" not in html
    assert 'id="meetings-heading"' not in html and 'id="agreements-heading"' not in html
    assert 'id="delegation-heading"' not in html


def test_a_visit_page_shows_what_surrounds_it(client):
    head = factories.person("Secretary")
    journey = Journey.objects.create(
        slug="tour",
        title="Tour",
        traveller=head,
        start_date=datetime.date(2020, 3, 1),
        end_date=datetime.date(2020, 3, 3),
    )
    before = factories.visit("US", "FR", datetime.date(2019, 1, 1), head=head, title="Before")
    first = factories.visit(
        "US", "UZ", datetime.date(2020, 3, 1), head=head, journey=journey, title="First stop"
    )
    second = factories.visit(
        "US", "AZ", datetime.date(2020, 3, 2), head=head, journey=journey, title="Second stop"
    )
    after = factories.visit("US", "DE", datetime.date(2021, 1, 1), head=head, title="After")
    for year in range(2000, 2008):
        factories.visit("UZ", "US", datetime.date(year, 1, 1), title=f"Uzbek visit {year}")

    page = client.get(first.get_absolute_url())
    html = page.content.decode()
    assert page.context["previous_led"] == before and page.context["next_led"] == second
    assert page.context["next_led"] != after
    assert list(page.context["stops"]) == [first, second]
    assert f'<a href="{second.get_absolute_url()}">Azerbaijan' in html
    between = page.context["between"]
    assert len(between) == 5 and between.total == 8
    assert next(visit.title for visit in between) == "Uzbek visit 2007"
    assert 'href="/countries/us/uz/">All 9 visits between the two countries' in html
    assert Person.objects.count() == 1
