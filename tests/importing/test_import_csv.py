"""The CSV format for visits: export, the formula guard, import_csv's checks, idempotence and the
round trip from the database to a file and back."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from tests.importing.csv_files import (
    HEADER,
    csv_line,
    export,
    run,
    snapshot,
    write_file,
)
from visits.csvformat import VISIT_COLUMNS, neutralise, restore, visit_rows
from visits.models import Delegation, Organization, Person, Source, Visit


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
    Delegation.objects.create(visit=visit, head=factories.person(), head_office="@SUM(A1:A2)")

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

    path = export(tmp_path / "visits.csv")
    output, err, error = run(path)

    assert error is None, err
    # Made here by hand (not by an import), the visits are kept as they are, without a look.
    assert "Visits: 0 created, 0 updated, 0 unchanged, 3 kept as an editor changed them." in output
    assert snapshot() == before
    # Told to replace them, the import compares each and finds nothing to change.
    replaced = io.StringIO()
    call_command("import_csv", str(path), "--replace-edits", stdout=replaced)
    assert "Visits: 0 created, 0 updated, 3 unchanged." in replaced.getvalue()
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
    assert (
        "People: 1 created; records naming a known person: 0 by the same name, 0 merged" in output
    )
    assert "New organizations: 2, sources: 1; sources updated: 0." in output
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
        csv_line(slug="headless", head="", head_office="Minister"),  # line 14
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
        "line 14: head_office needs the person who held it (head or head_slug)",
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
