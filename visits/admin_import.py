"""Importing visits from the admin (the visit CSV, the Office of the Historian's travels XML) and
exporting the visit changelist's rows as CSV, for editors who do not use a terminal.

An import takes two steps, and both run the commands' own code (CsvReader, HsgReader and
VisitWriter, in import_transaction(), failures worded by reported_failures()):

1. Upload and preview. The file is checked and imported in a transaction that is then rolled
   back (what `import_hsg --dry-run` does), so the preview's counts and rows are exactly what
   the import will do, and nothing is written. A CSV file with bad rows is refused with
   import_csv's "line N: reason" list; a file that cannot be read (not UTF-8, not well-formed
   XML, a NUL byte) with its one line.
2. Confirm. The file is checked and imported again, for real, in one transaction: all or
   nothing. The database may have changed since the preview, so nothing of it is reused.

Between the two steps the file waits in the editor's session (server-side, in the database;
at most MAX_UPLOAD bytes), never in the page. The confirming form sends back only the file's
SHA-256 digest, which must match the file waiting: what is imported is the file that was
previewed, whatever the browser sends, and a preview left open in another tab cannot import a
file uploaded since. (A signed hidden field would have sent the whole file to the browser and
back, under the 2.5 MB that Django accepts in a form's fields, and gained nothing.)

The imports follow the commands' rules (the same writer): a CSV row sets the visit of its slug
to the file's values, an XML record the visit of its dataset record, keeping an organization an
editor gave it; neither removes a source or a member. Unlike the commands, which keep the visits
an editor has changed unless told otherwise (--replace-edits), the admin's import sets them too,
because nothing is written unseen: the preview lists what changes in each visit to be updated,
from what to what, and the editor confirms.
"""

import hashlib
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.crypto import constant_time_compare

from .columns import VISITS, text
from .exports import stream_csv
from .importing.csvreader import CsvReader
from .importing.guard import ImportProblem, import_transaction, reported_failures
from .importing.hsg import HsgReader
from .importing.records import VisitWriter, dataset_records, in_chunks, people_summary
from .journeys import find_journeys
from .models import Country, Visit

MAX_UPLOAD = 5 * 1024 * 1024  # bytes of files an import takes (kept in the session meanwhile)
SESSION_KEY = "visits.admin_import"
ROWS_SHOWN = 500  # visits listed per table of the preview (the counts are always complete)

# What the preview compares for a visit to be updated: its column in the CSV, and the value.
COMPARED = {
    "slug": "slug",
    "title": "title",
    "kind": "kind",
    "guest": "guest_country__code",
    "host": "host_country__code",
    "start_date": "start_date",
    "end_date": "end_date",
    "places": "places",
    "summary": "summary",
    "head": "delegation__head__name",
    "head_office": "delegation__head_office",
    "organization": "delegation__organization__name",
    "dataset": "dataset",
    "record_id": "record_id",
}


# Uploads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """Uploaded files, as (name, bytes) pairs."""

    files: tuple

    @property
    def label(self):
        return ", ".join(name for name, _ in self.files)

    @cached_property
    def digest(self):
        """SHA-256 of the names and contents: what the confirming form sends back."""
        hashed = hashlib.sha256()
        for name, data in self.files:
            hashed.update(f"{len(name)}:{name}{len(data)}:".encode())
            hashed.update(data)
        return hashed.hexdigest()

    @classmethod
    def of(cls, uploaded):
        return cls(tuple((file.name, b"".join(file.chunks())) for file in uploaded))

    @contextmanager
    def paths(self):
        """The files written to a temporary directory (the readers read paths)."""
        with tempfile.TemporaryDirectory(prefix="admin-import-") as directory:
            paths = [Path(directory) / f"upload-{number}" for number in range(len(self.files))]
            for file, (_, data) in zip(paths, self.files, strict=True):
                file.write_bytes(data)
            yield paths


def stash(request, kind, upload):
    """Keep the previewed upload in the session, as text (which the session compresses well):
    bytes that are not UTF-8 become lone surrogates, which JSON keeps as escapes."""
    files = [[name, data.decode("utf-8", "surrogateescape")] for name, data in upload.files]
    request.session[SESSION_KEY] = {"kind": kind, "files": files}


