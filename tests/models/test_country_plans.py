"""Issue 14: a country's meetings and agreements, read by one of two plans on PostgreSQL.

A country in many records has its list walked in order, each record checked as it comes (an
EXISTS with OFFSET 0, so that PostgreSQL does not hash every record of the country first); a
country in few has their keys collected once per data version and read as one array. Both plans
must give the same records in the same order, and counts and exports (which read every row)
keep PostgreSQL's hashed set. FEW is made small here so that a handful of records is "many"."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from visits.models import Agreement, Meeting, MeetingParticipant, base

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plans are PostgreSQL's"
)


@pytest.fixture
def records():
    """France in meetings held there, in meetings a French person took part in, as a party to
    agreements itself and through a French ministry; other countries' records between them."""
    france, germany = factories.country("FR"), factories.country("DE")
    french = factories.person("Jean Dupont", country=france)
    german = factories.person("Hans Müller", country=germany)
    ministry = factories.organization("Ministère des Affaires étrangères", country=france)
    day = datetime.date(2020, 1, 1)
    for number in range(12):
        held_in = france if number % 3 == 0 else germany
        meeting = factories.meeting(date=day + datetime.timedelta(days=number), country=held_in)
        MeetingParticipant.objects.create(
            meeting=meeting, person=french if number % 4 == 1 else german
        )
        agreement = factories.agreement(signed_on=day + datetime.timedelta(days=number))
        if number % 3 == 0:
            agreement.party_countries.add(france)
        elif number % 4 == 1:
            agreement.party_organizations.add(ministry)
        else:
            agreement.party_countries.add(germany)
    return france


def expected_meetings(france):
    return [
        meeting
        for meeting in Meeting.objects.all()
        if meeting.country == france
        or any(p.person.country == france for p in meeting.participants.all())
    ]


def expected_agreements(france):
    return [
        agreement
        for agreement in Agreement.objects.all()
        if france in agreement.party_countries.all()
        or any(o.country == france for o in agreement.party_organizations.all())
    ]


@pytest.mark.parametrize("few", [3, 10_000], ids=["many", "few"])
def test_both_plans_give_the_same_records_in_the_list_order(records, monkeypatch, few):
    monkeypatch.setattr(base, "FEW", few)
    meetings = expected_meetings(records)
    agreements = expected_agreements(records)
    assert len(meetings) == 6 and len(agreements) == 6
    assert list(Meeting.objects.involving(records)[:4]) == meetings[:4]
    assert list(Meeting.objects.involving(records)[4:10]) == meetings[4:]
    assert Meeting.objects.involving(records).count() == 6
    assert list(Agreement.objects.with_party(records)[:4]) == agreements[:4]
    assert list(Agreement.objects.with_party(records)[2:10]) == agreements[2:]
    assert Agreement.objects.with_party(records).count() == 6


def sql_of(run):
    with CaptureQueriesContext(connection) as queries:
        run()
    return [query["sql"] for query in queries.captured_queries]


@postgresql_only
def test_a_country_in_many_records_is_walked_a_page_at_a_time(records, monkeypatch):
    monkeypatch.setattr(base, "FEW", 3)
    pages = sql_of(lambda: list(Meeting.objects.involving(records)[:4]))
    assert "OFFSET 0)" in pages[-1]
    counts = sql_of(lambda: Meeting.objects.involving(records).count())
    assert counts and all("OFFSET 0)" not in sql for sql in counts)
    pages = sql_of(lambda: list(Agreement.objects.with_party(records)[:4]))
    assert pages[-1].count("OFFSET 0)") == 2


@postgresql_only
def test_a_country_in_few_records_is_read_from_its_keys(records):
    pages = sql_of(lambda: list(Meeting.objects.involving(records)[:4]))
    assert "unnest(" in pages[-1] and "OFFSET 0)" not in pages[-1]
    # The keys are remembered until the data changes: a second page reads only the records.
    again = sql_of(lambda: list(Meeting.objects.involving(records)[4:8]))
    assert len([sql for sql in again if "visits_meeting" in sql]) == 1


@postgresql_only
def test_the_plan_follows_the_data(records, monkeypatch):
    """The choice is remembered per data version: a country that passes FEW is walked from the
    next request on, and its new records are in the list."""
    monkeypatch.setattr(base, "FEW", 8)
    assert "unnest(" in sql_of(lambda: list(Meeting.objects.involving(records)[:4]))[-1]
    for number in range(3):
        factories.meeting(date=datetime.date(2021, 1, 1 + number), country=records)
    pages = sql_of(lambda: list(Meeting.objects.involving(records)[:4]))
    assert "OFFSET 0)" in pages[-1]
    assert list(Meeting.objects.involving(records)[:3]) == expected_meetings(records)[:3]
    assert Meeting.objects.involving(records).count() == 9
