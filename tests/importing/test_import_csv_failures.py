"""import_csv with files that cannot be read, over-long values, control characters, many
rows; its history and its progress."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from tests.importing.csv_files import (
    HEADER,
    csv_line,
    run,
    snapshot,
    write_file,
)
from visits.models import Delegation, Organization, Person, Source, Visit

# Files that cannot be read, control characters, history, memory ------------------------


def existing_visit():
    """A visit already in the database, as plain values: a failed import must leave it so."""
    visit = factories.visit(title="Already here")
    return visit, snapshot()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            (HEADER + "\r\n").encode() + csv_line().encode() + b"x,\x00\r\n",
            "line 3: a NUL byte: this is not a text file; nothing was imported.",
        ),
        (
            (HEADER + "\r\n" + csv_line()).encode() + csv_line(title="Café").encode("latin-1"),
            "line 3: the file is not UTF-8 text (byte 0xE9); save it as UTF-8 and try again; "
            "nothing was imported.",
        ),
        (
            (HEADER + "\r\n" + csv_line() + csv_line(summary="x" * 200_000)).encode(),
            "line 3: a cell is longer than 131,072 characters, the most a CSV cell may hold "
            "here; nothing was imported.",
        ),
    ],
    ids=["NUL byte", "not UTF-8", "cell over the csv module's limit"],
)
def test_a_file_that_cannot_be_read_is_one_line_naming_the_file_and_line(
    tmp_path, content, message
):
    _, before = existing_visit()
    path = tmp_path / "visits.csv"
    path.write_bytes(content)

    _, err, error = run(path)

    assert error is not None
    assert error.returncode == 1
    assert str(error) == f"{path}, {message}"
    assert err == ""
    assert snapshot() == before


@pytest.mark.django_db
def test_a_value_longer_than_its_field_is_a_bad_row_and_nothing_is_imported(tmp_path):
    _, before = existing_visit()
    path = write_file(
        tmp_path / "visits.csv",
        csv_line(slug="fine"),
        csv_line(slug="long-title", title="x" * 301),
        csv_line(slug="long-office", head="Someone", head_office="y" * 201),
        csv_line(
            slug="long-url", source_publisher="Trend", source_url="https://e.org/" + "z" * 490
        ),
    )

    _, err, error = run(path)

    assert error is not None
    assert error.returncode == 1
    assert str(error) == f"3 problems in {path} (listed above); nothing was imported."
    assert err.splitlines() == [
        "line 3: title is over 300 characters",
        "line 4: head_office is over 200 characters",
        "line 5: source_url is over 500 characters",
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.csv: No such file or directory\.$"):
        call_command("import_csv", str(tmp_path / "missing.csv"), stdout=io.StringIO())


@pytest.mark.django_db
def test_control_characters_are_taken_out_of_cells_but_tabs_and_newlines_kept(tmp_path):
    path = write_file(
        tmp_path / "visits.csv",
        csv_line(
            slug="visit-\x0ba",
            title="Talks\x0b in\x1f Tashkent\x7f",
            summary="One\tline\r\nand\x08 another\x0c",
            head="Kamran\x1b Aliyev",
            places="\x0b=1+1",
        ),
    )

    _, err, error = run(path)

    assert error is None, err
    visit = Visit.objects.get()
    assert (visit.slug, visit.title) == ("visit-a", "Talks in Tashkent")
    assert visit.summary == "One\tline\r\nand another"
    assert visit.places == "=1+1"
    assert visit.delegation.head.name == "Kamran Aliyev"
    assert visit.delegation.head.slug == "kamran-aliyev"


@pytest.mark.django_db
def test_an_import_is_recorded_in_the_history_with_its_file_as_the_reason(tmp_path):
    cells = {
        "head": "Jeyhun Bayramov",
        "organization": "Ministry of Foreign Affairs",
        "source_title": "Talks in Tashkent",
        "source_publisher": "Trend",
        "source_url": "https://en.trend.az/example",
    }
    path = write_file(tmp_path / "visits.csv", csv_line(**cells))

    _, err, error = run(path)

    assert error is None, err
    reason = "import_csv visits.csv"
    visit = Visit.objects.get()
    for model, count in [(Visit, 1), (Delegation, 1), (Person, 1), (Organization, 2), (Source, 1)]:
        created = model.history.filter(history_type="+", history_change_reason=reason)
        assert created.count() == count, model.__name__
    assert visit.history.get().title == "A visit"

    write_file(path, csv_line(title="A visit, renamed", **cells))
    _, err, error = run(path)

    assert error is None, err
    assert [(h.history_type, h.title, h.history_change_reason) for h in visit.history.all()] == [
        ("~", "A visit, renamed", reason),
        ("+", "A visit", reason),
    ]


@pytest.mark.django_db
def test_repeated_dataset_records_are_found_among_many_rows(tmp_path):
    lines = [csv_line(slug=f"visit-{n}", dataset="d", record_id=str(n)) for n in range(3000)]
    lines.append(csv_line(slug="visit-again", dataset="d", record_id="1234"))
    lines.append(csv_line(slug="visit-2999", dataset="d", record_id="x"))

    _, err, error = run(write_file(tmp_path / "visits.csv", *lines))

    assert error is not None
    assert err.splitlines() == [
        "line 3002: dataset and record_id already on line 1236",
        "line 3003: slug 'visit-2999' is already on line 3001",
    ]
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_a_thousand_bad_rows_are_listed_and_the_rest_counted(tmp_path):
    lines = [csv_line(slug=f"visit-{n}", guest="QQ") for n in range(1005)]

    _, err, error = run(write_file(tmp_path / "visits.csv", *lines))

    assert "1005 problems" in str(error)
    listed = err.splitlines()
    assert len(listed) == 1001
    assert listed[0] == "line 2: unknown guest country code 'QQ'"
    assert listed[999] == "line 1001: unknown guest country code 'QQ'"
    assert listed[-1] == "... and 5 more"


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
def test_the_progress_of_checking_and_saving_is_drawn_on_a_terminal(tmp_path):
    path = write_file(tmp_path / "visits.csv", *[csv_line(slug=f"v-{n}") for n in range(3)])
    terminal = Terminal()

    call_command("import_csv", str(path), stdout=terminal)

    size = path.stat().st_size / 1000
    assert f"\rChecking [{'#' * 30}] {size:.1f}/{size:.1f} kB\n" in terminal.getvalue()
    assert f"\rSaving [{'#' * 30}] 3/3\n" in terminal.getvalue()
