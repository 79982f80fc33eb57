"""Filters for the public lists. Parameter names are a public contract, the same on every list
where they apply: country, guest, host, date_after, date_before, year, kind, organization,
person, events, q, sort, page.

What a filter means is a rule of the records' QuerySet (visits.models): `involving`,
`in_period`, `with_person`, …; the filters here only read the address and name the rule, so
pages, feeds, exports and filters cannot disagree about it."""

import datetime

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchVectorExact, SearchVectorField
from django.db import connection
from django.db.models import Case, Exists, F, Func, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from .forms import (
    DAY_ERROR,
    DAY_HINT,
    ISO_DATE,
    YEAR_ERROR,
    ChoiceCheckbox,
    CountryCodesField,
    CountryInput,
    FilterForm,
    PeriodField,
    RecordField,
    RecordInput,
    text_input,
)
from .models import (
    Agreement,
    Country,
    Journey,
    Meeting,
    MeetingParticipant,
    Organization,
    Person,
    Visit,
)
from .paging import FacetFilter, PageFilter, PerPageFilter, SortFilter, sort_choices
from .searching import all_words_in, forms_of, in_search_index, or_named_country, words

# Countries ----------------------------------------------------------------------------------


class CountryFilter(django_filters.Filter):
    """One or more countries; several values mean any of them. With `rule`, the QuerySet
    method that says what "this country" means for the list (`involving`, `with_party`);
    otherwise the field named is one of them."""

    field_class = CountryCodesField

    def __init__(self, *args, rule=None, **kwargs):
        self.rule = rule
        super().__init__(*args, **kwargs)

    def filter(self, qs, countries):
        if not countries:
            return qs
        if self.rule:
            return getattr(qs, self.rule)(*countries)
        return qs.filter(**{f"{self.field_name}__in": countries})


# Records named by slug ----------------------------------------------------------------------


class RecordFilter(django_filters.ModelChoiceFilter):
    """An organization or a person named by slug in the address (or by name, typed in the
    form); `rule` is the QuerySet method that says what taking part means for the list
    (`with_person`, `signed_by`, …)."""

    field_class = RecordField

    def __init__(self, model, rule, **kwargs):
        self.rule = rule
        name = model._meta.verbose_name
        kwargs.setdefault("queryset", model.objects.all())
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", RecordInput(model))
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": f"No {name} has that name: choose one from the list."},
        )
        super().__init__(**kwargs)

    def filter(self, qs, record):
        return getattr(qs, self.rule)(record) if record else qs


# Dates ----------------------------------------------------------------------------------------


class PeriodFilter(django_filters.Filter):
    """date_after and date_before (the names django-filter's DateFromToRangeFilter gives): the
    records of the period, as the list's QuerySet rule in_period() understands it (visits that
    overlap it, meetings held and agreements signed in it)."""

    field_class = PeriodField

    def filter(self, qs, period):
        return qs.in_period(period.start, period.stop) if period else qs