def pending(request, kind):
    """The upload waiting for the editor's confirmation, or None."""
    stashed = request.session.get(SESSION_KEY)
    if not stashed or stashed.get("kind") != kind:
        return None
    files = stashed["files"]
    return Upload(tuple((name, text.encode("utf-8", "surrogateescape")) for name, text in files))


def forget(request):
    request.session.pop(SESSION_KEY, None)


# Forms -----------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files, as a list (the pattern of Django's "Uploading multiple files")."""

    def clean(self, data, initial=None):
        data = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in data]


class UploadForm(forms.Form):
    """The files of an import, up to MAX_UPLOAD bytes together."""

    command = ""  # the management command that takes larger files

    def clean_files(self):
        files = self.cleaned_data["files"]
        total = sum(file.size for file in files)
        if total > MAX_UPLOAD:
            raise ValidationError(
                f"The upload is {filesizeformat(total)}; the admin imports up to "
                f"{filesizeformat(MAX_UPLOAD)} at a time. Split the file, or ask for a larger "
                f"one to be imported with `manage.py {self.command}`."
            )
        return files


class CsvUploadForm(UploadForm):
    command = "import_csv"
    files = MultipleFileField(
        label="CSV file",
        help_text=(
            "UTF-8 text in the format of the visit export (the columns of visits.csv, header "
            f"first), up to {filesizeformat(MAX_UPLOAD)}."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )


class HsgUploadForm(UploadForm):
    command = "import_hsg"
    files = MultipleFileField(
        label="XML files",
        help_text=(
            "One or more files of the Office of the Historian's travels of the President and "
            "of the Secretary of State, or of its visits by foreign leaders, up to "
            f"{filesizeformat(MAX_UPLOAD)} together."
        ),
        widget=MultipleFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )


# Running an import -----------------------------------------------------------------------


@dataclass
class Row:
    """A visit in the preview: where it is in the file, its values, what changes."""

    where: str
    values: dict
    changes: list = field(default_factory=list)  # (column, from, to)


@dataclass
class Outcome:
    """What an import did, or would do (in a preview)."""

    problems: list = field(default_factory=list)  # when not empty, nothing was imported
    counts: dict = field(default_factory=dict)
    created: list = field(default_factory=list)  # Rows, the first ROWS_SHOWN
    updated: list = field(default_factory=list)
    rejected: list = field(default_factory=list)  # records the XML reader rejected
    notes: list = field(default_factory=list)  # lines of the commands' reports

    @property
    def summary(self):
        created, updated, unchanged = (self.counts[k] for k in ["created", "updated", "unchanged"])
        rejected = f", {len(self.rejected)} rejected" if self.rejected else ""
        return f"Visits: {created} created, {updated} updated, {unchanged} unchanged{rejected}."


@contextmanager
def named(label):
    """A problem with a file told with the name it was uploaded with (HsgReader is given
    the names; CsvReader knows only the temporary file)."""
    try:
        yield
    except ImportProblem as problem:
        if isinstance(problem.file, Path):  # the temporary file's path (CsvReader's)
            problem.file = label
        raise


def run(spec, upload, commit):
    """Import an upload in one transaction; without commit, do it all, note what it did, and
    roll it back."""
    outcome, key = Outcome(), spec.key
    reason = f"import_csv {upload.label}" if spec.name == "csv" else "import_hsg"  # as the commands
    try:
        with (
            upload.paths() as paths,
            reported_failures(upload.label),
            import_transaction(),
            named(upload.label),
        ):
            countries = {country.code: country for country in Country.objects.all()}
            names = [name for name, _ in upload.files]
            found = spec.read(countries, paths, names, outcome)
            if outcome.problems:
                return outcome
            records, places = found
            before = existing(records, key) if not commit else {}
            mark = Visit.history.aggregate(last=Max("history_id"))["last"] or 0
            writer = VisitWriter(countries, key=key, reason=reason)
            outcome.counts = writer.save(records)
            outcome.notes.append(people_summary(outcome.counts))
            if key == "record":
                outcome.notes.append(find_journeys().summary() + ".")
            if not commit:
                listed(outcome, mark, reason, before, places)
                transaction.set_rollback(True)
    except CommandError as error:
        outcome.problems = [str(error)]
    return outcome


def read_csv(countries, paths, names, outcome):
    """The records of a CSV file once every row is checked, and where each is (by slug)."""
    [path] = paths
    reader = CsvReader(countries, path)
    reader.check()
    if reader.error_count:
        outcome.problems = reader.messages
        return None
    # Each visit's line (a third reading: the reader keeps no rows).
    places = {reader.cells(row)["slug"]: (line, str(line)) for line, row in reader.data_rows()}
    return list(reader.records()), places


def read_hsg(countries, paths, names, outcome):
    """The records of XML files the reader accepted (those it rejected noted), and where each
    is (by dataset record)."""
    reader = HsgReader(countries)
    files = zip(paths, names, strict=True)
    records = list(chain.from_iterable(reader.read_file(p, label=name) for p, name in files))
    outcome.rejected = reader.rejected
    if reader.files_without_records:
        skipped = ", ".join(reader.files_without_records)
        outcome.notes.append(f"Files with no trips or visits, skipped: {skipped}.")
    places = {
        (r.dataset, r.record_id): (number, f"{r.dataset} {r.record_id}")
        for number, r in enumerate(records)
    }
    return records, places


def place_of(values, places):
    """(order, where) of a visit in the file: by slug (CSV) or by dataset record (XML)."""
    return places.get(values["slug"]) or places.get((values["dataset"], values["record_id"]))


def existing(records, key):
    """The compared values of the visits the records will update, by primary key."""
    visits = Visit.objects.values("pk", *COMPARED.values())
    if key == "slug":
        found = in_chunks(visits, "slug", {record.slug for record in records})
    else:
        found = dataset_records(visits, {(r.dataset, r.record_id) for r in records})
    return {values["pk"]: values for values in found}


def listed(outcome, mark, reason, before, places):
    """The visits the import created and updated (its history records since mark), in the
    order of the file, with what changed in those updated."""
    written = {}
    history = Visit.history.filter(history_id__gt=mark, history_change_reason=reason)
    for pk, kind in history.values_list("id", "history_type"):
        written[pk] = "+" if kind == "+" or written.get(pk) == "+" else kind
    after = in_chunks(Visit.objects.values("pk", *COMPARED.values()), "pk", written)
    rows = {"+": [], "~": []}
    for values in after:
        order, where = place_of(values, places) or (len(places), "")
        rows[written[values["pk"]]].append((order, Row(where, values, changes(before, values))))
    outcome.created = [row for _, row in sorted(rows["+"], key=lambda pair: pair[0])[:ROWS_SHOWN]]
    outcome.updated = [row for _, row in sorted(rows["~"], key=lambda pair: pair[0])[:ROWS_SHOWN]]


def changes(before, after):
    old = before.get(after["pk"])
    if old is None:
        return []
    return [
        (column, text(old[lookup]), text(after[lookup]))
        for column, lookup in COMPARED.items()
        if old[lookup] != after[lookup]
    ]


@dataclass(frozen=True)
class Format:
    """An import format: its form, its reader, its writer's key and its pages' words."""

    name: str
    title: str
    form: type
    read: Callable  # (countries, paths, names, outcome) -> (records, places) | None
    key: str  # VisitWriter's key
    where: str  # what the preview's first column gives


FORMATS = {
    "csv": Format("csv", "Import visits from CSV", CsvUploadForm, read_csv, "slug", "Line"),
    "hsg": Format(
        "hsg",
        "Import the Office of the Historian's XML",
        HsgUploadForm,
        read_hsg,
        "record",
        "Record",
    ),
}


# Views -----------------------------------------------------------------------------------


def can_import(model_admin, request):
    return model_admin.has_add_permission(request) and model_admin.has_change_permission(request)


def page(model_admin, request, template, status=200, **context):
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, **context}
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, template, context, status=status)


