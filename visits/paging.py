"""The parameters that shape a list rather than choose its records: the page, how many
records a page shows (per_page), the facet shown in full (facet) and the order (sort). They are
filters so that the list's form checks them, and a bad value is a 400 with the reason like any
other; paging and facets themselves happen in the view (visits.listing)."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from .facets import facet_names

PAGE_SIZES = (25, 50, 100, 200)


class PageFilter(django_filters.Filter):
    """Validates the page number; paging itself happens in the view."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 10**9)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("The page must be a whole number."),
                "min_value": _("The page must be 1 or more."),
                "max_value": _("That page number is too large."),
            },
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs


class PerPageFilter(django_filters.ChoiceFilter):
    """How many records a page shows (per_page); paging itself happens in the view. Offered
    as links beside the pages, and kept by the form when chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.update(
            choices=[(str(size), str(size)) for size in PAGE_SIZES],
            widget=forms.HiddenInput,
            error_messages={
                "invalid_choice": _("Show 25, 50, 100 or 200 records a page (per_page).")
            },
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs


class FacetFilter(django_filters.ChoiceFilter):
    """The facet shown in full (facet=guest), one of the list's facets (visits.facets)."""

    def __init__(self, *args, **kwargs):
        kwargs.update(widget=forms.HiddenInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs

    @property
    def field(self):
        if not hasattr(self, "_field"):
            names = facet_names(self.model)
            self.extra["choices"] = [(name, name) for name in names]
            self.extra["error_messages"] = {
                "invalid_choice": format_lazy(
                    _("This list has no such facet; it has {names}."),
                    names=", ".join(names) or _("none"),
                )
            }
        return super().field


def nullable(model, path):
    """Whether a field (`country__name`) can be empty along its path."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.null:
            return True
        model = field.related_model or model
    return False


class SortFilter(django_filters.OrderingFilter):
    """django-filter's OrderingFilter, each order followed by the list's own (so that rows
    that tie keep a stable order), records without a value (no date) last either way.
    `sort` names a column and its direction: `date`, `-date`, `title`, …"""

    def __init__(self, *args, then=(), **kwargs):
        self.then = list(then)
        kwargs.setdefault("label", _("Sort"))
        super().__init__(*args, **kwargs)

    def get_ordering_value(self, param):
        ordering = super().get_ordering_value(param)
        name = ordering.lstrip("-")
        if not nullable(self.model, name):
            return ordering
        column = F(name)
        if ordering.startswith("-"):
            return column.desc(nulls_last=True)
        return column.asc(nulls_last=True)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value if param]
        return qs.order_by(*ordering, *[field for field in self.then if field not in ordering])


def sort_choices(*columns):
    """Both directions of each column: (param, ascending label, descending label)."""
    return [
        choice
        for param, ascending, descending in columns
        for choice in ((param, ascending), (f"-{param}", descending))
    ]
