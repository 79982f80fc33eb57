"""The admin, made for editors: searchable, filterable, with related records inline; every
change recorded and recoverable, and no editor's save silently overwriting another's."""

import nested_admin
from django.contrib import admin
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import admin_import, models
from .admin_concurrency import EditGuardMixin
from .admin_filters import (
    AutocompleteFilter,
    DatasetFilter,
    DateRangeFilter,
    country_code,
    one_line,
    partial_date,
)
from .admin_history import ChangeDisplay, deleted_visits_view, restore_visit_view
from .admin_merge import PersonNameInline, merge_selected
from .admin_people import PersonForm
from .admin_sections import (
    AgreementForm,
    AgreementInline,
    DelegationInline,
    MeetingForm,
    MeetingInline,
    SourcedRecordForm,
    SourceForm,
    VisitForm,
)
from .journeys import mark_edited

admin.site.site_header = _("Diplomatic visits: editing")
admin.site.site_title = _("Diplomatic visits admin")
admin.site.index_title = _("Records")


class RecordAdmin(EditGuardMixin, SimpleHistoryAdmin):
    """What every model's admin shares: a history page that shows who changed what from what
    to what and reverts to any earlier state, and forms that refuse to save over a change
    made since they were opened."""

    object_history_list_template = "admin/visits/object_history_list.html"
    object_history_form_template = "admin/visits/object_history_form.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ChangeDisplay(self.model, historical_record)


class SourcedRecordAdmin(RecordAdmin):
    form = SourcedRecordForm


