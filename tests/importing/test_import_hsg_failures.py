"""import_hsg streaming its files: files that cannot be read, over-long values, control
characters, records at any depth; its history."""

import pytest

from tests.importing.hsg_files import (
    row_counts,
    run,
    trip,
    write,
)
from visits.models import Delegation, Organization, Person, Source, Visit

# Streaming, files that cannot be read, control characters, history ----------------------


@pytest.mark.django_db
def test_a_nul_byte_stops_the_import_naming_the_file_line_and_column(tmp_path, travels_dir):
    run(travels_dir)
    before = row_counts()
    path = write(tmp_path / "nul.xml", "trips", trip(7001))
    text = path.read_text()
    path.write_text(text.replace("<locale>Paris", "\n<locale>Pa\x00ris"))

    output, error = run(travels_dir, path)

    assert error is not None
    assert error.returncode == 1
    assert str(error) == (
        f"{path}, line 3: a NUL byte at column 11: this is not a text file; nothing was imported."
    )
    assert row_counts() == before
    assert output == ""


@pytest.mark.django_db
def test_a_tag_left_open_midway_through_a_large_file_leaves_nothing(tmp_path):
    path = write(tmp_path / "cut.xml", "trips", *[trip(n) for n in range(1, 2501)])
    path.write_text(path.read_text().removesuffix("</trips>")[:-40])

    _, error = run(path)

    assert error is not None
    assert str(error).startswith(f"{path}, line 2: this is not well-formed XML (")
    assert str(error).endswith("; nothing was imported.")
    assert set(row_counts().values()) == {0}  # two batches of 1000 were written, and undone


@pytest.mark.django_db
def test_an_over_long_value_rejects_its_record_and_the_others_are_imported(tmp_path):
    path = write(
        tmp_path / "long.xml",
        "trips",
        trip(1),
        trip(2, name="N" * 201),
        trip(3, locale="L" * 301),
    )

    output, error = run(path)

    assert error is not None
    assert "2 records were rejected" in str(error)
    assert f"{path}, record 2: the name is over 200 characters" in output
    assert f"{path}, record 3: the places is over 300 characters" in output
    assert list(Visit.objects.values_list("record_id", flat=True)) == ["1"]


@pytest.mark.django_db
def test_control_characters_are_taken_out_of_all_the_text_read(tmp_path):
    path = write(
        tmp_path / "controls.xml",
        "trips",
        trip(
            1,
            name="Dean\x7f Acheson",
            locale="Paris{DEL}, Lyon",
            remarks="Met\x7f the\tForeign Ministers.",
        )
        .replace("{DEL}", "&#x7f;")  # as a character reference too
        .replace('who="acheson-dean-gooderham"', 'who="acheson-dean-gooderham&#127;"'),
    )

    output, error = run(path)

    assert error is None, output
    visit = Visit.objects.get()
    assert visit.title == "Secretary of State Dean Acheson in France"
    assert visit.places == "Paris, Lyon"
    assert visit.summary == "Met the Foreign Ministers."
    assert visit.delegation.head.slug == "acheson-dean-gooderham"


@pytest.mark.django_db
def test_records_are_found_at_any_depth_among_other_elements(tmp_path):
    path = tmp_path / "nested.xml"
    path.write_text(
        "<trips><about><note>not a trip</note></about>"
        f"{trip(1)}<year n='1950'>{trip(2)}<more>{trip(3)}</more></year>{trip(4)}</trips>",
        encoding="utf-8",
    )

    output, error = run(path)

    assert error is None, output
    assert "Visits: 4 created, 0 updated, 0 unchanged, 0 rejected." in output
    assert sorted(Visit.objects.values_list("record_id", flat=True)) == ["1", "2", "3", "4"]


@pytest.mark.django_db
def test_an_import_is_recorded_in_the_history(travels_dir):
    run(travels_dir)

    for model, count in [(Visit, 4), (Delegation, 4), (Person, 2), (Organization, 1), (Source, 2)]:
        created = model.history.filter(history_type="+", history_change_reason="import_hsg")
        assert created.count() == count, model.__name__

    grouped = Visit.history.filter(history_change_reason="group_journeys").count()

    path = travels_dir / "secretary-travels" / "acheson-dean-gooderham.xml"
    path.write_text(path.read_text().replace("<locale>Paris</locale>", "<locale>Lyon</locale>", 1))
    run(travels_dir)

    visit = Visit.objects.get(record_id="3290")
    imported = visit.history.filter(history_change_reason="import_hsg")
    assert [(h.history_type, h.places) for h in imported] == [("~", "Lyon"), ("+", "Paris")]
    assert Visit.history.filter(history_type="~", history_change_reason="import_hsg").count() == 1
    # Grouping the journeys again found them as they were: no new history.
    assert Visit.history.filter(history_change_reason="group_journeys").count() == grouped
