"""No silent overwrite: an admin form refuses to save a record that changed after it was opened.

A change form carries, in a hidden input, a signed fingerprint of the record as it was shown: a
short hash of each of its fields (many-to-many fields as the ids they hold) and of each row of
every inline on the page, nested ones too (a meeting's participants on its visit's page). On a
save the fingerprint is computed again from the database, with the rows locked until the save
ends; when it differs, the form gets an error naming who changed the record, when and what,
Django re-renders it with the editor's input, and the new fingerprint goes into the hidden
input: saving again is then a deliberate choice to keep one's own version.
"""

import hashlib
import json
from datetime import datetime, timedelta

from django.contrib.admin.utils import unquote
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.text import Truncator
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

FINGERPRINT_FIELD = "_fingerprint"
SALT = "visits.admin.fingerprint"
HASH_LENGTH = 10
# A change saved this long before the form was opened may still have been committed after it.
SLACK = timedelta(seconds=10)
MOST_DETAILS = 6


def record_fields(model, without=None, many_to_many=True):
    """The fields an editor can change: concrete ones, then many-to-many ones."""
    concrete = [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field != without
    ]
    if not many_to_many:
        return concrete
    return concrete + [field for field in model._meta.many_to_many if field.editable]


def field_value(obj, field):
    if field.many_to_many:
        return sorted(getattr(obj, field.name).order_by().values_list("pk", flat=True))
    return field.value_from_object(obj)


def digest(obj, fields):
    """One short hash per field, joined: the fields that changed can be told apart."""
    hashes = []
    for field in fields:
        text = json.dumps(field_value(obj, field), default=str, sort_keys=True)
        hashes.append(hashlib.sha256(text.encode()).hexdigest()[:HASH_LENGTH])
    return "".join(hashes)


def changed_fields(old, new, fields):
    if len(old) != len(new):
        return list(fields)
    return [
        field
        for index, field in enumerate(fields)
        if old[index * HASH_LENGTH : (index + 1) * HASH_LENGTH]
        != new[index * HASH_LENGTH : (index + 1) * HASH_LENGTH]
    ]


def shown(obj, field):
    """A saved value as the form shows it: “Paris”, or empty."""
    if field.many_to_many:
        text = ", ".join(str(item) for item in getattr(obj, field.name).all())
    elif field.choices:
        text = str(getattr(obj, f"get_{field.name}_display")())
    elif field.is_relation:
        related = getattr(obj, field.name)
        text = "" if related is None else str(related)
    else:
        value = field.value_from_object(obj)
        if value is None:
            text = ""
        elif hasattr(value, "isoformat"):
            text = date_format(value, "j F Y")
        else:
            text = str(value)
    return f"“{Truncator(text).chars(80)}”" if text else "empty"


class InlineRows:
    """The rows an inline shows for a record: each with the hash of its fields."""

    def __init__(self, inline, request, parent, lock):
        formset = inline.get_formset(request, parent)
        self.inline = inline
        self.parent = parent
        self.prefix = formset.get_default_prefix()
        self.fk = formset.fk
        # An inline shows no many-to-many field: a row is its own columns (one query per inline).
        self.fields = record_fields(inline.model, without=self.fk, many_to_many=False)
        rows = inline.get_queryset(request).filter(**{self.fk.name: parent}).order_by("pk")
        if lock:
            rows = rows.select_for_update(of=("self",))
        self.rows = {str(row.pk): row for row in rows}
        self.digests = {pk: digest(row, self.fields) for pk, row in self.rows.items()}

    @property
    def single(self):
        return self.fk.one_to_one or self.inline.max_num == 1

    def label(self, row):
        name = self.inline.model._meta.verbose_name
        return f"the {name}" if self.single else f"the {name} “{row}”"

    def removed_label(self, pk):
        name = self.inline.model._meta.verbose_name
        if self.single:
            return f"the {name}"
        try:
            history = get_history_model_for_model(self.inline.model)
        except NotHistoricalModelError:
            return f"a {name}"
        record = history.objects.filter(**{self.inline.model._meta.pk.attname: pk}).first()
        return f"the {name} “{record.instance}”" if record else f"a {name}"

    def differences(self, old):
        """What changed in these rows since the form showed them (old: pk -> digest)."""
        name = self.inline.model._meta.verbose_name
        found = []
        for pk, row in self.rows.items():
            if pk not in old:
                found.append(
                    f"{self.label(row)} was added"
                    if self.single
                    else f"a {name} was added: “{row}”"
                )
                continue
            for field in changed_fields(old[pk], self.digests[pk], self.fields):
                found.append(
                    f"in {self.label(row)}, the {field.verbose_name} is now {shown(row, field)}"
                )
        found.extend(f"{self.removed_label(pk)} was removed" for pk in old if pk not in self.rows)
        return found


def inline_rows(admin, request, parent, lock, prefix=""):
    """The rows of every inline of `admin` for `parent`, and of the inlines nested in them (a
    visit's meetings, and each meeting's participants), each set under a prefix of its own."""
    found = []
    for inline in admin.get_inline_instances(request, parent):
        rows = InlineRows(inline, request, parent, lock)
        rows.prefix = f"{prefix}{rows.prefix}"
        found.append(rows)
        if getattr(inline, "inlines", None):  # django-nested-admin's sections
            for pk, row in rows.rows.items():
                found += inline_rows(inline, request, row, lock, f"{rows.prefix}-{pk}-")
    return found