class OtherNameInline(admin.TabularInline):
    """A record's other names (in other languages or scripts, or as sources spell them); a row
    an editor adds has the origin "added by an editor"."""

    extra = 0
    fields = ["name", "language", "origin", "source"]
    autocomplete_fields = ["source"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "origin":
            field.initial = self.model.Origin.EDITOR
        return field


class CountryNameInline(OtherNameInline):
    """The names editors and sources give a country. Its ISO 3166 translations (a hundred or
    more) are pycountry's, kept by sync_countries, and shown on the country's page."""

    model = models.CountryName

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(origin=models.CountryName.Origin.ISO)


class PlaceNameInline(OtherNameInline):
    """The gazetteer of the country's places: a place as records write it ("Tashkent") and
    another name of it ("Toshkent", uz). Search finds a visit to the place by any of them."""

    model = models.PlaceName
    fields = ["place", "name", "language", "origin", "source"]
    verbose_name_plural = _("other names of places in this country")


class OrganizationNameInline(OtherNameInline):
    model = models.OrganizationName


@admin.register(models.Country)
class CountryAdmin(RecordAdmin):
    list_display = ["name", "code", "alpha_3", "status", "withdrawn"]
    list_filter = ["status"]
    search_fields = ["name", "official_name", "code", "alpha_3"]
    ordering = ["name"]
    inlines = [CountryNameInline, PlaceNameInline]


@admin.register(models.Organization)
class OrganizationAdmin(RecordAdmin):
    list_display = [
        one_line("name", _("name")),
        "short_name",
        "classification",
        country_code("country", _("country")),
        one_line("parent", _("parent")),
    ]
    list_filter = ["classification", ("country", AutocompleteFilter)]
    search_fields = ["name", "short_name", "slug"]
    autocomplete_fields = ["country", "parent"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["country", "parent"]
    inlines = [OrganizationNameInline]


@admin.register(models.Person)
class PersonAdmin(RecordAdmin):
    list_display = ["name", "country"]
    list_filter = [("country", AutocompleteFilter)]
    search_fields = ["name", "slug", "names__name"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["country"]
    inlines = [PersonNameInline]
    actions = [merge_selected]
    form = PersonForm  # a new person's name checked against the people held

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj is None else [name for name in fields if name != "someone_new"]


@admin.register(models.Source)
class SourceAdmin(RecordAdmin):
    list_display = [
        "__str__",
        partial_date("published_on", _("published")),
        "publisher",
        "dateline",
    ]
    list_filter = [
        ("publisher", AutocompleteFilter.titled(_("publisher"))),
        ("published_on", DateRangeFilter),
    ]
    search_fields = ["title", "slug", "url", "publisher__name"]
    autocomplete_fields = ["publisher"]
    list_select_related = ["publisher"]
    form = SourceForm

    def get_urls(self):
        """The "Start from the source" page, which the changelist's object tools link to."""
        from .admin_proposals import propose_view  # the page's package, imported with it

        view = self.admin_site.admin_view(lambda request: propose_view(self, request))
        return [path("propose/", view, name="visits_source_propose"), *super().get_urls()]


@admin.register(models.Visit)
class VisitAdmin(nested_admin.NestedModelAdminMixin, SourcedRecordAdmin):
    list_display = [
        one_line("title", _("title")),
        partial_date("start_date", _("start")),
        partial_date("end_date", _("end")),
        country_code("guest_country", _("guest")),
        country_code("host_country", _("host")),
        "kind",
    ]
    list_filter = [
        "kind",
        ("guest_country", AutocompleteFilter),
        ("host_country", AutocompleteFilter),
        ("delegation__head", AutocompleteFilter.titled(_("head of delegation"))),
        ("delegation__organization", AutocompleteFilter.titled(_("delegation's body"))),
        ("start_date", DateRangeFilter),
        DatasetFilter,
    ]
    search_fields = ["title", "summary", "places", "slug", "delegation__head__name"]
    autocomplete_fields = ["guest_country", "host_country", "sources", "journey", "part_of"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["guest_country", "host_country"]
    form = VisitForm
    inlines = [DelegationInline, MeetingInline, AgreementInline]
    actions = [admin_import.export_selected]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", ("guest_country", "host_country")]}),
        (_("When and where"), {"fields": [("start_date", "end_date"), "places"]}),
        (_("Description"), {"fields": ["summary", "sources"]}),
        (_("Journey"), {"fields": ["journey", "part_of"]}),
        (_("Import"), {"fields": [("dataset", "record_id")], "classes": ["collapse"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "journey" in form.changed_data:
            # Both journeys are now an editor's: regrouping by dates leaves them alone.
            mark_edited(form.initial.get("journey"), obj.journey_id)

    def get_urls(self):
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="visits_visit_deleted",
            ),
            path(
                "deleted/<int:visit_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="visits_visit_restore",
            ),
            *admin_import.urls(self),
            *super().get_urls(),
        ]

    def deleted_view(self, request):
        return deleted_visits_view(self, request)

    def restore_view(self, request, visit_id):
        return restore_visit_view(self, request, visit_id)


class StopFormSet(BaseInlineFormSet):
    """A journey's stops: ticking "Remove from journey" takes the visit out of the journey; it
    never deletes the visit."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = _("Remove from journey")

    def delete_existing(self, obj, commit=True):
        obj.journey = None
        if commit:
            obj.save()


class StopInline(admin.TabularInline):
    model = models.Visit
    fk_name = "journey"
    formset = StopFormSet
    fields = readonly_fields = ["title", "start_date", "end_date", "host_country"]
    ordering = ["start_date", "slug"]
    extra = 0
    show_change_link = True
    verbose_name = _("stop")
    verbose_name_plural = _(
        "stops: “Delete?” takes a visit out of the journey, never deletes it; add a stop "
        "from its visit's page"
    )

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


@admin.register(models.Journey)
class JourneyAdmin(RecordAdmin):
    list_display = [
        one_line("title", _("title")),
        partial_date("start_date", _("start")),
        partial_date("end_date", _("end")),
        "traveller",
        "grouping",
    ]
    list_filter = [
        "grouping",
        ("traveller", AutocompleteFilter),
        ("start_date", DateRangeFilter),
    ]
    search_fields = ["title", "slug", "traveller__name"]
    autocomplete_fields = ["traveller"]
    readonly_fields = ["grouping"]
    list_select_related = ["traveller"]
    inlines = [StopInline]
    actions = ["group_by_dates_again"]

    def save_model(self, request, obj, form, change):
        obj.grouping = models.Journey.Grouping.EDITOR  # regrouping leaves it alone from now on
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        mark_edited(form.instance.pk)

    @admin.action(description=_("Let regrouping by dates decide these journeys again"))
    def group_by_dates_again(self, request, queryset):
        for journey in queryset.filter(grouping=models.Journey.Grouping.EDITOR):
            journey.grouping = models.Journey.Grouping.DATES
            journey.save()


class PersonInRoleInline(admin.TabularInline):
    """The people of a delegation, a meeting or an agreement, with the office held then."""

    extra = 1
    autocomplete_fields = ["person", "organization"]


class DelegationMemberInline(PersonInRoleInline):
    model = models.DelegationMember


@admin.register(models.Delegation)
class DelegationAdmin(RecordAdmin):
    list_display = ["__str__", "head", "head_office", "organization"]
    search_fields = ["visit__title", "head__name", "organization__name"]
    autocomplete_fields = ["visit", "organization", "head"]
    list_select_related = ["visit__guest_country", "head", "organization"]
    inlines = [DelegationMemberInline]


class MeetingParticipantInline(PersonInRoleInline):
    model = models.MeetingParticipant


@admin.register(models.Meeting)
class MeetingAdmin(SourcedRecordAdmin):
    list_display = [
        one_line("title", _("title")),
        partial_date("date", _("date"), "date_precision"),
        "kind",
        "place",
        country_code("country", _("country")),
        one_line("body", _("body")),
        "ordinal",
    ]
    list_filter = [
        "kind",
        ("country", AutocompleteFilter),
        ("body", AutocompleteFilter.titled(_("body"))),
        ("participants__person", AutocompleteFilter.titled(_("participant"))),
        ("date", DateRangeFilter),
    ]
    search_fields = ["title", "summary", "place", "slug", "participants__person__name"]
    autocomplete_fields = ["visit", "country", "host_organization", "body", "sources"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["country", "body"]
    form = MeetingForm
    inlines = [MeetingParticipantInline]


class SignatoryInline(PersonInRoleInline):
    model = models.Signatory


@admin.register(models.Agreement)
class AgreementAdmin(SourcedRecordAdmin):
    list_display = [
        one_line("title", _("title")),
        partial_date("signed_on", _("signed"), "signed_precision"),
        "kind",
        "signed_place",
        partial_date("valid_from", _("valid from"), "validity_precision"),
        partial_date("valid_until", _("valid until"), "validity_precision"),
    ]
    list_filter = [
        "kind",
        ("party_countries", AutocompleteFilter.titled(_("party"))),
        ("party_organizations", AutocompleteFilter.titled(_("party body"))),
        ("signatories__person", AutocompleteFilter.titled(_("signatory"))),
        ("signed_on", DateRangeFilter),
    ]
    search_fields = ["title", "summary", "signed_place", "slug"]
    autocomplete_fields = [
        "signed_country",
        "visit",
        "meeting",
        "party_countries",
        "party_organizations",
        "sources",
    ]
    prepopulated_fields = {"slug": ["title"]}
    form = AgreementForm
    inlines = [SignatoryInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind"]}),
        (_("Parties"), {"fields": ["party_countries", "party_organizations"]}),
        (
            _("Signature"),
            {
                "fields": [
                    ("signed_on", "signed_precision"),
                    ("signed_place", "signed_country"),
                    ("visit", "meeting"),
                ]
            },
        ),
        (_("Validity"), {"fields": [("valid_from", "valid_until", "validity_precision")]}),
        (_("Description"), {"fields": ["summary", "sources"]}),
    ]