def upload_page(model_admin, request, spec, form=None, problems=(), status=200, file=""):
    """The upload form, with the problems of the file refused."""
    context = {"title": spec.title, "format": spec.name, "problems": list(problems), "file": file}
    template = "admin/visits/visit/import.html"
    return page(model_admin, request, template, status, form=form or spec.form(), **context)


def import_view(model_admin, request, name):
    """The upload form; its preview; the confirmation (or cancellation) of the preview."""
    if not can_import(model_admin, request):
        raise PermissionDenied
    spec = FORMATS[name]
    if request.method == "POST" and "digest" in request.POST:
        return confirm(model_admin, request, spec)
    form = spec.form(request.POST, request.FILES) if request.method == "POST" else spec.form()
    if not form.is_valid():
        return upload_page(model_admin, request, spec, form)
    upload = Upload.of(form.cleaned_data["files"])
    outcome = run(spec, upload, commit=False)
    if outcome.problems:
        return upload_page(model_admin, request, spec, None, outcome.problems, file=upload.label)
    stash(request, name, upload)
    context = {"format": name, "where": spec.where, "file": upload.label, "outcome": outcome}
    template = "admin/visits/visit/import_preview.html"
    return page(
        model_admin,
        request,
        template,
        title=f"{spec.title}: preview",
        digest=upload.digest,
        rows_shown=ROWS_SHOWN,
        **context,
    )


