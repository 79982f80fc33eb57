"""Every change recoverable: what the history pages show, and deleted visits brought back.

simple-history keeps a record of every save and deletion of every model. The admin's
"History" page of a record lists them with what changed from what to what, and reverts to
any of them. A deleted visit takes its delegation, the delegation's members, its meetings and
their participants with it, and leaves its agreements without a visit: `restore_visit()`
recreates them all from their last recorded states and links the agreements again.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

from . import models

RESTORED = "restored"
# The records a deletion takes with it are deleted in the same transaction, a moment apart.
CASCADE_WINDOW = timedelta(minutes=1)


class ChangeDisplay(HistoricalRecordContextHelper):
    """The history page's "Changes" column: choices by their labels, empty values named."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if field.choices and not isinstance(value, list):
            value = dict(field.flatchoices).get(value, value)
        if value is None or value == "" or value == []:
            return "(empty)"
        return value


class RestoreRefused(Exception):
    """A deleted visit that cannot come back as it was; the message says why."""


def deleted_visit_records():
    """The deletion record of every visit that is deleted now, the latest first."""
    return (
        models.Visit.history.all()
        .latest_of_each()
        .filter(history_type="-")
        .exclude(id__in=models.Visit.objects.values("pk"))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def label(obj):
    try:
        return f"{obj._meta.verbose_name} “{obj}”"
    except ObjectDoesNotExist:
        return f"{obj._meta.verbose_name} no. {obj.pk}"


def recreate(record, user):
    """The object a historical record describes, inserted again with the same primary key."""
    obj = record.instance
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname) if field.is_relation else None
        if value is not None and not field.related_model._base_manager.filter(pk=value).exists():
            raise RestoreRefused(
                f"The {label(obj)} cannot be restored: its {field.verbose_name} "
                f"(no. {value}) has been deleted since."
            )
    try:
        obj.validate_unique()
        obj.validate_constraints()
    except ValidationError as error:
        raise RestoreRefused(
            f"The {label(obj)} cannot be restored: {' '.join(error.messages)}"
        ) from error
    obj._change_reason = RESTORED
    obj._history_user = user
    obj.save(force_insert=True)
    return obj


