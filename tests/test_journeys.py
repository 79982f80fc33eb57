"""Journeys and accompanying visits: the grouping rule, an editor's journeys left alone, a second
run that changes nothing, the links to the President's visit, on the Historian's real travels
(a Secretary's tour and the President's visits he accompanied) and on visits made here."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import factories
from tests.admin.test_admin_concurrency import editor, form_data
from visits.journeys import find_journeys, group_journeys, link_accompanying
from visits.models import Delegation, Journey, Person, Visit

pytestmark = pytest.mark.django_db

TRAVELS = Path(__file__).resolve().parents[1] / "fixtures" / "hsg" / "travels"
# Warren Christopher's travels, and President Clinton's, whom he accompanied.
SECRETARY = TRAVELS / "secretary-travels" / "christopher-warren-minor.xml"
PRESIDENT = TRAVELS / "president-travels" / "clinton-william-j.xml"
Grouping = Journey.Grouping
DAYS = [("2020-01-01", None), ("2020-01-02", None), ("2020-01-03", None)]


def day(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture
def travels(capsys):
    call_command("import_hsg", str(SECRETARY), str(PRESIDENT))
    return capsys.readouterr().out


def trips(traveller, *periods, host="UZ"):
    """Visits of one traveller, each (start, end) with end None for a one-day visit."""
    return [
        factories.visit(
            start=day(start), end_date=end and day(end), head=traveller, host=host, title=start
        )
        for start, end in periods
    ]


def presidents_visit(host, start, end=None):
    visit = factories.visit(guest="US", host=host, start=day(start), end_date=end and day(end))
    Delegation.objects.create(visit=visit, head=factories.person(), head_office="President")
    return visit


def journeys_of(visits):
    """Each visit's journey, as the index of the journey among them (None: no journey)."""
    found = {}
    for visit in visits:
        visit.refresh_from_db()
    return [
        None if visit.journey_id is None else found.setdefault(visit.journey_id, len(found))
        for visit in visits
    ]


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        ([("2020-01-01", "2020-01-03"), ("2020-01-04", None)], [0, 0]),  # touching
        ([("2020-01-01", "2020-01-05"), ("2020-01-03", "2020-01-09")], [0, 0]),  # overlapping
        ([("2020-01-01", "2020-01-03"), ("2020-01-05", None)], [None, None]),  # gap of 2 days
        ([("2020-01-01", None), ("2020-01-01", None)], [0, 0]),  # the same day
        ([("2020-01-01", "2020-01-30"), ("2020-01-02", None), ("2020-01-31", None)], [0, 0, 0]),
        (
            [
                ("2020-01-01", None),
                ("2020-01-02", None),
                ("2020-01-04", None),
                ("2020-01-05", None),
            ],
            [0, 0, 1, 1],
        ),
        ([("2020-01-01", "2020-01-03")], [None]),  # a lone visit has no journey
    ],
    ids=["touching", "overlapping", "gap", "same-day", "long-stay", "two-journeys", "lone"],
)
def test_a_travellers_visits_that_touch_or_overlap_are_one_journey(periods, expected):
    visits = trips(factories.person("Traveller"), *periods)
    group_journeys()
    assert journeys_of(visits) == expected


def test_different_travellers_never_share_a_journey():
    first = trips(factories.person("First"), ("2020-01-01", None))
    second = trips(factories.person("Second"), ("2020-01-02", None))
    group_journeys()
    assert journeys_of(first + second) == [None, None]


def test_a_journey_keeps_its_stops_dates_and_a_stable_slug():
    traveller = factories.person("Dean Acheson")
    trips(traveller, ("1949-05-20", "1949-05-22"), ("1949-05-23", "1949-06-20"))
    Visit.objects.filter(title="1949-05-23").update(host_country=factories.country("FR"))
    group_journeys()
    journey = Journey.objects.get()
    assert journey.slug == f"{traveller.slug}-1949-05-20"
    assert journey.title == "Dean Acheson's journey to Uzbekistan and France, 20 May – 20 June 1949"
    assert (journey.start_date, journey.end_date, journey.days) == (
        day("1949-05-20"),
        day("1949-06-20"),
        32,
    )
    assert journey.grouping == Grouping.DATES
    assert journey.traveller == traveller


def test_a_second_run_changes_nothing_and_writes_no_history(travels):
    journeys = list(Journey.objects.values_list("slug", "title", "start_date", "end_date"))
    stops = list(Visit.objects.values_list("pk", "journey__slug", "part_of_id"))
    history = (Visit.history.count(), Journey.history.count())
    outcome = find_journeys()
    assert (outcome.created, outcome.updated, outcome.removed, outcome.stops_changed) == (0,) * 4
    assert outcome.newly_linked == 0
    assert list(Journey.objects.values_list("slug", "title", "start_date", "end_date")) == journeys
    assert list(Visit.objects.values_list("pk", "journey__slug", "part_of_id")) == stops
    assert (Visit.history.count(), Journey.history.count()) == history


def test_an_editors_journey_and_its_stops_are_never_regrouped():
    traveller = factories.person()
    first, second, third = trips(traveller, *DAYS)
    journey = Journey.objects.create(
        slug="chosen",
        title="Chosen",
        start_date=day("2020-01-01"),
        end_date=day("2020-01-01"),
        grouping=Grouping.EDITOR,
    )
    first.journey = journey
    first.save()
    group_journeys()
    group_journeys()
    first.refresh_from_db()
    journey.refresh_from_db()
    assert first.journey == journey
    assert (journey.title, journey.grouping) == ("Chosen", Grouping.EDITOR)
    # The others still touch each other: they make a journey of their own.
    assert journeys_of([second, third]) == [0, 0]
    assert Journey.objects.count() == 2


