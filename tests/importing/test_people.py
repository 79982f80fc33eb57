"""The person resolver: one Person per human across records and datasets, and never two
humans as one (visits.importing.people, its rules in visits.importing.likeness)."""

import datetime

import pytest
from django.utils.text import slugify

from tests.importing.hsg_files import foreign_visit, run, trip, write
from visits.importing.likeness import near_spelling, offices_conflict
from visits.importing.records import PersonRecord, VisitRecord, VisitWriter
from visits.models import Country, Delegation, DelegationMember, Person, PersonName, Visit

pytestmark = pytest.mark.django_db


def record(number, name, country, year, office="", slug=None, members=()):
    """A visit to the United States led by name (slug made from it unless given)."""
    return VisitRecord(
        slug=f"visit-{number}",
        title=f"{office} {name} in the United States".strip(),
        kind=Visit.Kind.OFFICIAL,
        guest=country,
        host="US" if country != "US" else "FR",
        start_date=datetime.date(year, 6, number % 28 + 1),
        dataset="test",
        record_id=str(number),
        head=PersonRecord(slug=slug or slugify(name)[:120], name=name, country=country),
        head_office=office,
        members=tuple(
            (PersonRecord(slug=slugify(n)[:120], name=n, country=country), o) for n, o in members
        ),
    )


def save(*records):
    countries = {country.code: country for country in Country.objects.all()}
    writer = VisitWriter(countries, key="record", reason="test")
    writer.save(list(records))
    return writer.counts


def heads():
    """Each visit's head (slug), by visit slug."""
    return dict(Delegation.objects.values_list("visit__slug", "head__slug"))


# The rules, one at a time --------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "near"),
    [
        ("lee hsien leong", "lee hsien loong", True),
        ("dmitriy medvedev", "dmitry medvedev", True),
        ("lee hsien loong", "lee kuan yew", False),
        ("minister 1", "minister 2", False),  # not letters
        ("lee hsien loong", "lee hsien", False),  # word counts differ
        ("hussein", "hassan", False),
    ],
)
def test_near_spellings(first, second, near):
    assert near_spelling(first, second) is near


@pytest.mark.parametrize(
    ("held", "office", "year", "conflict"),
    [
        ([("President-elect", 1922)], "President-elect", 1946, True),
        ([("President-elect", 1988)], "President-elect", 2002, False),
        ([("King", 1960)], "Crown Prince", 1990, True),
        ([("Crown Prince", 1950)], "King", 1960, False),
        ([("King", 1960)], "Prince", 1990, False),  # a king who abdicated
        ([("President", 1960)], "President", 2000, False),  # left to the period rule
    ],
)
def test_offices_that_cannot_be_one_career(held, office, year, conflict):
    held = [(name, datetime.date(y, 1, 1)) for name, y in held]
    assert offices_conflict(held, office, datetime.date(year, 1, 1)) is conflict


# One person per human ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("records", "people"),
    [
        # Accents, case, spacing, punctuation and "Jr." fold to one key.
        (
            [("Mariano Ospina Pérez", "CO", 1947), ("mariano  ospina perez", "CO", 1949)],
            {"mariano-ospina-perez"},
        ),
        (
            [("Joseph R. Biden", "US", 2021), ("Joseph R. Biden, Jr.", "US", 2022)],
            {"joseph-r-biden"},
        ),
        # A surname alone, with one person of that country active then.
        (
            [("Josip Broz Tito", "YUCS", 1963), ("Tito", "YUCS", 1971)],
            {"josip-broz-tito"},
        ),
        ([("Charles de Gaulle", "FR", 1960), ("de Gaulle", "FR", 1963)], {"charles-de-gaulle"}),
        ([("Hussein bin Talal", "JO", 1964), ("Hussein", "JO", 1967)], {"hussein-bin-talal"}),
        # The surname came first in the file: full names are resolved first in a batch.
        ([("Erhard", "DE", 1963), ("Ludwig Erhard", "DE", 1964)], {"ludwig-erhard"}),
        # A near spelling of the same country and time.
        (
            [("Lee Hsien Loong", "SG", 2005), ("Lee Hsien Leong", "SG", 2007)],
            {"lee-hsien-loong"},
        ),
        # A successor state: the same full name in its time.
        ([("Boris Yeltsin", "SUHH", 1991), ("Boris Yeltsin", "RU", 1994)], {"boris-yeltsin"}),
    ],
    ids=["accents", "jr", "surname", "particle", "given-name", "surname-first", "near", "state"],
)
def test_variants_of_one_human_are_one_person(records, people):
    counts = save(*(record(n, *values) for n, values in enumerate(records)))

    assert set(Person.objects.values_list("slug", flat=True)) == people
    spellings = {name for name, *_ in records}
    assert counts["people created"] == 1
    assert counts["people merged"] == len(spellings) - 1
    person = Person.objects.get()
    assert {person.name, *person.names.values_list("name", flat=True)} == spellings


