"""Merging people in the admin: the records of several Person rows that are one human move to
the one an editor keeps, the others' names become the kept one's other names, and the others
are deleted: in one transaction, every change in the history with the reason "merged".

Splitting is editing: an editor adds the new person and moves the records to them (the
delegation, meeting and agreement forms choose people by autocomplete)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .models import DelegationMember, Person, PersonName

REASON = "merged"


class PersonNameInline(admin.TabularInline):
    """A person's other names: spellings the sources give, names of merged records, and those
    an editor adds."""

    model = PersonName
    extra = 0
    fields = ["name", "language", "origin", "source"]
    autocomplete_fields = ["source"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "origin":
            field.initial = PersonName.Origin.EDITOR
        return field


def references():
    """(model, field name, the fields it is unique together with) for every record that
    points at a person."""
    found = []
    for relation in Person._meta.related_objects:
        model, name = relation.related_model, relation.field.name
        partners = [
            [field for field in constraint.fields if field != name]
            for constraint in model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint) and name in constraint.fields
        ]
        found.append((model, name, partners))
    return found


def saved(instance, reason=REASON):
    instance._change_reason = reason
    instance.save()


def deleted(instance, reason=REASON):
    instance._change_reason = reason
    instance.delete()


def merge_people(kept, others):
    """Move every record of others to kept, keep their names as kept's other names (origin
    "merge") and delete them; a record kept already has its equal of (a meeting both took part
    in, a spelling both have) is deleted instead of moved."""
    others = [other for other in others if other.pk != kept.pk]
    with transaction.atomic():
        for other in others:
            for model, name, partners in references():
                for row in model.objects.filter(**{name: other}):
                    clash = any(
                        model.objects.filter(
                            **{name: kept}, **{f: getattr(row, f) for f in fields}
                        ).exists()
                        for fields in partners
                    )
                    if clash or (model is PersonName and row.name == kept.name):
                        deleted(row)
                    else:
                        setattr(row, name, kept)
                        saved(row)
            if other.name != kept.name and not kept.names.filter(name=other.name).exists():
                saved(PersonName(person=kept, name=other.name, origin=PersonName.Origin.MERGE))
            deleted(other)
        # A head is not also a member of the delegation they lead.
        for member in DelegationMember.objects.filter(person=kept, delegation__head=kept):
            deleted(member)


def record_counts(queryset):
    return queryset.select_related("country").annotate(
        led=Count("delegations_led", distinct=True),
        joined=Count("delegations_joined", distinct=True),
        meetings=Count("participations", distinct=True),
        signed=Count("signatures", distinct=True),
        trips=Count("journeys", distinct=True),
        other_names=Count("names", distinct=True),
    )


class KeptForm(forms.Form):
    kept = forms.ModelChoiceField(queryset=Person.objects.none(), widget=forms.RadioSelect)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kept"].queryset = people


def merged_message(count, kept):
    """What the editor is told once `count` people were merged into `kept`."""
    return ngettext(
        "Merged %(count)d person into “%(kept)s”.",
        "Merged %(count)d people into “%(kept)s”.",
        count,
    ) % {"count": count, "kept": kept}


@admin.action(description=_("Merge the selected people"), permissions=["change", "delete"])
def merge_selected(modeladmin, request, queryset):
    """The intermediate page: the selected people with their records, the one to keep chosen
    by a radio button; merging on its confirmation (as Django's delete_selected does)."""
    if not modeladmin.has_delete_permission(request):
        raise PermissionDenied
    people = record_counts(queryset.order_by("name", "pk"))
    if len(people) < 2:
        modeladmin.message_user(
            request, gettext("Select two people or more to merge."), messages.WARNING
        )
        return None
    form = KeptForm(request.POST if request.POST.get("post") else None, people=queryset)
    if form.is_valid():
        kept = form.cleaned_data["kept"]
        merge_people(kept, list(queryset.exclude(pk=kept.pk)))
        modeladmin.message_user(request, merged_message(len(people) - 1, kept), messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Merge people"),
        "subtitle": None,
        "opts": modeladmin.model._meta,
        "people": people,
        "form": form,
        "queryset": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/visits/person/merge_people.html", context)
