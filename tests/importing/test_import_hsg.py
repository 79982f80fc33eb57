"""The Office of the Historian importer: the country table, the office split, the import itself
(idempotent, atomic, reporting what it rejects) and the shared datasets."""

import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.management import CommandError, call_command

from tests.importing.hsg_files import (
    SAMPLE,
    TRAVELS,
    foreign_visit,
    needs_sample,
    needs_travels,
    row_counts,
    run,
    trip,
    write,
)
from visits.importing import records as records_module
from visits.importing.hsg import kind_from, place_name, split_office
from visits.importing.hsg_countries import IDS, TEXTS, country_code
from visits.models import Country, Delegation, Source, Visit

# The country table ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country_id", "text", "code"),
    [
        ("hawaii", "Hawaii", "XHAW"),
        ("russia", "U.S.S.R.", "SUHH"),
        ("russia", "Russia", "RU"),
        ("sri-lanka", "Ceylon", "LK"),
        ("burma", "Burma", "MM"),
        ("burma", "Burma (Myanmar)", "MM"),
        ("congo-democratic-republic", "Democratic Republic of the Congo (Zaire)", "CD"),
        ("zaire", "", "CD"),
        ("burkina-faso", "Upper Volta", "BF"),
        ("swaziland", "Swaziland", "SZ"),
        ("kosovo", "Kosovo", "XK"),
        ("kosovo", "Yugoslavia (Kosovo)", "YUCS"),
        ("yugoslavia", "Yugoslavia", "YUCS"),
        ("czechoslovakia", "Czechoslovakia", "CSHH"),
        ("german-democratic-republic", "German Democratic Republic", "DDDE"),
        ("east-germany", "", "DDDE"),
        ("germany", "GDR", "DDDE"),  # the text disagrees with the id, and decides
        ("serbia", "Serbia and Montenegro", "CSXX"),
        ("serbia", "Serbia", "RS"),
        ("west-bank", "West Bank", "PS"),
        ("palestinian-authority", "Palestinian Authority", "PS"),
        ("czech-republic", "Czech Republic", "CZ"),
        ("czechia", "Czechia", "CZ"),
        ("belarus", "Byelorussia", "BY"),
        ("taiwan", "Republic of China", "TW"),
        ("china", "China, People\u2019s Republic of", "CN"),
        ("netherlands-antilles", "Netherlands Antilles", "ANHH"),
        ("russia", "  u.s.s.r. ", "SUHH"),  # case and spaces do not matter
        ("Russia", "", "RU"),
        ("atlantis", "Atlantis", None),
    ],
)
def test_country_code(country_id, text, code):
    assert country_code(country_id, text) == code


@pytest.mark.django_db
def test_every_code_in_the_table_is_a_country():
    codes = set(Country.objects.values_list("code", flat=True))
    assert set(IDS.values()) - codes == set()
    assert set(TEXTS.values()) - codes == set()


@needs_travels
@needs_sample
def test_every_country_in_the_shared_data_is_mapped():
    unmapped = set()
    for path in [*TRAVELS.rglob("*.xml"), *SAMPLE.rglob("*.xml")]:
        for element in ET.parse(path).getroot().iter():
            if element.tag in {"country", "from"}:
                text = "".join(element.itertext())
                if country_code(element.get("id"), text) is None:
                    unmapped.add((element.get("id"), text))
    assert unmapped == set()


