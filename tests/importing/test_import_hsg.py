"""The Office of the Historian importer: the country table, the office split, the import itself
(idempotent, atomic, reporting what it rejects) and the shared datasets."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from tests.importing.hsg_files import (
    PROJECT_TRAVELS,
    SAMPLE,
    foreign_visit,
    needs_sample,
    read_records,
    row_counts,
    run,
    trip,
    write,
)
from visits.importing import records as records_module
from visits.importing.hsg import kind_from, place_name
from visits.models import Delegation, Source, Visit

# Kinds and titles ----------------------------------------------------------------


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


@pytest.mark.django_db
def test_all_the_travels_import_with_none_rejected():
    output, error = run(PROJECT_TRAVELS)

    assert error is None, output
    assert "Visits: 4271 created, 0 updated, 0 unchanged, 0 rejected." in output
    assert Visit.objects.filter(dataset="hsg-travels").count() == 4271
    assert Delegation.objects.filter(head_office="President").count() == 832
    assert Delegation.objects.filter(head_office="Secretary of State").count() == 3439
    assert "presidents.xml" in output  # read, and reported as having no trips


# Records like those of the whole visits dataset that the importer once rejected or misread:
# id -> (visitor, (country id, text), guest code).
UNSEEN = {
    "3001": ("President Edouard Fritch", ("french-polynesia", "French Polynesia"), "PF"),
    "3002": ("President Philippe Germain", ("new-caledonia", "New Caledonia"), "NC"),
    "3003": ("Premier Toke Talagi", ("niue", "Niue"), "NU"),
    "3004": ("Prime Minister Gaston Browne", ("antigua-barbuda", "Antigua and Barbuda"), "AG"),
    "3005": ("Prime Minister Denzil Douglas", ("saint-kitts-nevis", "St. Kitts and Nevis"), "KN"),
    "3006": ("Prime Minister Ralph Gonsalves", ("saint-vincent-grenadines", ""), "VC"),
    "3007": ("President Moon Jae-in", ("korea", "Korea"), "KR"),
    "3008": ("Prime Minister Tuilaepa Malielegaoi", ("somoa", "Samoa"), "WS"),
    "3009": ("Prime Minster Nawaz Sharif", ("pakistan", "Pakistan"), "PK"),
    "3010": ("Prime Ministere Silvio Berlusconi", ("italy", "Italy"), "IT"),
    "3011": ("Prime MinisterHaidar al- Abadi", ("iraq", "Iraq"), "IQ"),
    "3012": ("President-Elect Vicente Fox", ("mexico", "Mexico"), "MX"),
    "3013": ("President- elect Jair Bolsonaro", ("brazil", "Brazil"), "BR"),
    "3014": ("Chancellor-elect Helmut Kohl", ("germany", "Germany"), "DE"),
    "3015": ("Interim Prime Minister Ayad Allawi", ("iraq", "Iraq"), "IQ"),
    "3016": ("Brigadier General Ignatius Acheampong", ("ghana", "Ghana"), "GH"),
    "3017": ("Junta Member Jose Napoleon Duarte", ("el-salvador", "El Salvador"), "SV"),
    "3018": ("Sheikh Hamad bin Khalifa Al Thani", ("qatar", "Qatar"), "QA"),
    "3019": ("Emir Sheikh Tamim bin Hamad Al Thani", ("qatar", "Qatar"), "QA"),
    "3020": ("and Prime Minister Poul Schluter", ("denmark", "Denmark"), "DK"),
    "3021": (
        "President Francesco Cossiga and Prime Minister Giulio Andreotti",
        ("italy", "Italy"),
        "IT",
    ),
    "3022": ("Abdullah and Crown Prince Hussein", ("jordan", "Jordan"), "JO"),
    "3023": ("President Alpha Konare & Foreign Minister Modibo Sidibe", ("mali", "Mali"), "ML"),
}
# id -> (head office, head name, [(office, name) of the others])
PEOPLE = {
    "3001": ("President", "Edouard Fritch", []),
    "3002": ("President", "Philippe Germain", []),
    "3003": ("Premier", "Toke Talagi", []),
    "3004": ("Prime Minister", "Gaston Browne", []),
    "3005": ("Prime Minister", "Denzil Douglas", []),
    "3006": ("Prime Minister", "Ralph Gonsalves", []),
    "3007": ("President", "Moon Jae-in", []),
    "3008": ("Prime Minister", "Tuilaepa Malielegaoi", []),
    "3009": ("Prime Minister", "Nawaz Sharif", []),
    "3010": ("Prime Minister", "Silvio Berlusconi", []),
    "3011": ("Prime Minister", "Haidar al-Abadi", []),
    "3012": ("President-elect", "Vicente Fox", []),
    "3013": ("President-elect", "Jair Bolsonaro", []),
    "3014": ("Chancellor-elect", "Helmut Kohl", []),
    "3015": ("Interim Prime Minister", "Ayad Allawi", []),
    "3016": ("Brigadier General", "Ignatius Acheampong", []),
    "3017": ("Junta Member", "Jose Napoleon Duarte", []),
    "3018": ("", "Sheikh Hamad bin Khalifa Al Thani", []),
    "3019": ("Emir", "Sheikh Tamim bin Hamad Al Thani", []),
    "3020": ("Prime Minister", "Poul Schluter", []),
    "3021": ("President", "Francesco Cossiga", [("Prime Minister", "Giulio Andreotti")]),
    "3022": ("", "Abdullah", [("Crown Prince", "Hussein")]),
    "3023": ("President", "Alpha Konare", [("Foreign Minister", "Modibo Sidibe")]),
}


@pytest.mark.django_db
def test_records_like_the_unseen_ones_import_with_none_rejected(tmp_path):
    path = write(
        tmp_path / "unseen.xml",
        "visits",
        *[
            foreign_visit(key, visitor, country, "")
            for key, (visitor, country, *_) in UNSEEN.items()
        ],
    )

    output, error = run(path)
    records, reader = read_records(path)

    assert error is None, output
    assert f"Visits: {len(UNSEEN)} created, 0 updated, 0 unchanged, 0 rejected." in output
    assert "Visitors with no recognised office (the whole string kept as the name): 2." in output
    visits = Visit.objects.select_related("guest_country", "delegation__head")
    found = {
        visit.record_id: (
            visit.guest_country.code,
            visit.delegation.head_office,
            visit.delegation.head.name,
        )
        for visit in visits
    }
    assert found == {key: (UNSEEN[key][2], *PEOPLE[key][:2]) for key in UNSEEN}
    members = {
        record.record_id: [(office, person.name) for person, office in record.members]
        for record in records
    }
    assert members == {key: PEOPLE[key][2] for key in UNSEEN}
    assert reader.rejected == []
    cossiga = next(record for record in records if record.record_id == "3021")
    [(andreotti, _)] = cossiga.members
    assert (andreotti.slug, andreotti.country) == ("giulio-andreotti", "IT")
    assert Visit.objects.get(record_id="3011").title == (
        "Prime Minister Haidar al-Abadi of Iraq in the United States"
    )


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