def restore_many_to_many(obj, deleted_at):
    """Its many-to-many links as the last record before its deletion holds them (a deletion
    record holds none: they are gone by then). Links to records deleted since are left out."""
    last = (
        type(obj)
        .history.filter(id=obj.pk, history_date__lte=deleted_at)
        .exclude(history_type="-")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if last is None:
        return
    for field in last._history_m2m_fields:
        column = f"{get_m2m_reverse_field_name(field)}_id"
        ids = getattr(last, field.name).values_list(column, flat=True)
        existing = field.related_model._base_manager.filter(pk__in=list(ids))
        getattr(obj, field.name).set(existing)


def restore_visit(visit_id, user=None):
    """Bring a deleted visit back with its delegation (and members), its meetings (and
    participants), its sources, and the agreements that pointed to it. All or nothing."""
    try:
        with transaction.atomic():
            return _restore_visit(visit_id, user)
    except IntegrityError as error:
        raise RestoreRefused(f"The visit could not be restored: {error}") from error


def _restore_visit(visit_id, user):
    record = (
        models.Visit.history.filter(id=visit_id).order_by("-history_date", "-history_id").first()
    )
    if (
        record is None
        or record.history_type != "-"
        or models.Visit.objects.filter(pk=visit_id).exists()
    ):
        raise RestoreRefused("This visit is not deleted (it may have been restored already).")
    taken = models.Visit.objects.filter(slug=record.slug).first()
    if taken is not None:
        raise RestoreRefused(
            f"The visit “{record.title}” cannot be restored: its address (slug "
            f"“{record.slug}”) now belongs to another visit, “{taken}”. Change that visit's "
            "slug, then restore this one."
        )
    deleted_at = record.history_date
    same_deletion = Q(
        history_type="-",
        history_user=record.history_user_id,
        history_date__range=(deleted_at - CASCADE_WINDOW, deleted_at + CASCADE_WINDOW),
    )

    def deleted_with_it(model, **lookup):
        records = model.history.all().latest_of_each().filter(same_deletion, **lookup)
        return [recreate(row, user) for row in records.order_by("history_date", "history_id")]

    visit = recreate(record, user)
    restore_many_to_many(visit, deleted_at)
    delegations = deleted_with_it(models.Delegation, visit_id=visit_id)
    members = deleted_with_it(
        models.DelegationMember, delegation_id__in=[delegation.pk for delegation in delegations]
    )
    meetings = deleted_with_it(models.Meeting, visit_id=visit_id)
    for meeting in meetings:
        restore_many_to_many(meeting, deleted_at)
    meeting_ids = [meeting.pk for meeting in meetings]
    participants = deleted_with_it(models.MeetingParticipant, meeting_id__in=meeting_ids)

    # Deleting set their visit (and meeting) to NULL without a history record: their latest
    # record still names the visit.
    relinked = []
    pointing = list(
        models.Agreement.history.all()
        .latest_of_each()
        .filter(Q(visit_id=visit_id) | Q(meeting_id__in=meeting_ids))
    )
    live = models.Agreement.objects.in_bulk([row.id for row in pointing])
    for row in pointing:
        agreement = live.get(row.id)
        if agreement is None:
            continue
        changed = []
        if row.visit_id == visit_id and agreement.visit_id is None:
            agreement.visit_id = visit_id
            changed.append("visit")
        if row.meeting_id in meeting_ids and agreement.meeting_id is None:
            agreement.meeting_id = row.meeting_id
            changed.append("meeting")
        if changed:
            agreement._change_reason = RESTORED
            agreement._history_user = user
            agreement.save(update_fields=changed)
            relinked.append(agreement)
    return {
        "visit": visit,
        "delegations": delegations,
        "members": members,
        "meetings": meetings,
        "participants": participants,
        "agreements": relinked,
    }


def counted(number, singular, plural):
    return f"{number} {singular if number == 1 else plural}"


def restored_message(restored):
    parts = []
    if restored["delegations"] and restored["members"]:
        parts.append(f"its delegation ({counted(len(restored['members']), 'member', 'members')})")
    elif restored["delegations"]:
        parts.append("its delegation")
    parts.append(
        f"{counted(len(restored['meetings']), 'meeting', 'meetings')} "
        f"({counted(len(restored['participants']), 'participant', 'participants')})"
    )
    parts.append(f"{counted(len(restored['agreements']), 'agreement', 'agreements')} linked again")
    return f"The visit “{restored['visit']}” was restored with {', '.join(parts)}."


def deleted_visits_view(model_admin, request):
    """The admin page listing deleted visits, each with a button that restores it."""
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    page = Paginator(deleted_visit_records(), 50).get_page(request.GET.get("p"))
    ids = {record.guest_country_id for record in page} | {r.host_country_id for r in page}
    countries = models.Country.objects.in_bulk(ids)
    rows = [
        {
            "record": record,
            "guest": countries.get(record.guest_country_id),
            "host": countries.get(record.host_country_id),
        }
        for record in page
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Deleted visits",
        "opts": model_admin.opts,
        "page_obj": page,
        "rows": rows,
        "can_restore": model_admin.has_add_permission(request),
    }
    return TemplateResponse(request, "admin/visits/visit/deleted_visits.html", context)


def restore_visit_view(model_admin, request, visit_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    site = model_admin.admin_site.name
    try:
        restored = restore_visit(visit_id, request.user)
    except RestoreRefused as refusal:
        model_admin.message_user(request, str(refusal), messages.ERROR)
        return redirect(f"{site}:visits_visit_deleted")
    model_admin.message_user(request, restored_message(restored), messages.SUCCESS)
    return redirect(f"{site}:visits_visit_change", restored["visit"].pk)