def test_a_person_known_by_a_surname_takes_the_full_name_and_keeps_the_surname():
    save(record(1, "Erhard", "DE", 1963))
    save(record(2, "Ludwig Erhard", "DE", 1964))

    person = Person.objects.get()
    assert (person.slug, person.name) == ("erhard", "Ludwig Erhard")
    assert list(person.names.values_list("name", "key")) == [("Erhard", "erhard")]
    assert person.history.first().history_type == "~"


def test_every_other_spelling_is_kept_with_its_source_and_origin():
    hsg = record(1, "Lee Hsien Loong", "SG", 2005)
    save(hsg, record(2, "Lee Hsien Leong", "SG", 2007))

    name = PersonName.objects.get()
    assert (name.name, name.key, name.origin) == ("Lee Hsien Leong", "lee hsien leong", "source")
    assert name.history.get().history_change_reason == "test"


# Never two humans as one -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("records", "people"),
    [
        # Same name, a generation apart.
        (
            [("Bjarni Benediktsson", "IS", 1969), ("Bjarni Benediktsson", "IS", 2024)],
            {"bjarni-benediktsson", "bjarni-benediktsson-2024"},
        ),
        (
            [("Konstantinos Karamanlis", "GR", 1978), ("Konstantinos Karamanlis", "GR", 2004)],
            {"konstantinos-karamanlis", "konstantinos-karamanlis-2004"},
        ),
        # A surname alone, a generation apart, each time President-elect.
        (
            [("Ospina", "CO", 1922, "President-elect"), ("Ospina", "CO", 1946, "President-elect")],
            {"ospina", "ospina-1946"},
        ),
        # A surname alone that two people of that country active then answer to.
        (
            [("Lee Kuan Yew", "SG", 1990), ("Lee Hsien Loong", "SG", 1995), ("Lee", "SG", 1993)],
            {"lee-kuan-yew", "lee-hsien-loong", "lee"},
        ),
        # A surname alone of another country.
        ([("Josip Broz Tito", "YUCS", 1963), ("Tito", "IT", 1971)], {"josip-broz-tito", "tito"}),
        # A near spelling of another country, or too long after.
        (
            [("Lee Hsien Loong", "SG", 2005), ("Lee Hsien Leong", "MY", 2007)],
            {"lee-hsien-loong", "lee-hsien-leong"},
        ),
        (
            [("Lee Hsien Loong", "SG", 1980), ("Lee Hsien Leong", "SG", 2005)],
            {"lee-hsien-loong", "lee-hsien-leong"},
        ),
        # A crown prince after a king of the same name.
        (
            [("Hussein", "JO", 1960, "King"), ("Hussein", "JO", 1975, "Crown Prince")],
            {"hussein", "hussein-1975"},
        ),
    ],
    ids=[
        "benediktsson",
        "karamanlis",
        "ospina",
        "two-lees",
        "country",
        "near-country",
        "late",
        "crown-prince",
    ],
)
def test_different_humans_stay_apart(records, people):
    save(*(record(n, *values) for n, values in enumerate(records)))

    assert set(Person.objects.values_list("slug", flat=True)) == people


def test_a_later_record_goes_to_the_person_of_its_time():
    save(
        record(1, "Bjarni Benediktsson", "IS", 1969),
        record(2, "Bjarni Benediktsson", "IS", 2024),
        record(3, "Bjarni Benediktsson", "IS", 2017),
        record(4, "Bjarni Benediktsson", "IS", 1961),
    )

    assert heads() == {
        "visit-1": "bjarni-benediktsson",
        "visit-2": "bjarni-benediktsson-2017",  # the year of the younger's first record
        "visit-3": "bjarni-benediktsson-2017",
        "visit-4": "bjarni-benediktsson",
    }


def test_the_resolver_finds_people_across_batches_and_imports():
    save(record(1, "Josip Broz Tito", "YUCS", 1963))
    save(record(2, "Tito", "YUCS", 1971), record(3, "Ospina", "CO", 1922))
    save(record(4, "Ospina", "CO", 1946))

    assert heads() == {
        "visit-1": "josip-broz-tito",
        "visit-2": "josip-broz-tito",
        "visit-3": "ospina",
        "visit-4": "ospina-1946",
    }


def test_one_import_finds_the_people_of_its_earlier_batches(monkeypatch):
    monkeypatch.setattr(VisitWriter, "BATCH_SIZE", 2)
    save(
        record(1, "Josip Broz Tito", "YUCS", 1963),
        record(2, "Lee Hsien Loong", "SG", 2005),
        record(3, "Tito", "YUCS", 1971),
        record(4, "Lee Hsien Leong", "SG", 2007),
        record(5, "Tito", "YUCS", 1978),
    )

    assert set(heads().values()) == {"josip-broz-tito", "lee-hsien-loong"}