class Snapshot:
    """A record as it is in the database now, with the rows of its inlines."""

    def __init__(self, model_admin, request, object_id, lock=False):
        model = model_admin.model
        records = model._base_manager.order_by()
        if lock:
            records = records.select_for_update(of=("self",))
        self.model = model
        self.pk = object_id
        self.obj = records.filter(pk=object_id).first()
        self.fields = record_fields(model)
        self.inlines = []
        self.state = {"record": "", "inlines": {}}
        if self.obj is not None:
            self.inlines = inline_rows(model_admin, request, self.obj, lock)
            self.state = {
                "record": digest(self.obj, self.fields),
                "inlines": {rows.prefix: rows.digests for rows in self.inlines},
            }

    def differences(self, old):
        if self.obj is None:
            return [f"the {self.model._meta.verbose_name} has been deleted"]
        found = [
            f"the saved {field.verbose_name} is now {shown(self.obj, field)}"
            for field in changed_fields(old["record"], self.state["record"], self.fields)
        ]
        for rows in self.inlines:
            found.extend(rows.differences(old["inlines"].get(rows.prefix, {})))
        return found

    def latest_change(self, since):
        """The newest history record of the record or of its inline rows since a moment."""
        candidates = []
        queries = [(self.model, {self.model._meta.pk.attname: self.pk})]
        queries += [(rows.inline.model, {rows.fk.attname: rows.parent.pk}) for rows in self.inlines]
        for model, lookup in queries:
            try:
                history = get_history_model_for_model(model)
            except NotHistoricalModelError:
                continue
            record = (
                history.objects.filter(history_date__gte=since, **lookup)
                .select_related("history_user")
                .order_by("-history_date", "-history_id")
                .first()
            )
            if record is not None:
                candidates.append(record)
        return max(candidates, key=lambda record: record.history_date, default=None)


def fingerprint(snapshot):
    return signing.dumps(
        {"opened": timezone.now().isoformat(), "state": snapshot.state},
        salt=SALT,
        compress=True,
    )


def read_fingerprint(value):
    try:
        opened = signing.loads(value, salt=SALT)
        return {
            "opened": datetime.fromisoformat(opened["opened"]),
            "state": opened["state"],
        }
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def author(record, request):
    user = record.history_user
    if user is None:
        reason = record.history_change_reason
        return f"an import or a command ({reason})" if reason else "an import or a command"
    if user.pk == request.user.pk:
        return "you, in another window or tab,"
    return user.get_username()


def conflict_message(snapshot, opened, request):
    """The error a refused form shows: who changed the record, when, and what is saved now."""
    name = snapshot.model._meta.verbose_name
    record = snapshot.latest_change(opened["opened"] - SLACK)
    if record is None:
        said = f"This {name} was changed after you opened it"
    else:
        when = timezone.localtime(record.history_date)
        said = (
            f"This {name} was changed by {author(record, request)} on "
            f"{date_format(when, 'j F Y')} at {time_format(when, 'H:i')} {when.tzname()} "
            "after you opened it"
        )
    details = snapshot.differences(opened["state"])
    if len(details) > MOST_DETAILS:
        more = len(details) - MOST_DETAILS + 1
        details = [*details[: MOST_DETAILS - 1], f"and {more} other changes"]
    check = f"Check the form ({'; '.join(details)})" if details else "Check the form"
    return f"{said}; your changes were not saved. {check}, then save again to keep your version."


def refusing(form_class, message):
    """The form class, with an error that stops the save and keeps the editor's input."""

    class RefusingForm(form_class):
        def clean(self):
            cleaned_data = super().clean()
            self.add_error(None, ValidationError(message, code="changed-meanwhile"))
            return cleaned_data

    RefusingForm.__name__ = form_class.__name__
    return RefusingForm


class EditGuardMixin:
    """For a ModelAdmin (with simple-history's SimpleHistoryAdmin): its change form and its
    revert form refuse to save a record that changed since they were opened."""

    def edit_fingerprint(self, request, object_id):
        return fingerprint(Snapshot(self, request, object_id))

    def edit_conflict(self, request, object_id):
        """The error for a save of this record, or None when it may go ahead. Locks the record
        and its inline rows (PostgreSQL) until the transaction ends; once per request."""
        conflicts = request.__dict__.setdefault("_edit_conflicts", {})
        key = (self.opts.label, str(object_id))
        if key not in conflicts:
            snapshot = Snapshot(self, request, object_id, lock=True)
            opened = read_fingerprint(request.POST.get(FINGERPRINT_FIELD, ""))
            if opened is None:
                conflicts[key] = (
                    f"Your changes were not saved: this form did not say which version of the "
                    f"{self.opts.verbose_name} it was opened on (it may be from before an "
                    "update of the site). Check the form, then save again to keep your version."
                )
            elif opened["state"] == snapshot.state:
                conflicts[key] = None
            else:
                conflicts[key] = conflict_message(snapshot, opened, request)
        return conflicts[key]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if request.method != "POST" or obj is None or obj.pk is None:
            return form_class
        message = self.edit_conflict(request, obj.pk)
        return form_class if message is None else refusing(form_class, message)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            context["edit_fingerprint"] = self.edit_fingerprint(request, obj.pk)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's revert form, with the same rule (and in one transaction)."""
        try:
            pk = self.opts.pk.to_python(unquote(object_id))
        except ValidationError:
            pk = None  # simple-history answers 404
        with transaction.atomic(using=router.db_for_write(self.model)):
            context = {**(extra_context or {})}
            if pk is not None:
                if request.method == "POST":
                    self.edit_conflict(request, pk)
                context["edit_fingerprint"] = self.edit_fingerprint(request, pk)
            return super().history_form_view(request, object_id, version_id, context)
