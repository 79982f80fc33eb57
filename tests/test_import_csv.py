"""The CSV format for visits: export, the formula guard, import_csv's checks, idempotence and the
round trip from the database to a file and back."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from visits.csvformat import VISIT_COLUMNS, neutralise, restore, visit_rows, write_visits
from visits.models import Delegation, Organization, Person, Source, Visit

HEADER = ",".join(VISIT_COLUMNS)


def csv_line(**cells):
    """One row in VISIT_COLUMNS order, with sensible defaults."""
    values = {
        "slug": "visit-a",
        "title": "A visit",
        "kind": "official",
        "guest": "AZ",
        "host": "UZ",
        "start_date": "2024-03-01",
        "end_date": "2024-03-02",
        **cells,
    }
    buffer = io.StringIO()
    csv.writer(buffer).writerow([values.get(name, "") for name in VISIT_COLUMNS])
    return buffer.getvalue()


def write_file(path, *lines, bom=False):
    path.write_text(("\ufeff" if bom else "") + HEADER + "\r\n" + "".join(lines), "utf-8")
    return path


def run(path):
    """Run import_csv: (stdout, stderr, the CommandError raised or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_csv", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def export(path, queryset=None):
    with path.open("w", encoding="utf-8", newline="") as stream:
        write_visits(stream, queryset or Visit.objects.all(), base_url="https://example.org")
    return path


def snapshot():
    """Every visit as plain values: what a round trip must give back."""
    visits = Visit.objects.select_related(
        "guest_country", "host_country", "delegation__head__country", "delegation__organization"
    ).prefetch_related("sources__publisher")
    result = {}
    for visit in visits:
        delegation = getattr(visit, "delegation", None)
        head = delegation.head if delegation else None
        organization = delegation.organization if delegation else None
        result[visit.slug] = {
            "title": visit.title,
            "kind": visit.kind,
            "guest": visit.guest_country.code,
            "host": visit.host_country.code,
            "start_date": visit.start_date,
            "end_date": visit.end_date,
            "places": visit.places,
            "summary": visit.summary,
            "dataset": visit.dataset,
            "record_id": visit.record_id,
            "head": (head.slug, head.name, head.country.code) if head else None,
            "head_office": delegation.head_office if delegation else None,
            "organization": (
                (organization.slug, organization.name, organization.classification)
                if organization
                else None
            ),
            "sources": [
                (
                    source.title,
                    source.publisher.slug,
                    source.publisher.name,
                    source.publisher.classification,
                    source.dateline,
                    source.published_on,
                    source.url,
                )
                for source in visit.sources.all()
            ],
        }
    return result


@pytest.fixture
def records(db):
    """Visits with delegations and sources, with the awkward values a CSV must carry."""
    azertac = Organization.objects.create(
        name="Azerbaijan State News Agency", slug="azertac", classification="news-agency"
    )
    ministry = Organization.objects.create(
        name="Prosecutor General’s Office",
        slug="prosecutor-general",
        classification="government-body",
        country=factories.country("AZ"),
    )
    head = Person.objects.create(
        name="Kamran Əliyev", slug="kamran-aliyev", country=factories.country("AZ")
    )
    first = factories.visit(
        guest="AZ",
        host="UZ",
        start=datetime.date(2025, 9, 24),
        end_date=datetime.date(2025, 9, 26),
        title="Prosecutor General Kamran Əliyev in Uzbekistan",
        kind=Visit.Kind.OFFICIAL,
        places="Tashkent, Samarkand",
        summary='Talks on cooperation, "legal aid", and extradition.\nSecond paragraph, too.',
    )
    Delegation.objects.create(
        visit=first, head=head, head_office="Prosecutor General", organization=ministry
    )
    first.sources.add(
        Source.objects.create(
            slug="azertac-2025-09-25",
            title="Azerbaijani Prosecutor General visits Uzbekistan",
            publisher=azertac,
            dateline="Baku",
            published_on=datetime.date(2025, 9, 25),
            url="https://azertag.az/en/xeber/example-3764512",
        )
    )
    second = factories.visit(
        guest="FR",
        host="DE",
        start=datetime.date(1963, 1, 22),
        title="Signing of the Élysée Treaty",
        kind=Visit.Kind.STATE,
        dataset="hsg-travels",
        record_id="42",
    )
    Delegation.objects.create(
        visit=second,
        head=Person.objects.create(
            name="Charles de Gaulle", slug="charles-de-gaulle", country=factories.country("FR")
        ),
        head_office="President",
    )
    second.sources.add(
        Source.objects.create(
            slug="archive-note",
            title="A note without a URL",
            publisher=Organization.objects.create(
                name="Archives nationales", slug="archives-nationales", classification="news-agency"
            ),
        )
    )
    factories.visit(guest="UZ", host="AZ", start=datetime.date(2024, 5, 1), title="Bare visit")
    return [first, second]


# The formula guard ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "guarded"),
    [
        (
            '=HYPERLINK("https://evil.example","click")',
            '\'=HYPERLINK("https://evil.example","click")',
        ),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("", ""),
        ("'quoted'", "'quoted'"),
        ("'=already", "''=already"),
        ("a=b", "a=b"),
    ],
)
def test_neutralise_and_restore(value, guarded):
    assert neutralise(value) == guarded
    assert restore(neutralise(value)) == value