def test_a_journey_the_dates_no_longer_make_is_removed():
    first, second = trips(factories.person(), ("2020-01-01", None), ("2020-01-02", None))
    group_journeys()
    assert Journey.objects.count() == 1
    Visit.objects.filter(pk=second.pk).update(start_date=day("2020-03-01"))
    outcome = group_journeys()
    assert outcome.removed == 1
    assert Journey.objects.count() == 0
    assert journeys_of([first, second]) == [None, None]


def test_the_import_groups_the_real_travels_and_links_the_president(travels):
    assert "Journeys: " in travels and "accompanying visits linked: " in travels
    christopher = Person.objects.get(slug="christopher-warren-minor")
    journey = Journey.objects.get(slug="christopher-warren-minor-1996-04-15")
    assert journey.traveller == christopher
    assert journey.stops.count() == 16
    assert journey.title.startswith("Warren Minor Christopher's journey to South Korea, Japan")
    # In the Republic of Korea he accompanied the President: one event, two records.
    korea = Visit.objects.get(dataset="hsg-travels", record_id="688")
    assert "Accompanied President Clinton" in korea.summary
    assert korea.part_of == Visit.objects.get(dataset="hsg-travels", record_id="2565")
    assert korea.part_of.delegation.head_office == "President"
    assert korea.part_of.host_country == korea.host_country


@pytest.mark.parametrize(
    ("summary", "linked"),
    [
        ("Accompanied President Truman to a meeting.", True),
        ("accompanied the President to the summit.", True),
        ("ACCOMPANIED PRESIDENT BUSH.", True),
        ("Accompanied Vice President Bush to the funeral.", False),
        ("Met with President Mubarak.", False),
    ],
)
def test_the_phrasings_that_say_the_president_was_accompanied(summary, linked):
    president = presidents_visit("FR", "1950-05-01", "1950-05-04")
    secretary = factories.visit(guest="US", host="FR", start=day("1950-05-03"), summary=summary)
    outcome = link_accompanying()
    secretary.refresh_from_db()
    assert (secretary.part_of == president) is linked
    assert outcome.linked == int(linked)


def test_no_presidential_visit_overlapping_leaves_it_unlinked_and_counted():
    presidents_visit("FR", "1950-05-01")
    factories.visit(
        guest="US", host="DE", start=day("1950-05-01"), summary="Accompanied President X."
    )
    factories.visit(
        guest="US", host="FR", start=day("1950-05-03"), summary="Accompanied President X."
    )
    outcome = link_accompanying()
    assert (outcome.linked, outcome.not_found) == (0, 2)
    assert not Visit.objects.exclude(part_of=None).exists()


def test_a_part_of_an_editor_set_is_kept():
    presidents_visit("FR", "1950-05-01")
    chosen = factories.visit(guest="US", host="GB", start=day("1950-04-01"))
    secretary = factories.visit(
        guest="US",
        host="FR",
        start=day("1950-05-01"),
        summary="Accompanied the President.",
        part_of=chosen,
    )
    outcome = link_accompanying()
    secretary.refresh_from_db()
    assert secretary.part_of == chosen
    assert (outcome.linked, outcome.newly_linked) == (1, 0)


def test_group_journeys_command_reports_and_changes_nothing_the_second_time(travels, capsys):
    call_command("group_journeys")
    out = capsys.readouterr().out
    assert out.startswith("Journeys: ")
    assert "Journeys created: 0, updated: 0, removed: 0; visits that changed journey: 0" in out


def test_saving_a_journey_in_the_admin_makes_it_an_editors(travels):
    journey = Journey.objects.get(slug="christopher-warren-minor-1996-04-15")
    alice = editor("alice")
    change = reverse("admin:visits_journey_change", args=[journey.pk])
    page = alice.get(change)
    assert "takes a visit out of the journey, never deletes it" in page.content.decode()
    data = form_data(page, title="Christopher's Asian and European tour")
    # Tick "remove" on the first stop: it leaves the journey, and is not deleted.
    first_stop = journey.stops.order_by("start_date", "slug").first()
    prefix = next(name for name in data if name.endswith("-0-id")).removesuffix("-0-id")
    assert data[f"{prefix}-0-id"] == [str(first_stop.pk)]
    data[f"{prefix}-0-DELETE"] = ["on"]
    response = alice.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    journey.refresh_from_db()
    first_stop.refresh_from_db()
    assert journey.grouping == Grouping.EDITOR
    assert journey.title == "Christopher's Asian and European tour"
    assert first_stop.journey is None
    assert journey.stops.count() == 15
    assert journey.start_date == journey.stops.order_by("start_date").first().start_date
    # Regrouping leaves it as the editor made it.
    find_journeys()
    journey.refresh_from_db()
    assert (journey.title, journey.stops.count()) == ("Christopher's Asian and European tour", 15)


def test_changing_a_visits_journey_in_the_admin_makes_both_journeys_an_editors():
    traveller = factories.person()
    *_, third = trips(traveller, *DAYS)
    other = trips(traveller, ("2020-03-01", None), ("2020-03-02", None))
    group_journeys()
    third.refresh_from_db()
    old, new = third.journey, Journey.objects.get(stops=other[0])
    third.sources.add(factories.source())
    alice = editor("alice")
    change = reverse("admin:visits_visit_change", args=[third.pk])
    response = alice.post(change, form_data(alice.get(change), journey=str(new.pk)))
    assert response.status_code == 302
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.grouping, new.grouping) == (Grouping.EDITOR, Grouping.EDITOR)
    assert (old.end_date, new.start_date) == (day("2020-01-02"), day("2020-01-03"))
    assert set(new.stops.all()) == {third, *other}