class YearFilter(django_filters.NumberFilter):
    """A whole year, as a period."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.update(
            min_value=1000,
            max_value=9999,
            error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), YEAR_ERROR),
            widget=text_input(inputmode="numeric", size=4, maxlength=4),
            help_text=_("e.g. 2025"),
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, year):
        if year is None:
            return qs
        year = int(year)
        return qs.in_period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


# Filter sets --------------------------------------------------------------------------------


class ListFilter(django_filters.FilterSet):
    """What every list shares: free text over `search_fields`, the page, and the kind of
    records whose countries the country controls offer."""

    q = django_filters.CharFilter(label=_("Text"), method="filter_text", max_length=200)
    page = PageFilter(label=_("Page"))
    per_page = PerPageFilter(label=_("Per page"))
    facet = FacetFilter(label=_("Facet"))

    search_fields: tuple = ()
    country_choices_kind = "any"
    field_order: tuple = ()

    class Meta:
        fields: tuple = ()
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.field_order:
            self.form.order_fields(self.field_order)
        for field in self.form.fields.values():
            if isinstance(field.widget, CountryInput):
                field.widget.kind = self.country_choices_kind

    def filter_text(self, queryset, name, value):
        return queryset.filter(all_words_in(self.search_fields, value))


class DatedListFilter(ListFilter):
    """The parameters of the lists of dated records: visits, meetings and agreements."""

    country = CountryFilter(label=_("Country"), rule="involving")
    date = PeriodFilter(label=_("Dates"))
    year = YearFilter(label=_("Year"))

    field_order = ("q", "country", "guest", "host", "date", "year")


class VisitFilter(DatedListFilter):
    guest = CountryFilter(label=_("Guest country"), field_name="guest_country")
    host = CountryFilter(label=_("Host country"), field_name="host_country")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Visit.Kind.choices, empty_label=_("Any kind")
    )
    organization = RecordFilter(Organization, "with_organization", label=_("Organization"))
    person = RecordFilter(Person, "with_person", label=_("Person"))
    events = django_filters.ChoiceFilter(
        label=_("Count each event once"),
        choices=[("once", _("yes, accompanying visits left out"))],
        method="filter_events",
        widget=ChoiceCheckbox("once"),
    )
    # Declared after q: a chosen order replaces the ranking of a text search.
    sort = SortFilter(
        fields=(
            ("start_date", "date"),
            ("title", "title"),
            ("guest_country__name", "guest"),
            ("host_country__name", "host"),
            ("kind", "kind"),
        ),
        choices=[
            ("-date", _("Newest first")),
            ("date", _("Oldest first")),
            *sort_choices(
                ("title", _("Title, A–Z"), _("Title, Z–A")),
                ("guest", _("Guest country, A–Z"), _("Guest country, Z–A")),
                ("host", _("Host country, A–Z"), _("Host country, Z–A")),
                ("kind", _("Kind, A–Z"), _("Kind, Z–A")),
            ),
        ],
        then=("-start_date", "slug"),
        empty_label=_("Best match with a search, else newest first"),
    )

    country_choices_kind = "visits"

    class Meta(DatedListFilter.Meta):
        model = Visit

    def filter_events(self, queryset, name, value):
        """events=once: each event once, without the visits that were part of another."""
        return queryset.one_per_event() if value == "once" else queryset

    def filter_text(self, queryset, name, value):
        """Ranked: the visits with the most of the words in their title first, then the newest
        (`rank`, the number of words found in the title, has a few values only: the list is
        paged level by level, each read in date order, see visits.paginator.ListPaginator).
        Every word must appear in the visit's text: on PostgreSQL by full-text search over
        the search vector (the title's words weighted A), elsewhere in the search text. Each
        word matches as typed or folded (any script, no accents: "Ташкент" finds "Tashkent",
        "Əliyev" the folded "Kamran Əliyev"), or as the name of a visit's country in any
        language."""
        terms = words(value)
        if not terms:
            return queryset
        countries = ("guest_country", "host_country")
        condition = Q()
        in_title = []
        for term in terms:
            if connection.vendor == "postgresql":
                kind = "phrase" if " " in term else "plain"
                query = None
                for form in forms_of(term):
                    found = SearchQuery(form, config="english", search_type=kind)
                    query = found if query is None else query | found
                in_text = Q(search_vector=query)
                in_title.append(SearchVectorExact(TitleWords(), query))
            else:
                in_text = Q()
                for form in forms_of(term):
                    in_text |= Q(search_text__icontains=form)
                in_text &= in_search_index([term])
                in_title.append(Q(title__icontains=term))
            condition &= or_named_country(in_text, term, *countries)
        rank = sum((Case(When(found, then=1), default=0) for found in in_title), Value(0))
        return (
            queryset.filter(condition).annotate(rank=rank).order_by("-rank", "-start_date", "slug")
        )


class TitleWords(Func):
    """The words of a visit's title in its search vector (those weighted A)."""

    template = "ts_filter(%(expressions)s, '{a}')"
    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(F("search_vector"))


class MeetingFilter(DatedListFilter):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Meeting.Kind.choices, empty_label=_("Any kind")
    )
    organization = RecordFilter(Organization, "with_organization", label=_("Organization"))
    person = RecordFilter(Person, "with_person", label=_("Person"))
    sort = SortFilter(
        fields=(
            ("date", "date"),
            ("title", "title"),
            ("kind", "kind"),
            ("place", "place"),
            ("country__name", "country"),
        ),
        choices=[
            ("-date", _("Newest first")),
            ("date", _("Oldest first")),
            *sort_choices(
                ("title", _("Title, A–Z"), _("Title, Z–A")),
                ("kind", _("Kind, A–Z"), _("Kind, Z–A")),
                ("place", _("Place, A–Z"), _("Place, Z–A")),
                ("country", _("Country, A–Z"), _("Country, Z–A")),
            ),
        ],
        then=("-date", "slug"),
        empty_label=None,
    )

    country_choices_kind = "meetings"

    class Meta(DatedListFilter.Meta):
        model = Meeting

    def filter_text(self, queryset, name, value):
        """Every word in the title, summary or place, or in a participant's name."""
        condition = Q()
        for word in words(value):
            participant = MeetingParticipant.objects.filter(
                meeting=OuterRef("pk"), person__name__icontains=word
            )
            condition &= (
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(place__icontains=word)
                | Exists(participant)
            )
        return queryset.filter(condition)


