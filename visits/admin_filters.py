"""The admin's lists made for thousands of rows: their filters and their compact columns.

The filters: a country, a person or a body picked by typing (the admin's own autocomplete),
a date range typed as everywhere in the admin, and the dataset a record came from, each choice
with a name (records without a dataset were "entered by hand").

Every filter is a small form of its own in the sidebar, with a Filter button, so that it
works with JavaScript off as well: the autocomplete is then a plain select of the records
that the list actually uses."""

import datetime

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .admin_dates import PARTIAL_HELP, iso_partial, parse_partial
from .models.base import DatePrecision

# Above this many records in use, the select shown without JavaScript would be too long to
# load with every page: it then holds only the record chosen, and the search box finds the rest.
PLAIN_SELECT_LIMIT = 400


def other_parameters(changelist, own):
    """The list's query string without the filter's own parameters and the page number, as
    (name, value) pairs: the hidden fields that keep the other filters, the search and the
    order when this filter's form is sent."""
    query = changelist.get_query_string(remove=[*own, PAGE_VAR])
    return [
        (name, value)
        for name, values in QueryDict(query.removeprefix("?")).lists()
        for value in values
    ]


class FormFilter(admin.FieldListFilter):
    """A filter shown as a form: what its template needs comes as one choice holding the
    filter itself, the hidden fields and the address that clears it."""

    filter_title = None

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        if self.filter_title:
            self.title = self.filter_title
        self.model_admin = model_admin
        self.model = model
        self.input_id = "filter-" + field_path.replace("__", "-")

    @classmethod
    def titled(cls, title):
        """This filter under another title than the field's name ("head of delegation")."""
        return type(cls.__name__, (cls,), {"filter_title": title})

    def value(self, name):
        """The last value sent for the parameter, or ""."""
        values = self.used_parameters.get(name) or [""]
        return str(values[-1]).strip()

    def get_facet_counts(self, pk_attname, filtered_qs):
        # A form shows no counts: asking for facets leaves this filter as it is.
        return {}

    def choices(self, changelist):
        own = self.expected_parameters()
        yield {
            "spec": self,
            "hidden": other_parameters(changelist, own),
            "clear_url": changelist.get_query_string(remove=[*own, PAGE_VAR]),
            "selected": any(self.value(name) for name in own),
        }


class AutocompleteFilter(FormFilter):
    """A related record (a country, a person, a body) picked by typing a few letters: the
    admin's autocomplete (select2, fed by admin:autocomplete with the related model admin's
    search) in place of a link for each of hundreds of records."""

    template = "admin/visits/filters/autocomplete.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.source_field = field  # the last of the path's fields: on the list's model or not
        self.remote_model = self.source_field.remote_field.model
        self.lookup_kwarg = f"{field_path}__{self.remote_model._meta.pk.name}__exact"
        super().__init__(field, request, params, model, model_admin, field_path)
        self.error = ""
        self.chosen = None
        text = self.value(self.lookup_kwarg)
        if text:
            try:
                self.chosen = self.remote_model._default_manager.get(pk=int(text))
            except (ValueError, self.remote_model.DoesNotExist):
                self.error = _("There is no such %(name)s; this filter is not applied.") % {
                    "name": self.remote_model._meta.verbose_name
                }

    def expected_parameters(self):
        return [self.lookup_kwarg]

    def queryset(self, request, queryset):
        if self.chosen is None:
            return queryset
        return queryset.filter(**{self.lookup_kwarg: self.chosen.pk})

    def used_records(self):
        """The related records the list refers to, by name, at most PLAIN_SELECT_LIMIT + 1
        of them (one query)."""
        used = self.model._default_manager.exclude(**{f"{self.field_path}__isnull": True})
        records = self.remote_model._default_manager.filter(
            pk__in=used.values(self.field_path)
        ).order_by(*(self.remote_model._meta.ordering or ["pk"]))
        return list(records[: PLAIN_SELECT_LIMIT + 1])

    def options(self):
        """(value, label, selected) of the select's options: an empty "All" first."""
        records = self.used_records()
        self.too_many = len(records) > PLAIN_SELECT_LIMIT
        if self.too_many:
            records = [self.chosen] if self.chosen else []
        elif self.chosen and self.chosen not in records:
            records.insert(0, self.chosen)
        chosen = self.chosen.pk if self.chosen else None
        return [("", _("All"), chosen is None)] + [
            (record.pk, str(record), record.pk == chosen) for record in records
        ]

    def widget(self):
        """The admin's own autocomplete select, for its attributes and its scripts."""
        return AutocompleteSelect(self.source_field, self.model_admin.admin_site)

    def select_attrs(self):
        attrs = self.widget().build_attrs({"id": self.input_id, "name": self.lookup_kwarg})
        attrs["data-placeholder"] = str(_("All"))
        if self.error:
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{self.input_id}-error"
        return flatatt(attrs)

    def media(self):
        """The autocomplete's scripts and styles (jQuery, select2, the admin's autocomplete.js
        in the order they need, then ours, which names the boxes), given once, with the list's
        first autocomplete filter. jQuery comes again after the page's own: select2 needs it
        before the admin's jquery.init.js, which the page has run already."""
        return self.widget().media + forms.Media(
            js=["admin/js/autocomplete.js", "js/admin-filters.js"]
        )

    def first_of_its_kind(self, changelist):
        first = next(
            spec for spec in changelist.filter_specs if isinstance(spec, AutocompleteFilter)
        )
        return first is self

    def choices(self, changelist):
        for choice in super().choices(changelist):
            choice["options"] = self.options()
            choice["too_many"] = self.too_many
            choice["media"] = self.media() if self.first_of_its_kind(changelist) else ""
            yield choice


