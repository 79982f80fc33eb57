"""The import commands never overwrite an editor's work: a visit changed by hand (the admin, a
restore, a shell) is kept as it is, and listed, unless --replace-edits is given. A visit that
only imports have written is updated as before."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from tests.importing.csv_files import csv_line, write_file
from tests.importing.csv_files import run as run_csv
from tests.importing.hsg_files import row_counts
from tests.importing.hsg_files import run as run_hsg
from visits.importing.records import VisitWriter
from visits.models import Delegation, Person, Visit

pytestmark = pytest.mark.django_db

ACHESON = "secretary-travels/acheson-dean-gooderham.xml"


def edit_in_the_file(travels_dir, old, new):
    path = travels_dir / ACHESON
    path.write_text(path.read_text().replace(old, new, 1))


def test_a_visit_an_editor_changed_is_kept_by_the_next_import_hsg(travels_dir):
    run_hsg(travels_dir)
    visit = Visit.objects.get(record_id="3290")
    visit.places = "Paris, Versailles"  # an editor's correction
    visit.save()
    edit_in_the_file(travels_dir, "<locale>Paris</locale>", "<locale>Lyon</locale>")
    before = row_counts()

    output, error = run_hsg(travels_dir)

    assert error is None
    assert "Visits: 0 created, 0 updated, 3 unchanged, 1 kept as an editor changed them" in output
    assert f"Kept as an editor changed them (the file differs or may differ): {visit.slug}." in (
        output
    )
    assert "--replace-edits" in output
    assert Visit.objects.get(record_id="3290").places == "Paris, Versailles"
    assert row_counts() == before


def test_replace_edits_takes_the_files_values(travels_dir):
    run_hsg(travels_dir)
    visit = Visit.objects.get(record_id="3290")
    visit.places = "Paris, Versailles"
    visit.save()

    output = io.StringIO()
    call_command("import_hsg", str(travels_dir), "--replace-edits", stdout=output)

    assert "Visits: 0 created, 1 updated, 3 unchanged, 0 rejected." in output.getvalue()
    assert Visit.objects.get(record_id="3290").places == "Paris"


def test_a_change_to_the_delegation_alone_keeps_the_visit(travels_dir):
    run_hsg(travels_dir)
    delegation = Delegation.objects.get(visit__record_id="3291")
    delegation.head_office = "Secretary of State of the United States"
    delegation.save()

    output, _ = run_hsg(travels_dir)

    assert "1 kept as an editor changed them" in output
    assert Delegation.objects.get(pk=delegation.pk).head_office == (
        "Secretary of State of the United States"
    )


def test_visits_written_by_imports_only_are_updated(travels_dir):
    run_hsg(travels_dir)
    edit_in_the_file(travels_dir, "<locale>Paris</locale>", "<locale>Lyon</locale>")

    output, _ = run_hsg(travels_dir)

    assert "Visits: 0 created, 1 updated, 3 unchanged, 0 rejected." in output
    assert "kept" not in output.split("People:")[0]


def test_import_csv_keeps_a_visit_an_editor_changed(tmp_path):
    path = write_file(tmp_path / "visits.csv", csv_line(slug="visit-a", title="A visit"))
    run_csv(path)
    visit = Visit.objects.get(slug="visit-a")
    visit.title = "A visit, as the editor corrected it"
    visit.save()
    write_file(path, csv_line(slug="visit-a", title="A visit, from an old export"))

    output, _, error = run_csv(path)

    assert error is None
    assert "Visits: 0 created, 0 updated, 0 unchanged, 1 kept as an editor changed them." in output
    assert "visit-a" in output
    assert Visit.objects.get(slug="visit-a").title == "A visit, as the editor corrected it"

    call_command("import_csv", str(path), "--replace-edits", stdout=io.StringIO())
    assert Visit.objects.get(slug="visit-a").title == "A visit, from an old export"


def test_a_csv_import_over_a_csv_import_updates(tmp_path):
    path = write_file(tmp_path / "visits.csv", csv_line(slug="visit-a", title="First"))
    run_csv(path)
    write_file(path, csv_line(slug="visit-a", title="Second"))

    output, _, _ = run_csv(path)

    assert "Visits: 0 created, 1 updated, 0 unchanged." in output
    assert Visit.objects.get(slug="visit-a").title == "Second"


def test_a_kept_visit_gets_no_new_person_or_member(tmp_path):
    path = write_file(tmp_path / "visits.csv", csv_line(slug="visit-a", head="", head_office=""))
    run_csv(path)
    visit = Visit.objects.get(slug="visit-a")
    visit.summary = "Written by an editor."
    visit.save()
    people = Person.objects.count()
    write_file(
        path, csv_line(slug="visit-a", head="Someone New", head_slug="someone-new", head_office="")
    )

    output, _, error = run_csv(path)

    assert error is None, output
    assert "1 kept" in output
    assert Person.objects.count() == people
    assert not Delegation.objects.filter(visit=visit).exists()


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="on SQLite an import holds the one write lock from its start (BEGIN IMMEDIATE); "
    "SQLite's in-memory test database makes a second writer fail at once instead of waiting",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_edit_saved_while_an_import_runs_is_not_overwritten(travels_dir, monkeypatch):
    """An editor saves a visit after the import has looked for edits and before it writes: the
    save waits until the import has committed, then stands. (Before, the import's update went
    over it: the editor's correction was lost without a word.)"""
    run_hsg(travels_dir)
    edit_in_the_file(travels_dir, "<locale>Paris</locale>", "<locale>Lyon</locale>")
    pk = Visit.objects.get(record_id="3290").pk
    saved, editors, waited = threading.Event(), [], []

    def edit():
        try:
            visit = Visit.objects.get(pk=pk)
            visit.places = "Paris, Versailles"
            visit.save()
            saved.set()
        finally:
            connection.close()

    look_for_edits = VisitWriter.without_edited

    def then_an_editor_saves(writer, batch):
        left = look_for_edits(writer, batch)
        if any(record.record_id == "3290" for record in batch):
            editors.append(threading.Thread(target=edit))
            editors[-1].start()
            waited.append(not saved.wait(1))
        return left

    monkeypatch.setattr(VisitWriter, "without_edited", then_an_editor_saves)
    output, error = run_hsg(travels_dir)
    for editor in editors:
        editor.join(10)

    assert error is None
    assert "Visits: 0 created, 1 updated, 3 unchanged, 0 rejected." in output
    assert waited == [True], "the editor's save went through while the import was running"
    assert saved.is_set()
    assert Visit.objects.get(pk=pk).places == "Paris, Versailles"
