"""Every filtered list as CSV or JSON, with the same filters as the page.

Exports stream: rows are read from the database in chunks and written as they come, so a large
export never sits in memory. All pages of the list together, in the list's order; the `page`
parameter is ignored. Text cells that a spreadsheet would run as a formula are neutralised
(see visits.csvformat.neutralise). Control characters (tab, line feed and carriage return aside)
are taken out of every value, as they are from every record saved: old rows and raw SQL may
still hold some, and a spreadsheet or a JSON reader should not meet them."""

import csv
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import HttpResponseBadRequest, JsonResponse, StreamingHttpResponse

from .filters import AgreementFilter, MeetingFilter, VisitFilter
from .models import Agreement, Meeting, MeetingParticipant, Organization, Signatory, Visit
from .text import CONTROL_CHARACTERS, strip_controls

CHUNK = 2000


# A control character as json.dumps writes it (\u000b, \b, \f; tab, line feed and carriage
# return, written \t, \n and \r, are kept), or the one it leaves as it is (DEL). A backslash
# in the text may match too: the row is then only looked at more closely.
JSON_CONTROL = re.compile(r"\\(u00[01][0-9a-f]|[bf])|\x7f")


def without_controls(row):
    """The row with the control characters taken out of its values (lists' too)."""
    return {
        name: [strip_controls(item) for item in value]
        if isinstance(value, list)
        else strip_controls(value)
        for name, value in row.items()
    }


def joined(values):
    return "; ".join(value for value in values if value)


def meeting_rows(queryset, base_url=""):
    for meeting in queryset.iterator(chunk_size=CHUNK):
        yield {
            "slug": meeting.slug,
            "title": meeting.title,
            "kind": meeting.kind,
            "date": meeting.date.isoformat() if meeting.date else "",
            "date_precision": meeting.date_precision,
            "place": meeting.place,
            "country": meeting.country.code if meeting.country else "",
            "country_name": meeting.country.name if meeting.country else "",
            "host_organization": meeting.host_organization.name
            if meeting.host_organization
            else "",
            "body": meeting.body.name if meeting.body else "",
            "ordinal": str(meeting.ordinal) if meeting.ordinal else "",
            "visit": meeting.visit.slug if meeting.visit else "",
            "participants": [
                f"{p.person.name} ({p.office})" if p.office else p.person.name
                for p in meeting.participants.all()
            ],
            "summary": meeting.summary,
            "url": base_url + meeting.get_absolute_url(),
        }


def agreement_rows(queryset, base_url=""):
    for agreement in queryset.iterator(chunk_size=CHUNK):
        yield {
            "slug": agreement.slug,
            "title": agreement.title,
            "kind": agreement.kind,
            "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else "",
            "signed_precision": agreement.signed_precision,
            "signed_place": agreement.signed_place,
            "signed_country": agreement.signed_country.code if agreement.signed_country else "",
            "party_countries": [country.code for country in agreement.party_countries.all()],
            "party_organizations": [org.name for org in agreement.party_organizations.all()],
            "valid_from": agreement.valid_from.isoformat() if agreement.valid_from else "",
            "valid_until": agreement.valid_until.isoformat() if agreement.valid_until else "",
            "visit": agreement.visit.slug if agreement.visit else "",
            "meeting": agreement.meeting.slug if agreement.meeting else "",
            "signatories": [
                f"{s.person.name} ({s.office})" if s.office else s.person.name
                for s in agreement.signatories.all()
            ],
            "summary": agreement.summary,
            "url": base_url + agreement.get_absolute_url(),
        }


def visit_rows(queryset, base_url=""):
    from . import csvformat

    for row in csvformat.visit_rows(queryset, base_url=base_url):
        yield dict(zip(csvformat.VISIT_COLUMNS, row, strict=True))


@dataclass
class Export:
    name: str
    filterset_class: type
    columns: list
    queryset: Callable
    rows: Callable


@functools.cache
def exports():
    """The export of each list (built on first use)."""
    from . import csvformat

    return {
        "visits": Export(
            "visits",
            VisitFilter,
            csvformat.VISIT_COLUMNS,
            lambda: csvformat.export_queryset(Visit.objects.all()),
            visit_rows,
        ),
        "meetings": Export(
            "meetings",
            MeetingFilter,
            [
                "slug",
                "title",
                "kind",
                "date",
                "date_precision",
                "place",
                "country",
                "country_name",
                "host_organization",
                "body",
                "ordinal",
                "visit",
                "participants",
                "summary",
                "url",
            ],
            lambda: Meeting.objects.select_related(
                "country", "host_organization", "body", "visit"
            ).prefetch_related(
                Prefetch(
                    "participants",
                    queryset=MeetingParticipant.objects.select_related("person").order_by(
                        "role", "person__name"
                    ),
                )
            ),
            meeting_rows,
        ),
        "agreements": Export(
            "agreements",
            AgreementFilter,
            [
                "slug",
                "title",
                "kind",
                "signed_on",
                "signed_precision",
                "signed_place",
                "signed_country",
                "party_countries",
                "party_organizations",
                "valid_from",
                "valid_until",
                "visit",
                "meeting",
                "signatories",
                "summary",
                "url",
            ],
            lambda: Agreement.objects.select_related(
                "signed_country", "visit", "meeting"
            ).prefetch_related(
                "party_countries",
                Prefetch("party_organizations", queryset=Organization.objects.order_by("name")),
                Prefetch("signatories", queryset=Signatory.objects.select_related("person")),
            ),
            agreement_rows,
        ),
    }


class Echo:
    """A file-like object whose write() hands back what it was given (Django's CSV recipe)."""

    def write(self, value):
        return value


def csv_cell(value):
    from .csvformat import neutralise

    if isinstance(value, list):
        value = joined(value)
    return neutralise(value)


def stream_csv(export, rows):
    writer = csv.writer(Echo())
    yield "\ufeff"  # so that spreadsheets read the file as UTF-8
    yield writer.writerow(export.columns)
    for row in rows:
        line = writer.writerow([csv_cell(row[column]) for column in export.columns])
        if CONTROL_CHARACTERS.search(line):  # rare: look at each value only then
            row = without_controls(row)
            line = writer.writerow([csv_cell(row[column]) for column in export.columns])
        yield line


def stream_json(rows):
    yield "["
    first = True
    for row in rows:
        text = json.dumps(row, ensure_ascii=False)
        if JSON_CONTROL.search(text):  # rare: look at each value only then
            text = json.dumps(without_controls(row), ensure_ascii=False)
        yield ("\n" if first else ",\n") + text
        first = False
    yield "\n]\n"


def export(request, name, fmt):
    spec = exports()[name]
    filterset = spec.filterset_class(request.GET, queryset=spec.queryset(), request=request)
    if not filterset.is_valid():
        errors = {field: list(messages) for field, messages in filterset.form.errors.items()}
        if fmt == "json":
            return JsonResponse({"errors": errors}, status=400)
        lines = [f"{field}: {' '.join(messages)}" for field, messages in errors.items()]
        return HttpResponseBadRequest(
            "The filters could not be used:\n" + "\n".join(lines),
            content_type="text/plain; charset=utf-8",
        )
    base_url = request.build_absolute_uri("/")[:-1]
    rows = spec.rows(filterset.qs, base_url=base_url)
    if fmt == "json":
        response = StreamingHttpResponse(
            stream_json(rows), content_type="application/json; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            stream_csv(spec, rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