class DateRangeFilter(FormFilter):
    """Dates from and to (both included, either may be left empty), typed as everywhere in
    the admin: YYYY-MM-DD, or YYYY-MM and YYYY for a whole month or year (from its first day,
    to its last). In place of the year-by-year date hierarchy, which runs to a hundred years
    and more."""

    template = "admin/visits/filters/date_range.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_from = f"{field_path}__gte"
        self.lookup_to = f"{field_path}__lte"
        super().__init__(field, request, params, model, model_admin, field_path)
        self.bounds = {}
        self.errors = {}
        for name in (self.lookup_from, self.lookup_to):
            text = self.value(name)
            if not text:
                continue
            day = parse_partial(text, end=name == self.lookup_to)
            if day is None:
                self.errors[name] = _(
                    "Enter a date as YYYY-MM-DD, YYYY-MM or YYYY (“%(text)s” is not); "
                    "it is not applied."
                ) % {"text": text}
            else:
                self.bounds[name] = datetime.date(day.year, day.month, day.day)

    def expected_parameters(self):
        return [self.lookup_from, self.lookup_to]

    def queryset(self, request, queryset):
        return queryset.filter(**self.bounds)

    def inputs(self):
        """(name, id, label, value, error) of the two date inputs."""
        return [
            (
                name,
                f"{self.input_id}-{suffix}",
                label,
                self.value(name),
                self.errors.get(name, ""),
            )
            for name, suffix, label in (
                (self.lookup_from, "from", _("From")),
                (self.lookup_to, "to", _("To")),
            )
        ]

    def choices(self, changelist):
        for choice in super().choices(changelist):
            choice["inputs"] = self.inputs()
            choice["help"] = PARTIAL_HELP
            yield choice


class DatasetFilter(admin.SimpleListFilter):
    """The dataset a record was imported from, by name; records without one were entered by
    hand in the admin (the empty, unlabelled choice of a plain filter on the field)."""

    title = _("dataset")
    parameter_name = "dataset"
    BY_HAND = "-"

    def lookups(self, request, model_admin):
        datasets = (
            model_admin.model._default_manager.exclude(dataset="")
            .order_by("dataset")
            .values_list("dataset", flat=True)
            .distinct()
        )
        return [(self.BY_HAND, _("entered by hand"))] + [(name, name) for name in datasets]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None or value == "":
            return queryset
        return queryset.filter(dataset="" if value == self.BY_HAND else value)


# The columns of the lists: compact, so that a row holds its dates at 1280 px. ----------------


def one_line(field, description, ordering=None):
    """A column of a long text (a title) on one line, cut to a width by the stylesheet; the
    whole text is in the cell's tooltip, and in the page for screen readers and search."""

    @admin.display(description=description, ordering=ordering or field)
    def column(obj):
        text = str(getattr(obj, field) or "")
        if not text:
            return None
        return format_html('<span class="one-line" title="{}">{}</span>', text, text)

    column.__name__ = field
    return column


def partial_date(field, description, precision=None):
    """A column of a date as editors type it: 2025-09-24, or 2025-09 and 2025 where only the
    month or the year is known."""

    @admin.display(description=description, ordering=field)
    def column(obj):
        value = getattr(obj, field)
        if value is None:
            return None
        text = iso_partial(value, getattr(obj, precision) if precision else DatePrecision.DAY)
        return format_html('<time datetime="{}">{}</time>', text, text)

    column.__name__ = field
    return column


def country_code(field, description):
    """A column of a country as its code (AZ), with the name in the tooltip and for screen
    readers; the name where a country has no code."""

    @admin.display(description=description, ordering=f"{field}__name")
    def column(obj):
        country = getattr(obj, field)
        if country is None:
            return None
        if not country.code:
            return country.name
        return format_html('<abbr title="{}">{}</abbr>', country.name, country.code)

    column.__name__ = field
    return column