# Offices, kinds and titles ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("visitor", "office", "name"),
    [
        ("Prime Minister Kyriakos Mitsotakis", "Prime Minister", "Kyriakos Mitsotakis"),
        ("King Kalakaua", "King", "Kalakaua"),
        ("Premier Khrushchev", "Premier", "Khrushchev"),
        ("Emperor Dom Pedro II", "Emperor", "Dom Pedro II"),
        ("Crown Prince Akihito", "Crown Prince", "Akihito"),
        ("Grand Duke Jean", "Grand Duke", "Jean"),
        ("First Secretary Edward Gierek", "First Secretary", "Edward Gierek"),
        ("Secretary-General Kofi Annan", "Secretary-General", "Kofi Annan"),
        (
            "President of the Council of Ministers Aldo Moro",
            "President of the Council of Ministers",
            "Aldo Moro",
        ),
        ("President  Giovanni   Leone", "President", "Giovanni Leone"),
        ("Madame Chiang Kai-shek", "", "Madame Chiang Kai-shek"),
        ("Kingsley Amis", "", "Kingsley Amis"),  # "King" must be a whole word
        ("Queen", "", "Queen"),  # an office with no name after it
    ],
)
def test_split_office(visitor, office, name):
    assert split_office(visitor) == (office, name)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Official Working Visit.", Visit.Kind.OFFICIAL_WORKING),
        ("Accompanied President Reagan on an official working visit.", "official-working"),
        ("Official visit at Washington and Camp David", Visit.Kind.OFFICIAL),
        ("Working Visit.", Visit.Kind.WORKING),
        ("STATE VISIT. In U.S. September 24-29", Visit.Kind.STATE),
        ("Private visit to London.", Visit.Kind.PRIVATE),
        ("Unofficial visit. Attended opening of the Vienna State Opera.", "unspecified"),
        ("Met with President Heuss and Chancellor Adenauer.", Visit.Kind.UNSPECIFIED),
        ("", Visit.Kind.UNSPECIFIED),
    ],
)
def test_kind_from(text, kind):
    assert kind_from(text) == kind


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("France", "France"),
        ("United Kingdom", "the United Kingdom"),
        ("U.S.S.R.", "the U.S.S.R."),
        ("China, People\u2019s Republic of", "the People\u2019s Republic of China"),
        ("Korea, South", "South Korea"),
        ("Philippines", "the Philippines"),
        ("Honduras", "Honduras"),
        ("Czech Republic", "the Czech Republic"),
        ("Denmark (Greenland)", "Denmark (Greenland)"),
    ],
)
def test_place_name(text, name):
    assert place_name(text) == name


# Importing ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_trips_become_visits_with_delegation_and_source(travels_dir):
    output, error = run(travels_dir)

    assert error is None
    assert "Visits: 4 created, 0 updated, 0 unchanged, 0 rejected." in output
    visit = Visit.objects.get(dataset="hsg-travels", record_id="3290")
    assert visit.slug == "hsg-travels-3290"
    assert visit.title == "Secretary of State Dean Gooderham Acheson in France"
    assert (visit.guest_country.code, visit.host_country.code) == ("US", "FR")
    assert (visit.start_date, visit.end_date) == (
        datetime.date(1949, 5, 20),
        datetime.date(1949, 6, 20),
    )
    assert visit.places == "Paris"
    assert visit.summary == "Attended 6th Session of the Council of Foreign Ministers."
    assert visit.kind == Visit.Kind.UNSPECIFIED
    head = visit.delegation.head
    assert (head.slug, head.name, head.country.code) == (
        "acheson-dean-gooderham",
        "Dean Gooderham Acheson",
        "US",
    )
    assert visit.delegation.head_office == "Secretary of State"
    [source] = visit.sources.all()
    assert source.title == "Travels of the Secretary of State: Dean Gooderham Acheson"
    assert source.url == (
        "https://history.state.gov/departmenthistory/travels/secretary/acheson-dean-gooderham"
    )
    historian = source.publisher
    assert (historian.slug, historian.classification, historian.country.code) == (
        "office-of-the-historian",
        "archive",
        "US",
    )
    # One source per traveller's page, shared by the trips on it.
    assert Source.objects.get(slug=source.slug).visits.count() == 3

    soviet = Visit.objects.get(record_id="3291")
    assert soviet.host_country.code == "SUHH"
    assert soviet.kind == Visit.Kind.OFFICIAL
    assert Visit.objects.get(record_id="3292").title.endswith("in the Federal Republic of Germany")
    president = Visit.objects.get(record_id="4113")
    assert president.title == "President Joseph R. Biden in the United Kingdom"
    assert president.kind == Visit.Kind.STATE
    assert president.delegation.head_office == "President"
    assert president.sources.get().url.endswith("/travels/president/biden-joseph-r")


