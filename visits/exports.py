"""Every filtered list as CSV or JSON, with the same filters as the page.

Exports stream: rows are read from the database in chunks and written as they come, so a large
export never sits in memory. All pages of the list together, in the list's order; the `page`
parameter is ignored. Text cells that a spreadsheet would run as a formula are neutralised
(see visits.csvformat.neutralise). Control characters (tab, line feed and carriage return aside)
are taken out of every value, as they are from every record saved: old rows and raw SQL may
still hold some, and a spreadsheet or a JSON reader should not meet them."""

import csv
import json
import re
from dataclasses import dataclass

from django.http import HttpResponseBadRequest, JsonResponse, StreamingHttpResponse

from .columns import AGREEMENTS, MEETINGS, VISITS, Columns
from .csvformat import neutralise
from .filters import AgreementFilter, MeetingFilter, VisitFilter
from .listing import errors_as_text, filter_errors, filters_for
from .models import Agreement, Meeting, Visit
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


@dataclass(frozen=True)
class Export:
    """A list's export: its filters (the list's own), its records and their columns."""

    filterset_class: type
    model: type
    columns: Columns


EXPORTS = {
    "visits": Export(VisitFilter, Visit, VISITS),
    "meetings": Export(MeetingFilter, Meeting, MEETINGS),
    "agreements": Export(AgreementFilter, Agreement, AGREEMENTS),
}


class Echo:
    """A file-like object whose write() hands back what it was given (Django's CSV recipe)."""

    def write(self, value):
        return value


def csv_cell(value):
    if isinstance(value, list):
        value = joined(value)
    return neutralise(value)


def stream_csv(columns, rows):
    writer = csv.writer(Echo())
    yield "\ufeff"  # so that spreadsheets read the file as UTF-8
    yield writer.writerow(columns.names)
    for row in rows:
        line = writer.writerow([csv_cell(row[name]) for name in columns.names])
        if CONTROL_CHARACTERS.search(line):  # rare: look at each value only then
            row = without_controls(row)
            line = writer.writerow([csv_cell(row[name]) for name in columns.names])
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
    spec = EXPORTS[name]
    filterset = filters_for(spec.filterset_class, request, spec.model.objects.all())
    if not filterset.is_valid():
        errors = filter_errors(filterset)
        if fmt == "json":
            return JsonResponse({"errors": errors}, status=400)
        return HttpResponseBadRequest(
            "The filters could not be used:\n" + errors_as_text(errors),
            content_type="text/plain; charset=utf-8",
        )
    rows = spec.columns.rows(filterset.qs, base_url=request.build_absolute_uri("/")[:-1])
    if fmt == "json":
        response = StreamingHttpResponse(
            stream_json(rows), content_type="application/json; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            stream_csv(spec.columns, rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