class AgreementFilter(DatedListFilter):
    country = CountryFilter(label=_("Country"), rule="with_party")
    in_force_on = django_filters.DateFilter(
        label=_("In force on"),
        method="filter_in_force",
        input_formats=ISO_DATE,
        error_messages={"invalid": DAY_ERROR},
        widget=text_input(size=10),
        help_text=DAY_HINT,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Agreement.Kind.choices, empty_label=_("Any kind")
    )
    organization = RecordFilter(
        Organization, "with_party_organization", label=_("Party (organization)")
    )
    person = RecordFilter(Person, "signed_by", label=_("Signatory"))
    sort = SortFilter(
        fields=(("signed_on", "date"), ("title", "title"), ("kind", "kind")),
        choices=[
            ("-date", _("Newest first")),
            ("date", _("Oldest first")),
            *sort_choices(
                ("title", _("Title, A–Z"), _("Title, Z–A")),
                ("kind", _("Kind, A–Z"), _("Kind, Z–A")),
            ),
        ],
        then=("-signed_on", "slug"),
        empty_label=None,
    )

    search_fields = ("title", "summary", "signed_place")
    country_choices_kind = "agreements"

    class Meta(DatedListFilter.Meta):
        model = Agreement

    def filter_in_force(self, queryset, name, day):
        return queryset.in_force_on(day)


class JourneyFilter(DatedListFilter):
    person = RecordFilter(Person, "with_traveller", label=_("Traveller"))

    search_fields = ("title",)
    country_choices_kind = "visits"

    class Meta(DatedListFilter.Meta):
        model = Journey


class NamedListFilter(ListFilter):
    """Organizations and people: by name and country."""

    country = CountryFilter(label=_("Country"), field_name="country")

    field_order = ("q", "country")


class OrganizationFilter(NamedListFilter):
    kind = django_filters.ChoiceFilter(
        label=_("Classification"),
        field_name="classification",
        choices=Organization.Classification.choices,
        empty_label=_("Any classification"),
    )

    search_fields = ("name", "short_name")
    country_choices_kind = "organizations"

    class Meta(NamedListFilter.Meta):
        model = Organization


class PersonFilter(NamedListFilter):
    q = django_filters.CharFilter(label=_("Name"), method="filter_text", max_length=200)

    search_fields = ("name",)
    country_choices_kind = "people"

    class Meta(NamedListFilter.Meta):
        model = Person


class CountryListFilter(ListFilter):
    q = django_filters.CharFilter(label=_("Name"), method="filter_text", max_length=200)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Country.Status.choices, empty_label=_("Any status")
    )
    all = django_filters.BooleanFilter(
        label=_("Include countries without records"),
        method="filter_all",
        widget=forms.CheckboxInput,
    )

    search_fields = ("name", "official_name", "code")

    class Meta(ListFilter.Meta):
        model = Country

    def filter_all(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("all"):
            queryset = queryset.with_records()
        return queryset
