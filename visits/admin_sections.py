"""The visit's page in the admin: everything a source says about a visit on one page, in
nested sections (django-nested-admin) — the delegation with its members, the meetings with
their participants, the agreements signed with their parties and signatories — and the forms
every sourced record shares."""

import nested_admin
from django import forms
from django.contrib import admin
from django.forms.formsets import TOTAL_FORM_COUNT, ManagementForm
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import models
from .admin_dates import DayFieldsForm, PartialDatesForm


class SourcedRecordForm(forms.ModelForm):
    """The form of a visit, a meeting or an agreement: every record an editor saves names the
    source it comes from. Required here rather than in the model, because imports and demo
    data attach the sources after saving the record."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "sources" in self.fields:
            self.fields["sources"].required = True
            self.fields["sources"].error_messages["required"] = _(
                "Give the source this record comes from."
            )


class SourcedInlineForm(SourcedRecordForm):
    """A meeting in its visit's form: its sources are asked for when it is added or changed;
    a row left as it was is not saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.instance.pk and not self.has_changed():
            self.fields["sources"].required = False


class VisitForm(SourcedRecordForm, DayFieldsForm):
    """A visit's form: its dates (known to the day) typed and shown as YYYY-MM-DD."""

    DAY_FIELDS = ("start_date", "end_date")


class SourceForm(DayFieldsForm):
    """A source's form: its date typed and shown as YYYY-MM-DD."""

    DAY_FIELDS = ("published_on",)


class MeetingForm(SourcedRecordForm, PartialDatesForm):
    """A meeting's form: its date typed as YYYY-MM-DD, YYYY-MM or YYYY, the precision kept."""

    PARTIAL_DATES = {"date_precision": [("date", False)]}


class MeetingInlineForm(SourcedInlineForm, PartialDatesForm):
    PARTIAL_DATES = MeetingForm.PARTIAL_DATES


class AgreementForm(SourcedRecordForm, PartialDatesForm):
    """An agreement's form: the signing date and the validity typed as YYYY-MM-DD, YYYY-MM or
    YYYY; a validity "2026" to "2027" runs from 1 January 2026 to 31 December 2027."""

    PARTIAL_DATES = {
        "signed_precision": [("signed_on", False)],
        "validity_precision": [("valid_from", False), ("valid_until", True)],
    }


class AgreementInlineForm(SourcedInlineForm, PartialDatesForm):
    PARTIAL_DATES = AgreementForm.PARTIAL_DATES


class SectionFormSet(nested_admin.NestedInlineFormSet):
    """The rows of one section of the visit's page. A form sent without the section at all (a
    page opened before the section was added to it) leaves the section's rows as they are,
    rather than refusing the whole save."""

    @cached_property
    def management_form(self):
        if self.is_bound and self.add_prefix(TOTAL_FORM_COUNT) not in self.data:
            form = ManagementForm(
                {self.add_prefix(TOTAL_FORM_COUNT): 0, self.add_prefix("INITIAL_FORMS"): 0},
                auto_id=self.auto_id,
                prefix=self.prefix,
                renderer=self.renderer,
            )
            form.full_clean()
            return form
        return super().management_form


class PeopleSection(nested_admin.NestedTabularInlineMixin, admin.TabularInline):
    """The people of a delegation, a meeting or an agreement, in its part of the visit's page,
    with the office held then and the body they stood for."""

    formset = SectionFormSet
    extra = 0
    is_sortable = False
    autocomplete_fields = ["person", "organization"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in self.autocomplete_fields:
            # Narrower lists than the admin's default: the row fits beside the admin's
            # sidebar at 1280 px, inside its meeting or agreement.
            getattr(field.widget, "widget", field.widget).attrs["data-width"] = "12em"
        elif db_field.name == "office":
            field.widget.attrs["size"] = 24
        return field


class DelegationMemberSection(PeopleSection):
    model = models.DelegationMember
    fields = ["person", "office", "organization"]
    verbose_name_plural = _("members (besides the head)")


class MeetingParticipantSection(PeopleSection):
    model = models.MeetingParticipant
    fields = ["person", "role", "office", "organization"]


class SignatorySection(PeopleSection):
    model = models.Signatory
    fields = ["person", "office", "organization"]


class DelegationInline(nested_admin.NestedStackedInline):
    """Who travelled: the delegation's head and the office held, the body it stood for, and
    its members."""

    model = models.Delegation
    formset = SectionFormSet
    extra = 1
    max_num = 1
    is_sortable = False
    fields = [("head", "head_office"), "organization"]
    autocomplete_fields = ["organization", "head"]
    inlines = [DelegationMemberSection]


class MeetingInline(nested_admin.NestedStackedInline):
    """The visit's meetings, each with its participants and, for a meeting of a recurring
    body, the body and its number in the series."""

    model = models.Meeting
    form = MeetingInlineForm
    formset = SectionFormSet
    extra = 0
    is_sortable = False
    fields = [
        "title",
        "slug",
        "kind",
        ("date", "position"),
        ("place", "country"),
        "host_organization",
        ("body", "ordinal"),
        "summary",
        "sources",
    ]
    autocomplete_fields = ["country", "host_organization", "body", "sources"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    inlines = [MeetingParticipantSection]


class AgreementInline(nested_admin.NestedStackedInline):
    """The agreements signed during the visit, with their parties and signatories. An
    agreement the source only refers to is entered on the agreement page."""

    model = models.Agreement
    fk_name = "visit"
    form = AgreementInlineForm
    formset = SectionFormSet
    extra = 0
    is_sortable = False
    fields = [
        "title",
        "slug",
        "kind",
        ("party_countries", "party_organizations"),
        ("signed_on", "signed_place", "signed_country"),
        ("valid_from", "valid_until"),
        "summary",
        "sources",
    ]
    autocomplete_fields = [
        "party_countries",
        "party_organizations",
        "signed_country",
        "sources",
    ]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    verbose_name_plural = _("agreements signed during the visit")
    inlines = [SignatorySection]