@pytest.mark.django_db
def test_formulas_are_neutralised_on_export_and_restored_on_import(tmp_path):
    visit = factories.visit(
        title='=HYPERLINK("https://evil.example","click")',
        places="+1",
        summary="-1",
    )
    Delegation.objects.create(visit=visit, head_office="@SUM(A1:A2)")

    path = export(tmp_path / "visits.csv")
    [row] = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert row["title"] == '\'=HYPERLINK("https://evil.example","click")'
    assert (row["places"], row["summary"], row["head_office"]) == ("'+1", "'-1", "'@SUM(A1:A2)")

    Visit.objects.all().delete()
    _, err, error = run(path)

    assert error is None, err
    visit = Visit.objects.get()
    assert visit.title == '=HYPERLINK("https://evil.example","click")'
    assert (visit.places, visit.summary, visit.delegation.head_office) == (
        "+1",
        "-1",
        "@SUM(A1:A2)",
    )


# Export ---------------------------------------------------------------------------------


def test_the_columns_are_stable():
    assert HEADER == (
        "slug,title,kind,guest,guest_name,host,host_name,start_date,end_date,places,head,"
        "head_slug,head_office,organization,organization_slug,summary,source_title,"
        "source_publisher,source_publisher_slug,source_dateline,source_published_on,"
        "source_url,dataset,record_id,url"
    )


def test_a_row_holds_the_visit_its_delegation_and_first_source(records):
    records[0].sources.add(
        Source.objects.create(slug="zz-later", publisher=Organization.objects.get(slug="azertac"))
    )
    rows = {
        row[0]: dict(zip(VISIT_COLUMNS, row, strict=True))
        for row in visit_rows(Visit.objects.all(), base_url="https://example.org")
    }

    row = rows[records[0].slug]
    assert row["guest"] == "AZ"
    assert row["guest_name"] == "Azerbaijan"
    assert row["head"] == "Kamran Əliyev"
    assert row["organization_slug"] == "prosecutor-general"
    assert row["source_publisher_slug"] == "azertac"
    assert row["source_published_on"] == "2025-09-25"
    assert row["url"] == f"https://example.org/visits/{records[0].slug}/"
    assert row["end_date"] == "2025-09-26"
    bare = rows[Visit.objects.get(title="Bare visit").slug]
    assert bare["end_date"] == bare["head"] == bare["source_title"] == ""


def test_an_export_takes_a_fixed_number_of_queries(records, django_assert_num_queries):
    for number in range(20):
        factories.visit(
            title=f"More {number}", head=factories.person(), start=datetime.date(2001, 1, 1)
        ).sources.add(factories.source())

    with django_assert_num_queries(2):
        rows = list(visit_rows(Visit.objects.all()))
    assert len(rows) == 23


# Import ---------------------------------------------------------------------------------


def test_the_round_trip_gives_back_every_field(records, tmp_path):
    before = snapshot()
    path = export(tmp_path / "visits.csv")

    Visit.objects.all().delete()
    Source.objects.all().delete()
    Person.objects.all().delete()
    Organization.objects.all().delete()
    output, err, error = run(path)

    assert error is None, err
    assert "Visits: 3 created, 0 updated, 0 unchanged." in output
    assert snapshot() == before

    output, _, _ = run(path)
    assert "Visits: 0 created, 0 updated, 3 unchanged." in output


def test_importing_an_export_over_the_same_records_changes_nothing(records, tmp_path):
    before = snapshot()
    sources = Source.objects.count()

    output, err, error = run(export(tmp_path / "visits.csv"))

    assert error is None, err
    assert "Visits: 0 created, 0 updated, 3 unchanged." in output
    assert snapshot() == before
    assert Source.objects.count() == sources


