"""Helpers for the import tests of test_import_csv.py."""

import csv
import io

from django.core.management import CommandError, call_command

from visits.csvformat import VISIT_COLUMNS, write_visits
from visits.models import Visit

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