def test_a_given_slug_is_the_persons_identity():
    """The travels' traveller ids (and a CSV's head_slug) name the person: no resolving."""
    save(
        record(1, "George W. Bush", "US", 2001, slug="bush-george-w"),
        record(2, "George H.W. Bush", "US", 1989, slug="bush-george-h-w"),
        record(3, "George W. Bush", "US", 2008, slug="bush-george-w"),
    )

    assert set(Person.objects.values_list("slug", flat=True)) == {
        "bush-george-w",
        "bush-george-h-w",
    }


def test_people_made_before_the_resolver_are_found_by_their_name():
    Person.objects.create(name="Kyriakos Mitsotakis", slug="mitsotakis")

    save(record(1, "Kyriakos Mitsotakis", "GR", 2024))

    assert heads() == {"visit-1": "mitsotakis"}


# Importing again ---------------------------------------------------------------------------


RECORDS = [
    ("Bjarni Benediktsson", "IS", 1969),
    ("Bjarni Benediktsson", "IS", 2024),
    ("Ospina", "CO", 1922, "President-elect"),
    ("Ospina", "CO", 1946, "President-elect"),
    ("Josip Broz Tito", "YUCS", 1963),
    ("Tito", "YUCS", 1971),
    ("Lee Hsien Loong", "SG", 2005),
    ("Lee Hsien Leong", "SG", 2007),
]


def test_importing_the_same_records_again_changes_nothing():
    first = save(*(record(n, *values) for n, values in enumerate(RECORDS)))
    before = (heads(), list(PersonName.objects.values_list("person__slug", "name")))
    history = Person.history.count() + PersonName.history.count()

    again = save(*(record(n, *values) for n, values in enumerate(RECORDS)))

    assert (first["people created"], first["people merged"], first["names recorded"]) == (6, 2, 2)
    assert (again["people created"], again["people merged"], again["names recorded"]) == (0, 0, 0)
    assert again["people matched"] == len(RECORDS), "each record found its person by name"
    assert again["unchanged"] == len(RECORDS)
    assert (heads(), list(PersonName.objects.values_list("person__slug", "name"))) == before
    assert Person.history.count() + PersonName.history.count() == history


def test_an_editors_split_stands_when_the_records_are_imported_again():
    """An editor made a person for the 1946 record and moved the visit to them; the import
    keeps the visit with them, as the name still stands for them."""
    save(record(1, "Ospina", "CO", 1922), record(2, "Ospina", "CO", 1924))
    mariano = Person.objects.create(name="Mariano Ospina Pérez", slug="mariano-ospina-perez")
    Delegation.objects.filter(visit__slug="visit-2").update(head=mariano)

    counts = save(record(1, "Ospina", "CO", 1922), record(2, "Ospina", "CO", 1924))

    assert counts["unchanged"] == 2
    assert heads() == {"visit-1": "ospina", "visit-2": "mariano-ospina-perez"}


# Delegation members ----------------------------------------------------------------------


def test_members_are_resolved_and_saved_once():
    visits = [
        record(
            1,
            "Francesco Cossiga",
            "IT",
            1989,
            "President",
            members=[("Giulio Andreotti", "Prime Minister")],
        ),
        record(
            2,
            "Giulio Andreotti",
            "IT",
            1990,
            "Prime Minister",
            members=[
                ("Gianni De Michelis", "Foreign Minister"),
                ("Giulio Andreotti", "Prime Minister"),
            ],
        ),
    ]
    first = save(*visits)
    again = save(*visits)

    members = DelegationMember.objects.values_list(
        "delegation__visit__slug", "person__slug", "office"
    )
    assert sorted(members) == [
        ("visit-1", "giulio-andreotti", "Prime Minister"),
        ("visit-2", "gianni-de-michelis", "Foreign Minister"),
    ]
    assert first["people created"] == 3
    assert again["unchanged"] == 2
    assert DelegationMember.history.count() == 2


def test_a_member_added_to_a_record_updates_its_visit():
    save(record(1, "Francesco Cossiga", "IT", 1989))

    counts = save(record(1, "Francesco Cossiga", "IT", 1989, members=[("Giulio Andreotti", "")]))

    assert counts["updated"] == 1
    assert DelegationMember.objects.get().person.slug == "giulio-andreotti"


# Through the command -----------------------------------------------------------------------


def test_import_hsg_reports_people_and_resolves_across_files(tmp_path):
    countries = ("yugoslavia", "Yugoslavia")
    write(
        tmp_path / "visits.xml",
        "visits",
        foreign_visit("1", "President Josip Broz Tito", countries, "Official visit.", "1963-10-17"),
        foreign_visit("2", "President Tito", countries, "Official visit.", "1971-10-28"),
    )
    write(tmp_path / "travels" / "acheson.xml", "trips", trip(3290))

    output, error = run(tmp_path)
    again, _ = run(tmp_path)

    assert error is None
    assert (
        "People: 2 created; records naming a known person: 0 by the same name, 1 merged" in output
    )
    assert "other names recorded: 1." in output
    assert "People: 0 created; records naming a known person: 3 by the same name, 0 merged" in again
    assert Person.objects.get(slug="josip-broz-tito").names.get().name == "Tito"