@pytest.mark.django_db
def test_visits_by_foreign_leaders_in_a_file_written_here(tmp_path):
    path = write(
        tmp_path / "2020.xml",
        "visits",
        foreign_visit(
            2991,
            "Prime Minister Kyriakos Mitsotakis",
            ("greece", "Greece"),
            "<em>Official Working Visit</em>. Met with\n   the President.",
        ),
        foreign_visit(2993, "Madame Chiang Kai-shek", ("taiwan", "Republic of China"), ""),
    )

    output, error = run(path)

    assert error is None
    assert "Visitors with no recognised office (the whole string kept as the name): 1." in output
    visit = Visit.objects.get(dataset="hsg-visits", record_id="2991")
    assert (visit.guest_country.code, visit.host_country.code) == ("GR", "US")
    assert visit.kind == Visit.Kind.OFFICIAL_WORKING
    assert visit.summary == "Official Working Visit. Met with the President."
    assert visit.title == "Prime Minister Kyriakos Mitsotakis of Greece in the United States"
    assert visit.delegation.head_office == "Prime Minister"
    assert visit.delegation.head.slug == "kyriakos-mitsotakis"
    assert visit.delegation.head.country.code == "GR"
    source = visit.sources.get()
    assert (source.slug, source.title, source.url) == (
        "hsg-visits-2020",
        "Visits by Foreign Leaders in 2020",
        "https://history.state.gov/departmenthistory/visits/2020",
    )
    unknown_office = Visit.objects.get(record_id="2993").delegation
    assert (unknown_office.head_office, unknown_office.head.name) == ("", "Madame Chiang Kai-shek")


@needs_sample
@pytest.mark.django_db
def test_the_shared_sample_of_visits():
    output, error = run(SAMPLE)

    assert error is None
    assert "Visits: 4 created, 0 updated, 0 unchanged, 0 rejected." in output
    expected = {
        "2138": ("XHAW", "King", "Kalakaua", Visit.Kind.UNSPECIFIED),
        "2385": ("SUHH", "Premier", "Khrushchev", Visit.Kind.OFFICIAL),
        "2991": ("GR", "Prime Minister", "Kyriakos Mitsotakis", Visit.Kind.OFFICIAL_WORKING),
        "2992": ("IL", "Prime Minister", "Benjamin Netanyahu", Visit.Kind.WORKING),
    }
    visits = Visit.objects.filter(dataset="hsg-visits").select_related("delegation__head")
    found = {
        visit.record_id: (
            visit.guest_country.code,
            visit.delegation.head_office,
            visit.delegation.head.name,
            visit.kind,
        )
        for visit in visits
    }
    assert found == expected
    assert {visit.host_country.code for visit in visits} == {"US"}


@needs_travels
@pytest.mark.django_db
def test_all_the_shared_travels_import_with_none_rejected():
    output, error = run(TRAVELS)

    assert error is None, output
    assert "Visits: 4271 created, 0 updated, 0 unchanged, 0 rejected." in output
    assert Visit.objects.filter(dataset="hsg-travels").count() == 4271
    assert Delegation.objects.filter(head_office="President").count() == 832
    assert Delegation.objects.filter(head_office="Secretary of State").count() == 3439
    assert "presidents.xml" in output  # read, and reported as having no trips


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_an_edit_updates_one_visit(travels_dir):
    run(travels_dir)
    before = row_counts()

    output, error = run(travels_dir)

    assert error is None
    assert "Visits: 0 created, 0 updated, 4 unchanged, 0 rejected." in output
    assert row_counts() == before

    path = travels_dir / "secretary-travels" / "acheson-dean-gooderham.xml"
    path.write_text(path.read_text().replace("<locale>Paris</locale>", "<locale>Lyon</locale>", 1))
    output, error = run(travels_dir)

    assert "Visits: 0 created, 1 updated, 3 unchanged, 0 rejected." in output
    assert Visit.objects.get(record_id="3290").places == "Lyon"
    assert row_counts() == before


