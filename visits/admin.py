"""The admin, made for editors: searchable, filterable, with related records inline."""

from django.contrib import admin

from .models import (
    Agreement,
    Country,
    Delegation,
    DelegationMember,
    Meeting,
    MeetingParticipant,
    Organization,
    Person,
    Signatory,
    Source,
    Visit,
)

admin.site.site_header = "Diplomatic visits: editing"
admin.site.site_title = "Diplomatic visits admin"
admin.site.index_title = "Records"


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "alpha_3", "status", "withdrawn"]
    list_filter = ["status"]
    search_fields = ["name", "official_name", "code", "alpha_3"]
    ordering = ["name"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "classification", "country", "parent"]
    list_filter = ["classification", ("country", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "short_name", "slug"]
    autocomplete_fields = ["country", "parent"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["country", "parent"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "country"]
    list_filter = [("country", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["country"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "publisher", "dateline", "published_on"]
    list_filter = [("publisher", admin.RelatedOnlyFieldListFilter), "published_on"]
    search_fields = ["title", "slug", "url", "publisher__name"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["publisher"]
    list_select_related = ["publisher"]


class DelegationInline(admin.StackedInline):
    model = Delegation
    extra = 1
    max_num = 1
    autocomplete_fields = ["organization", "head"]
    show_change_link = True


class MeetingInline(admin.StackedInline):
    model = Meeting
    extra = 0
    fields = [
        "title",
        "slug",
        "kind",
        ("date", "date_precision", "position"),
        ("place", "country"),
        "host_organization",
        "summary",
    ]
    autocomplete_fields = ["country", "host_organization"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["title", "guest_country", "host_country", "kind", "start_date", "end_date"]
    list_filter = [
        "kind",
        ("guest_country", admin.RelatedOnlyFieldListFilter),
        ("host_country", admin.RelatedOnlyFieldListFilter),
        "start_date",
        "dataset",
    ]
    search_fields = ["title", "summary", "places", "slug", "delegation__head__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["guest_country", "host_country", "sources"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["guest_country", "host_country"]
    inlines = [DelegationInline, MeetingInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", ("guest_country", "host_country")]}),
        ("When and where", {"fields": [("start_date", "end_date"), "places"]}),
        ("Description", {"fields": ["summary", "sources"]}),
        ("Import", {"fields": [("dataset", "record_id")], "classes": ["collapse"]}),
    ]


class DelegationMemberInline(admin.TabularInline):
    model = DelegationMember
    extra = 1
    autocomplete_fields = ["person", "organization"]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "head", "head_office", "organization"]
    search_fields = ["visit__title", "head__name", "organization__name"]
    autocomplete_fields = ["visit", "organization", "head"]
    list_select_related = ["visit__guest_country", "head", "organization"]
    inlines = [DelegationMemberInline]


class MeetingParticipantInline(admin.TabularInline):
    model = MeetingParticipant
    extra = 1
    autocomplete_fields = ["person", "organization"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "place", "country", "body", "ordinal"]
    list_filter = [
        "kind",
        ("country", admin.RelatedOnlyFieldListFilter),
        ("body", admin.RelatedOnlyFieldListFilter),
        "date",
    ]
    search_fields = ["title", "summary", "place", "slug", "participants__person__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["visit", "country", "host_organization", "body", "sources"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["country", "body"]
    inlines = [MeetingParticipantInline]


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 1
    autocomplete_fields = ["person", "organization"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "signed_on", "signed_place", "valid_from", "valid_until"]
    list_filter = [
        "kind",
        ("party_countries", admin.RelatedOnlyFieldListFilter),
        "signed_on",
    ]
    search_fields = ["title", "summary", "signed_place", "slug"]
    date_hierarchy = "signed_on"
    autocomplete_fields = [
        "signed_country",
        "visit",
        "meeting",
        "party_countries",
        "party_organizations",
        "sources",
    ]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SignatoryInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind"]}),
        ("Parties", {"fields": ["party_countries", "party_organizations"]}),
        (
            "Signature",
            {
                "fields": [
                    ("signed_on", "signed_precision"),
                    ("signed_place", "signed_country"),
                    ("visit", "meeting"),
                ]
            },
        ),
        ("Validity", {"fields": [("valid_from", "valid_until")]}),
        ("Description", {"fields": ["summary", "sources"]}),
    ]
