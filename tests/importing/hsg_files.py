"""Helpers for the import tests of test_import_hsg.py."""

import io
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from visits.models import Delegation, Organization, Person, Source, Visit

SHARED_DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
TRAVELS = Path(settings.BASE_DIR) / "fixtures" / "hsg" / "travels"  # the project's own copy
SAMPLE = SHARED_DATA / "hsg-visits-sample"
needs_travels = pytest.mark.skipif(
    not TRAVELS.is_dir(), reason=f"the shared HSG travels data is not at {TRAVELS}"
)
needs_sample = pytest.mark.skipif(
    not SAMPLE.is_dir(), reason=f"the shared HSG visits sample is not at {SAMPLE}"
)


def trip(record_id, country=("france", "France"), start="1949-05-20", end="1949-06-20", **fields):
    fields = {
        "role": "secretary",
        "who": "acheson-dean-gooderham",
        "name": "Dean Gooderham Acheson",
        "locale": "Paris",
        "remarks": "Attended 6th Session of the Council of Foreign Ministers.",
        **fields,
    }
    return (
        f'<trip role="{fields["role"]}" who="{fields["who"]}"><id>{record_id}</id>'
        f"<role>{fields['role']}</role><name>{escape(fields['name'])}</name>"
        f"<start-date>{start}</start-date><end-date>{end}</end-date>"
        f'<country id="{country[0]}">{escape(country[1])}</country>'
        f"<locale>{escape(fields['locale'])}</locale>"
        f"<remarks>{escape(fields['remarks'])}</remarks>"
        "<created-by>test</created-by></trip>"
    )


def foreign_visit(record_id, visitor, country, description, start="2020-01-07", end="2020-01-07"):
    return (
        f"<visit><id>{record_id}</id><start-date>{start}</start-date><end-date>{end}</end-date>"
        f"<visitor>{escape(visitor)}</visitor>"
        f'<from id="{country[0]}">{escape(country[1])}</from>'
        f"<description>{description}</description></visit>"
    )


def write(path, root, *elements):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>{"".join(elements)}</{root}>',
        encoding="utf-8",
    )
    return path


def run(*paths, dry_run=False):
    """Run the command; its output and the CommandError it raised, if any."""
    out = io.StringIO()
    args = [str(path) for path in paths] + (["--dry-run"] if dry_run else [])
    try:
        call_command("import_hsg", *args, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in [Visit, Delegation, Person, Source, Organization, Visit.sources.through]
    }


PROJECT_TRAVELS = Path(settings.BASE_DIR) / "fixtures" / "hsg" / "travels"


def read_records(*paths):
    """The records HsgReader reads from the files (countries from the database), and the
    reader, with what it rejected."""
    from visits.importing.hsg import HsgReader
    from visits.models import Country

    reader = HsgReader({country.code: country for country in Country.objects.all()})
    return list(reader.read([Path(path) for path in paths])), reader
