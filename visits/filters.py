"""Filters for the public lists. Parameter names are a public contract, the same on every list
where they apply: country, guest, host, date_after, date_before, year, kind, organization,
person, q, sort, page."""

import datetime
import re

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .choices import country_options_html
from .models import (
    Agreement,
    Country,
    DelegationMember,
    Meeting,
    MeetingParticipant,
    Organization,
    Person,
    Signatory,
    Visit,
)

ISO_DATE = ["%Y-%m-%d"]
COUNTRY_CODE = re.compile(r"[A-Z0-9-]{2,8}", re.ASCII)


def is_country_code(code):
    """Two to eight ASCII letters, digits or hyphens, the shape of every code we hold."""
    return COUNTRY_CODE.fullmatch(code) is not None


class CountrySelect(forms.SelectMultiple):
    """A country control whose options are rendered once and cached (see visits.choices).

    It is a single select, unless the address asks for several countries at once."""

    kind = "any"
    names: dict = {}

    def render(self, name, value, attrs=None, renderer=None):
        selected = [str(code).strip().upper() for code in (value or []) if str(code).strip()]
        options = country_options_html(self.kind)
        missing = []
        for code in selected:
            option = format_html('<option value="{}">', code)
            if option in options:
                options = options.replace(option, option[:-1] + " selected>", 1)
            else:
                missing.append(code)
        if missing:
            # A country asked for in the address that has no records of this kind yet.
            names = self.names
            if not set(missing) <= set(names):
                # Only well-formed codes are looked up: a hostile value never reaches the database.
                looked_up = [code for code in missing if is_country_code(code)]
                names = dict(Country.objects.filter(code__in=looked_up).values_list("code", "name"))
            options += "".join(
                format_html('<option value="{}" selected>{}</option>', code, names.get(code, code))
                for code in missing
            )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}{}>{}</select>',
            name,
            flatatt(final_attrs),
            mark_safe(" multiple") if len(selected) > 1 else "",
            mark_safe(options),
        )


class CountryCodesField(forms.Field):
    """One or more country codes (case-insensitive), cleaned to the countries they name."""

    widget = CountrySelect

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        codes = []
        for code in value:
            code = code.strip().upper()
            if code and code not in codes:
                codes.append(code)
        return codes

    def clean(self, value):
        codes = self.to_python(value)
        if not codes:
            return []
        if not all(is_country_code(code) for code in codes):
            raise forms.ValidationError("A country code is two to four letters, such as AZ.")
        countries = {country.code: country for country in Country.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in countries]
        if unknown:
            raise forms.ValidationError(
                "Unknown country code: %(codes)s. Use ISO codes such as AZ or UZ.",
                params={"codes": ", ".join(unknown)},
            )
        # The control shows these even when they have no records of the list's kind.
        self.widget.names = {code: country.name for code, country in countries.items()}
        return [countries[code] for code in codes]


class CountryFilter(django_filters.Filter):
    """Filters on one or more countries; several values mean any of them."""

    field_class = CountryCodesField


class IsoDateFilter(django_filters.DateFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ISO_DATE)
        kwargs.setdefault("error_messages", {"invalid": "Enter a date as YYYY-MM-DD."})
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(*args, **kwargs)