def confirm(model_admin, request, spec):
    upload = pending(request, spec.name)
    if upload is None or not constant_time_compare(upload.digest, request.POST["digest"]):
        problem = (
            "This preview is no longer the import waiting for confirmation (another file was "
            "uploaded since, or it was imported or cancelled already). Nothing was imported: "
            "upload the file again."
        )
        return upload_page(model_admin, request, spec, None, [problem], status=409)
    changelist = f"{model_admin.admin_site.name}:visits_visit_changelist"
    if "cancel" in request.POST:
        forget(request)
        model_admin.message_user(request, f"{upload.label}: nothing was imported.", messages.INFO)
        return redirect(changelist)
    outcome = run(spec, upload, commit=True)
    forget(request)
    if outcome.problems:
        return upload_page(model_admin, request, spec, None, outcome.problems, file=upload.label)
    level = messages.WARNING if outcome.rejected else messages.SUCCESS
    message = f"Imported {upload.label}. {outcome.summary} {' '.join(outcome.notes)}"
    if outcome.rejected:
        message += " Rejected records (not imported): " + "; ".join(map(str, outcome.rejected))
    model_admin.message_user(request, message, level)
    return redirect(changelist)


# Export ----------------------------------------------------------------------------------


def csv_response(request, queryset):
    """The visits as the site's export CSV (visits.exports), streamed."""
    rows = VISITS.rows(queryset, base_url=request.build_absolute_uri("/")[:-1])
    response = StreamingHttpResponse(
        stream_csv(VISITS, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="visits.csv"'
    return response


def export_view(model_admin, request):
    """Every visit the changelist's filters and search select (all its pages), in its order."""
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    try:
        changelist = model_admin.get_changelist_instance(request)
    except IncorrectLookupParameters as error:
        return HttpResponseBadRequest(
            f"The list's filters could not be used ({error or 'unknown filter'}); nothing was "
            "exported. Go back to the list and choose the filters again.",
            content_type="text/plain; charset=utf-8",
        )
    return csv_response(request, changelist.queryset)


@admin.action(description="Export the selected visits as CSV", permissions=["view"])
def export_selected(model_admin, request, queryset):
    return csv_response(request, queryset)


def urls(model_admin):
    """The import and export pages of the visit admin (for VisitAdmin.get_urls)."""

    def view(function, *args):
        return model_admin.admin_site.admin_view(
            lambda request: function(model_admin, request, *args)
        )

    return [
        path("import/", view(import_view, "csv"), name="visits_visit_import"),
        path("import/hsg/", view(import_view, "hsg"), name="visits_visit_import_hsg"),
        path("export.csv", view(export_view), name="visits_visit_export"),
    ]