@pytest.mark.django_db
def test_rejected_records_are_reported_and_the_others_imported(tmp_path):
    path = write(
        tmp_path / "mixed.xml",
        "trips",
        trip(1),
        trip(2, country=("atlantis", "Atlantis")),
        trip(3, start="1949-02-30"),
        trip(4, start="1950-01-10", end="1950-01-01"),
        trip(5, start=""),
        trip(6),
        trip(6),
    )

    output, error = run(path)

    assert error is not None
    assert error.returncode == 1
    assert "5 records were rejected" in str(error)
    assert "Visits: 2 created, 0 updated, 0 unchanged, 5 rejected." in output
    assert f"{path}, record 2: unknown country id 'atlantis' ('Atlantis')" in output
    assert f"{path}, record 3: bad <start-date> '1949-02-30' (expected YYYY-MM-DD)" in output
    assert f"{path}, record 4: end date 1950-01-01 is before start date 1950-01-10" in output
    assert f"{path}, record 5: no <start-date>" in output
    assert f"{path}, record 6: the id 6 was already read in {path}" in output
    assert sorted(Visit.objects.values_list("record_id", flat=True)) == ["1", "6"]


@pytest.mark.django_db
def test_a_file_that_is_not_xml_stops_the_import_and_leaves_the_database_as_it_was(
    tmp_path, travels_dir
):
    broken = tmp_path / "broken.xml"
    broken.write_text("<trips>\n<trip>")

    _, error = run(travels_dir, broken)

    assert error is not None
    assert error.returncode == 1
    assert str(error) == (
        f"{broken}, line 2: this is not well-formed XML (no element found at column 7); "
        "nothing was imported."
    )
    assert set(row_counts().values()) == {0}  # the good files before it are rolled back too


@pytest.mark.django_db
def test_a_failure_midway_leaves_the_database_as_it_was(travels_dir, monkeypatch):
    run(travels_dir)
    path = travels_dir / "secretary-travels" / "acheson-dean-gooderham.xml"
    path.write_text(path.read_text().replace("<locale>Paris</locale>", "<locale>Lyon</locale>"))
    write(travels_dir / "more.xml", "trips", trip(7001), trip(7002))
    before = row_counts()

    # Two records a batch, and the third batch fails: two batches are already written by then.
    monkeypatch.setattr(records_module.VisitWriter, "BATCH_SIZE", 2)
    save_batch = records_module.VisitWriter.save_batch
    calls = []

    def failing_save_batch(self, batch):
        calls.append(len(batch))
        if len(calls) == 3:
            raise RuntimeError("disk full")
        save_batch(self, batch)

    monkeypatch.setattr(records_module.VisitWriter, "save_batch", failing_save_batch)
    with pytest.raises(RuntimeError, match="disk full"):
        run(travels_dir)

    assert calls == [2, 2, 2]
    assert row_counts() == before
    assert Visit.objects.get(record_id="3290").places == "Paris"
    assert not Visit.objects.filter(record_id__in=["7001", "7002"]).exists()


@pytest.mark.django_db
def test_a_failure_on_a_first_import_leaves_nothing(travels_dir, monkeypatch):
    def failing(self, batch):
        raise RuntimeError("boom")

    monkeypatch.setattr(records_module.VisitWriter, "refresh_search", failing)
    with pytest.raises(RuntimeError):
        run(travels_dir)

    assert set(row_counts().values()) == {0}


@pytest.mark.django_db
def test_a_dry_run_does_the_work_and_leaves_nothing(travels_dir):
    output, error = run(travels_dir, dry_run=True)

    assert error is None
    assert "Visits: 4 created, 0 updated, 0 unchanged, 0 rejected." in output
    assert "Dry run: nothing was saved." in output
    assert set(row_counts().values()) == {0}


@pytest.mark.django_db
def test_a_path_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="no such file or directory"):
        call_command("import_hsg", str(tmp_path / "missing"), stdout=io.StringIO())


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
def test_the_progress_bar_is_drawn_on_a_terminal_only(travels_dir):
    terminal = Terminal()
    call_command("import_hsg", str(travels_dir), "--dry-run", stdout=terminal)
    size = sum(path.stat().st_size for path in travels_dir.rglob("*.xml"))
    assert "\rReading [" in terminal.getvalue()
    assert f"[{'#' * 30}] {size / 1000:.1f}/{size / 1000:.1f} kB\n" in terminal.getvalue()

    output, _ = run(travels_dir, dry_run=True)
    assert "\r" not in output