@pytest.mark.django_db
def test_import_is_idempotent_and_counts_updates(tmp_path):
    lines = [
        csv_line(
            slug="visit-a",
            head="Jeyhun Bayramov",
            head_office="Minister of Foreign Affairs",
            organization="Ministry of Foreign Affairs",
            source_title="Talks in Tashkent",
            source_publisher="Trend",
            source_url="https://en.trend.az/example",
        ),
        csv_line(slug="visit-b", title="Another", start_date="2024-04-01", end_date=""),
    ]
    path = write_file(tmp_path / "visits.csv", *lines)

    output, err, error = run(path)
    assert error is None, err
    assert "Visits: 2 created, 0 updated, 0 unchanged." in output
    assert "New people: 1, organizations: 2, sources: 1; sources updated: 0." in output
    visit = Visit.objects.get(slug="visit-a")
    assert visit.delegation.head.slug == "jeyhun-bayramov"
    assert visit.delegation.organization.classification == "government-body"
    assert visit.sources.get().publisher.classification == "news-agency"
    assert Visit.objects.get(slug="visit-b").kind == "official"

    output, _, _ = run(path)
    assert "Visits: 0 created, 0 updated, 2 unchanged." in output

    lines[1] = csv_line(
        slug="visit-b", title="Another, renamed", start_date="2024-04-01", end_date=""
    )
    output, _, _ = run(write_file(path, *lines))
    assert "Visits: 0 created, 1 updated, 1 unchanged." in output
    assert Visit.objects.get(slug="visit-b").title == "Another, renamed"
    assert (Visit.objects.count(), Person.objects.count(), Source.objects.count()) == (2, 1, 1)


@pytest.mark.django_db
def test_a_file_with_a_bom_is_read(tmp_path):
    _, err, error = run(write_file(tmp_path / "visits.csv", csv_line(), bom=True))

    assert error is None, err
    assert Visit.objects.filter(slug="visit-a").exists()


@pytest.mark.django_db
def test_bad_rows_are_reported_by_line_and_nothing_is_imported(tmp_path):
    path = write_file(
        tmp_path / "visits.csv",
        csv_line(slug="good", summary="A summary\nover two lines"),  # lines 2-3
        csv_line(slug="no-title", title=""),  # line 4
        csv_line(slug="bad-country", guest="QQ"),  # line 5
        csv_line(slug="bad-date", start_date="2024-02-30"),  # line 6
        csv_line(slug="backwards", start_date="2024-03-05", end_date="2024-03-01"),  # line 7
        csv_line(slug="same", guest="UZ"),  # line 8
        csv_line(slug="bad-kind", kind="holiday"),  # line 9
        csv_line(slug="not a slug"),  # line 10
        csv_line(slug="good"),  # line 11
        "too,few,fields\r\n",  # line 12
        csv_line(slug="ghost", head_slug="nobody"),  # line 13
    )

    _, err, error = run(path)

    assert error is not None
    assert error.returncode == 1
    assert "nothing was imported" in str(error)
    assert err.splitlines() == [
        "line 4: title is required",
        "line 5: unknown guest country code 'QQ'",
        "line 6: start_date '2024-02-30' is not a date (YYYY-MM-DD)",
        "line 7: end_date 2024-03-01 is before start_date 2024-03-05",
        "line 8: guest and host are the same country",
        "line 9: unknown kind 'holiday' (one of state, official, official-working, working, "
        "private, other, unspecified)",
        "line 10: slug 'not a slug' is not a slug (letters, digits, - and _)",
        "line 11: slug 'good' is already on line 2",
        "line 12: expected 25 fields, found 3",
        "line 13: no person 'nobody', and head is empty",
    ]
    assert Visit.objects.count() == Person.objects.count() == 0


@pytest.mark.django_db
def test_a_wrong_header_is_reported_on_line_one(tmp_path):
    path = tmp_path / "visits.csv"
    path.write_text("slug,title,colour\r\nx,y,z\r\n", encoding="utf-8")

    _, err, error = run(path)

    assert error is not None
    assert err.startswith("line 1: missing columns: kind, guest,")
    assert "line 1: unknown columns: colour" in err


@pytest.mark.django_db
def test_a_dataset_record_of_another_visit_is_refused(tmp_path):
    taken = factories.visit(dataset="hsg-travels", record_id="3290")
    path = write_file(
        tmp_path / "visits.csv", csv_line(slug="other", dataset="hsg-travels", record_id="3290")
    )

    _, err, error = run(path)

    assert error is not None
    assert f"line 2: dataset 'hsg-travels' record '3290' belongs to the visit '{taken.slug}'" in err


@pytest.mark.django_db
def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "visits.csv"
    path.write_bytes((HEADER + "\r\n").encode() + csv_line(title="Café").encode("latin-1"))

    with pytest.raises(CommandError, match="is not UTF-8"):
        call_command("import_csv", str(path), stdout=io.StringIO())


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