class PageFilter(django_filters.Filter):
    """Validates the page number; paging itself happens in the view."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 10**9)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": "The page must be a whole number.",
                "min_value": "The page must be 1 or more.",
                "max_value": "That page number is too large.",
            },
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs


class ListFilterForm(forms.Form):
    """Checks that a date range does not end before it starts."""

    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("date_after"), cleaned.get("date_before")
        if after and before and after > before:
            self.add_error("date_before", "The end of the range is before its start.")
        return cleaned


def words(text):
    return [word for word in text.split() if word][:10]


def all_words_in(fields, text):
    """Each word must appear in at least one of the fields (in any field, any order)."""
    condition = Q()
    for word in words(text):
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition


# SQLite's full-text index of the visits' search text (migration 0006): trigrams, so it finds
# any run of three characters or more.
SEARCH_INDEX = "visits_visit_search"


def in_search_index(terms):
    """On SQLite, the visits whose search text holds every term of three characters or more,
    found in the trigram index rather than by reading every visit; the LIKE conditions still
    decide (the index folds case more widely than LIKE does, so it only ever finds more)."""
    indexed = [term for term in terms if len(term) >= 3]
    if connection.vendor != "sqlite" or not indexed:
        return Q()
    phrases = " AND ".join('"{}"'.format(term.replace('"', '""')) for term in indexed)
    return Q(
        pk__in=RawSQL(f"SELECT rowid FROM {SEARCH_INDEX} WHERE {SEARCH_INDEX} MATCH %s", [phrases])
    )


class BaseListFilter(django_filters.FilterSet):
    """The parameters that every dated list shares."""

    country = CountryFilter(label="Country", method="filter_country")
    date_after = IsoDateFilter(label="From", method="filter_dates")
    date_before = IsoDateFilter(label="To", method="filter_dates")
    year = django_filters.NumberFilter(
        label="Year",
        method="filter_year",
        min_value=1000,
        max_value=9999,
        error_messages={"invalid": "Enter a year such as 2025."},
    )
    q = django_filters.CharFilter(label="Text", method="filter_text", max_length=200)
    page = PageFilter(label="Page")

    search_fields: tuple = ()
    country_choices_kind = "any"
    field_order = ("q", "country", "guest", "host", "date_after", "date_before", "year")

    class Meta:
        form = ListFilterForm
        fields: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.order_fields(self.field_order)
        for name in ("country", "guest", "host"):
            if name in self.form.fields:
                self.form.fields[name].widget.kind = self.country_choices_kind

    def filter_text(self, queryset, name, value):
        return queryset.filter(all_words_in(self.search_fields, value))

    def filter_dates(self, queryset, name, value):
        # Both ends are applied together, once, by filter_queryset.
        return queryset

    def filter_year(self, queryset, name, value):
        year = int(value)
        return self.in_period(queryset, datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        after = self.form.cleaned_data.get("date_after")
        before = self.form.cleaned_data.get("date_before")
        if after or before:
            queryset = self.in_period(queryset, after, before)
        return queryset

    def in_period(self, queryset, start, end):
        raise NotImplementedError


SORTS = {
    "visit": {
        "-date": ("Newest first", ["-start_date", "slug"]),
        "date": ("Oldest first", ["start_date", "slug"]),
        "guest": ("Guest country, A–Z", ["guest_country__name", "-start_date", "slug"]),
        "host": ("Host country, A–Z", ["host_country__name", "-start_date", "slug"]),
    },
}


class VisitFilter(BaseListFilter):
    guest = CountryFilter(label="Guest country", method="filter_guest")
    host = CountryFilter(label="Host country", method="filter_host")
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=Visit.Kind.choices, empty_label="Any kind"
    )
    organization = django_filters.ModelChoiceFilter(
        label="Organization",
        queryset=Organization.objects.all(),
        to_field_name="slug",
        method="filter_organization",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "No organization has that name in the address."},
    )
    person = django_filters.ModelChoiceFilter(
        label="Person",
        queryset=Person.objects.all(),
        to_field_name="slug",
        method="filter_person",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "No person has that name in the address."},
    )
    sort = django_filters.ChoiceFilter(
        label="Sort",
        choices=[(key, label) for key, (label, _) in SORTS["visit"].items()],
        method="sort_by",
        empty_label=None,
    )

    country_choices_kind = "visits"

    class Meta(BaseListFilter.Meta):
        model = Visit

    def filter_country(self, queryset, name, countries):
        return queryset.filter(Q(guest_country__in=countries) | Q(host_country__in=countries))

    def filter_guest(self, queryset, name, countries):
        return queryset.filter(guest_country__in=countries)

    def filter_host(self, queryset, name, countries):
        return queryset.filter(host_country__in=countries)

    def filter_organization(self, queryset, name, organization):
        return queryset.filter(
            Q(delegation__organization=organization)
            | Exists(Meeting.objects.filter(visit=OuterRef("pk"), host_organization=organization))
        )

    def filter_person(self, queryset, name, person):
        return queryset.filter(
            Q(delegation__head=person)
            | Exists(
                DelegationMember.objects.filter(delegation__visit=OuterRef("pk"), person=person)
            )
            | Exists(
                MeetingParticipant.objects.filter(meeting__visit=OuterRef("pk"), person=person)
            )
        )

    def filter_text(self, queryset, name, value):
        """Ranked: PostgreSQL full-text search over the weighted search vector (a title match
        first); elsewhere every word must appear in the search text, title matches first."""
        terms = words(value)
        if not terms:
            return queryset
        if connection.vendor == "postgresql":
            query = SearchQuery(" ".join(terms), config="english", search_type="plain")
            return (
                queryset.filter(search_vector=query)
                .annotate(rank=SearchRank(F("search_vector"), query))
                .order_by("-rank", "-start_date", "slug")
            )
        in_title = sum(
            (Case(When(title__icontains=term, then=1), default=0) for term in terms), Value(0)
        )
        return (
            queryset.filter(all_words_in(("search_text",), value), in_search_index(terms))
            .annotate(rank=in_title)
            .order_by("-rank", "-start_date", "slug")
        )

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS["visit"][value][1])

    def in_period(self, queryset, start, end):
        return queryset.between(start, end)


class MeetingFilter(BaseListFilter):
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=Meeting.Kind.choices, empty_label="Any kind"
    )
    organization = django_filters.ModelChoiceFilter(
        label="Organization",
        queryset=Organization.objects.all(),
        to_field_name="slug",
        method="filter_organization",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "No organization has that name in the address."},
    )
    person = django_filters.ModelChoiceFilter(
        label="Person",
        queryset=Person.objects.all(),
        to_field_name="slug",
        method="filter_person",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "No person has that name in the address."},
    )
    search_fields = ("title", "summary", "place", "participants__person__name")
    country_choices_kind = "meetings"

    class Meta(BaseListFilter.Meta):
        model = Meeting

    def filter_country(self, queryset, name, countries):
        """Held in one of the countries, or with a participant from one.

        Not as an OR with a subquery per meeting: PostgreSQL then read every meeting, with an
        estimate high enough to compile the query first (JIT), 600 ms for 100,000 visits. On
        PostgreSQL the meetings attended are one set, hashed once, that the meetings are
        checked against in the list's order until the page is full (8 ms); SQLite does better
        with the keys of both halves as one set, whose meetings alone it then reads (19 ms)."""
        attended = MeetingParticipant.objects.filter(person__country__in=countries).values(
            "meeting_id"
        )
        if connection.vendor == "postgresql":
            return queryset.filter(Q(country__in=countries) | Q(pk__in=attended))
        held = Meeting.objects.filter(country__in=countries).values("pk")
        return queryset.filter(pk__in=held.union(attended))

    def filter_organization(self, queryset, name, organization):
        return queryset.filter(Q(host_organization=organization) | Q(body=organization))

    def filter_person(self, queryset, name, person):
        return queryset.filter(
            Exists(MeetingParticipant.objects.filter(meeting=OuterRef("pk"), person=person))
        )

    def filter_text(self, queryset, name, value):
        condition = Q()
        for word in words(value):
            condition &= (
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(place__icontains=word)
                | Exists(
                    MeetingParticipant.objects.filter(
                        meeting=OuterRef("pk"), person__name__icontains=word
                    )
                )
            )
        return queryset.filter(condition)

    def in_period(self, queryset, start, end):
        if start:
            queryset = queryset.filter(date__gte=start)
        if end:
            queryset = queryset.filter(date__lte=end)
        return queryset


class AgreementFilter(BaseListFilter):
    in_force_on = IsoDateFilter(label="In force on", method="filter_in_force")
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=Agreement.Kind.choices, empty_label="Any kind"
    )
    organization = django_filters.ModelChoiceFilter(
        label="Party (organization)",
        queryset=Organization.objects.all(),
        to_field_name="slug",
        method="filter_organization",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "No organization has that name in the address."},
    )
    person = django_filters.ModelChoiceFilter(
        label="Signatory",
        queryset=Person.objects.all(),
        to_field_name="slug",
        method="filter_person",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "No person has that name in the address."},
    )
    search_fields = ("title", "summary", "signed_place")
    country_choices_kind = "agreements"

    class Meta(BaseListFilter.Meta):
        model = Agreement

    def filter_country(self, queryset, name, countries):
        """A party: the country itself, or an organization of that country."""
        through_countries = Agreement.party_countries.through.objects.filter(
            agreement=OuterRef("pk"), country__in=countries
        )
        through_organizations = Agreement.party_organizations.through.objects.filter(
            agreement=OuterRef("pk"), organization__country__in=countries
        )
        return queryset.filter(Exists(through_countries) | Exists(through_organizations))

    def filter_organization(self, queryset, name, organization):
        return queryset.filter(
            Exists(
                Agreement.party_organizations.through.objects.filter(
                    agreement=OuterRef("pk"), organization=organization
                )
            )
        )

    def filter_person(self, queryset, name, person):
        return queryset.filter(
            Exists(Signatory.objects.filter(agreement=OuterRef("pk"), person=person))
        )

    def filter_in_force(self, queryset, name, day):
        return queryset.in_force_on(day)

    def in_period(self, queryset, start, end):
        if start:
            queryset = queryset.filter(signed_on__gte=start)
        if end:
            queryset = queryset.filter(signed_on__lte=end)
        return queryset


class OrganizationFilter(django_filters.FilterSet):
    country = CountryFilter(label="Country", method="filter_country")
    kind = django_filters.ChoiceFilter(
        label="Classification",
        field_name="classification",
        choices=Organization.Classification.choices,
        empty_label="Any classification",
    )
    q = django_filters.CharFilter(label="Text", method="filter_text", max_length=200)
    page = PageFilter(label="Page")

    class Meta:
        model = Organization
        fields: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["country"].widget.kind = "organizations"

    def filter_country(self, queryset, name, countries):
        return queryset.filter(country__in=countries)

    def filter_text(self, queryset, name, value):
        return queryset.filter(all_words_in(("name", "short_name"), value))


class PersonFilter(django_filters.FilterSet):
    country = CountryFilter(label="Country", method="filter_country")
    q = django_filters.CharFilter(label="Name", method="filter_text", max_length=200)
    page = PageFilter(label="Page")

    class Meta:
        model = Person
        fields: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["country"].widget.kind = "people"

    def filter_country(self, queryset, name, countries):
        return queryset.filter(country__in=countries)

    def filter_text(self, queryset, name, value):
        return queryset.filter(all_words_in(("name",), value))


class CountryListFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name", method="filter_text", max_length=200)
    status = django_filters.ChoiceFilter(
        label="Status", choices=Country.Status.choices, empty_label="Any status"
    )
    all = django_filters.BooleanFilter(
        label="Include countries without records",
        method="filter_all",
        widget=forms.CheckboxInput,
    )
    page = PageFilter(label="Page")

    class Meta:
        model = Country
        fields: tuple = ()

    def filter_text(self, queryset, name, value):
        return queryset.filter(all_words_in(("name", "official_name", "code"), value))

    def filter_all(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("all"):
            queryset = queryset.with_records()
        return queryset
