"""What every filtered list does: validate the filters, page the results, describe the active
filters (each with a link that removes it) and, when nothing matches, say which filters did it.

FilteredListView is django-filter's FilterView with what our lists share; each list is a few
declarative lines (visits.views.lists). Feeds and exports bind and check their filters with
the same function, filters_for(), and report the same errors."""

from dataclasses import dataclass

from django.db import models
from django.http import HttpResponseRedirect, QueryDict
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django_filters.fields import RangeField
from django_filters.views import FilterView

from . import facets
from .caching import remember
from .paginator import ListPaginator
from .paging import PAGE_SIZES
from .timeline import cached_timeline

PER_PAGE = 50
# Parameters that never count as filters.
NOT_FILTERS = {"page", "sort", "per_page", "facet"}


@dataclass
class ActiveFilter:
    name: str
    label: str
    value: str
    remove_query: str
    count_without: int | None = None


def describe(value):
    """A filter value as people read it."""
    if hasattr(value, "isoformat"):
        return date_format(value, "j F Y")
    if isinstance(value, models.Model):
        return str(value)
    if value is True:
        return "yes"
    return str(value)


def filters_for(filterset_class, request, queryset):
    """The filters of a request, bound to its address (always: an empty address is valid)."""
    return filterset_class(request.GET, queryset=queryset, request=request)


def filter_errors(filterset):
    """{parameter: [messages]} of a filter set that is not valid."""
    return {name: list(messages) for name, messages in filterset.form.errors.items()}


def errors_as_text(errors):
    """The errors of filter_errors() as lines of plain text, `parameter: message`."""
    return "\n".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())


def active_filters(filterset):
    """One entry per filter value in use; removing one keeps all the others. A period's two
    ends (date_after, date_before) are two entries, each removable alone."""
    data = filterset.data
    cleaned = filterset.form.cleaned_data
    found = []

    def add(label, value, *remove, keep=None):
        query = data.copy()
        query.pop("page", None)
        for name in remove:
            query.pop(name, None)
        if keep is not None:
            query.setlist(*keep)
        found.append(
            ActiveFilter(
                name=remove[0] if remove else keep[0],
                label=label,
                value=value,
                remove_query=query.urlencode(),
            )
        )

    for name, field in filterset.form.fields.items():
        value = cleaned.get(name)
        if name in NOT_FILTERS or value in (None, "", [], False):
            continue
        if isinstance(field, RangeField):
            widget = field.widget
            for end, suffix, label in zip(
                (value.start, value.stop), widget.suffixes, widget.labels, strict=True
            ):
                if end is not None:
                    add(str(label), describe(end), widget.suffixed(name, suffix))
        elif isinstance(value, list):
            raw_values = data.getlist(name)
            for item in value:
                remaining = [raw for raw in raw_values if raw.strip().upper() != item.code]
                add(str(field.label), describe(item), keep=(name, remaining))
        else:
            text = describe(value)
            if hasattr(field, "choices") and not isinstance(value, models.Model):
                text = dict(field.choices).get(value, text)
            add(str(field.label), text, name)
    return found


def explain_empty(filterset_class, queryset, filters, request):
    """For an empty result: how many records each filter, removed alone, would let through."""
    for active in filters:
        other = filterset_class(QueryDict(active.remove_query), queryset=queryset, request=request)
        active.count_without = other.qs.count() if other.is_valid() else None
    return filters


def canonical_query(data):
    """The filters of a query string, in a stable order (for cache keys)."""
    return "&".join(
        f"{key}={value}"
        for key in sorted(data)
        if key not in NOT_FILTERS
        for value in sorted(data.getlist(key))
        if value.strip()
    )


def clean_query(data, defaults):
    """A query string as the site writes it: without empty values, nor values that say what
    the default says (`page=1`, `per_page=50`, the list's own order), in the order given,
    repeated parameters kept."""
    clean = QueryDict(mutable=True)
    for key, values in data.lists():
        kept = [value for value in values if value.strip() and value != defaults.get(key)]
        if kept:
            clean.setlist(key, kept)
    return clean


def address(path, query):
    """`path?query`, or the path alone."""
    text = query.urlencode()
    return f"{path}?{text}" if text else path


@dataclass
class Link:
    label: str
    href: str
    current: bool = False


@dataclass
class SortLink:
    href: str
    aria_sort: str = ""  # "ascending" or "descending" on the column the list is sorted by


class FilteredListView(FilterView):
    """A filtered list, PER_PAGE records a page (or per_page). Bad parameters give the page
    back with the messages at their fields and the status 400; a page past the end gives the
    last page; an address with empty or default parameters (a submitted form) redirects to its
    clean address.

    A list sets model (or queryset), filterset_class and template_name, `timeline = True` for
    the chart of visits per year above it, `default_sort` (the `sort` its order is without
    one; `ranked` when a text search orders it instead), and may override decorate(rows) to
    add what its rows show beyond their fields. Lists of a model with facets
    (visits.facets) show them."""

    paginate_by = PER_PAGE
    timeline = False
    export_name = None  # the name of the list's CSV and JSON export, if it has one
    default_sort = None
    ranked = False
    lists_every_record = True  # whether the list without filters holds all the model's records

    def get_filterset_kwargs(self, filterset_class):
        # Always bound (an empty address is valid), as filters_for() binds them.
        return {"data": self.request.GET, "request": self.request, "queryset": self.get_queryset()}

    def defaults(self, data):
        """The parameters an address need not give: what they say is what the list does."""
        found = {"page": "1", "per_page": str(PER_PAGE)}
        searching = any(value.strip() for value in data.getlist("q"))
        if self.default_sort and not (self.ranked and searching):
            found["sort"] = self.default_sort
        return found

    def link(self, keep_facet=True, **changes):
        """This list's address with parameters changed (None removes one, a list repeats
        it), always clean; a new address starts again from the first page."""
        query = self.request.GET.copy()
        query.pop("page", None)
        if not keep_facet:
            query.pop("facet", None)
        for name, value in changes.items():
            if value is None:
                query.pop(name, None)
            elif isinstance(value, list):
                query.setlist(name, value)
            else:
                query[name] = str(value)
        return address(self.request.path, clean_query(query, self.defaults(query)))

    def get(self, request, *args, **kwargs):
        clean = clean_query(request.GET, self.defaults(request.GET))
        if list(clean.lists()) != list(request.GET.lists()):
            return HttpResponseRedirect(address(request.path, clean))
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_valid():
            self.object_list = self.filterset.queryset.none()
            context = {
                "filter": self.filterset,
                "invalid": True,
                "view": self,
                "filters_open": True,
                **self.nouns(),
            }
            return self.render_to_response(context, status=400)
        self.object_list = self.filterset.qs
        return self.render_to_response(self.get_context_data(filter=self.filterset))

    def get_paginate_by(self, queryset):
        return int(self.filterset.form.cleaned_data.get("per_page") or PER_PAGE)

    def paginate_queryset(self, queryset, page_size):
        """The page asked for (checked by the filters), or the last one; the count and the
        timeline are kept per data version under the list's filters."""
        key = self.cache_key()
        paginator = ListPaginator(
            queryset, page_size, base=self.get_queryset(), count_key=("count", key)
        )
        if self.timeline and paginator.count:
            self.chart = paginator.timeline = cached_timeline(queryset, key)
        number = self.filterset.form.cleaned_data.get("page") or 1
        page = paginator.page(min(number, paginator.num_pages))
        return paginator, page, page.object_list, page.has_other_pages()

    def cache_key(self):
        return f"{self.request.path}?{canonical_query(self.filterset.data)}"

    def nouns(self):
        """What the list's records are called, one and many ("person", "people")."""
        meta = self.filterset_class._meta.model._meta
        return {"noun": meta.verbose_name, "nouns": meta.verbose_name_plural}

    def decorate(self, rows):
        """A hook: add to the rows of the page what the template shows beyond their fields."""

    def get_context_data(self, **kwargs):
        self.chart = None
        context = super().get_context_data(**kwargs)
        self.decorate(context["object_list"])
        filters = active_filters(self.filterset)
        for active in filters:
            query = QueryDict(active.remove_query)
            active.remove_query = clean_query(query, self.defaults(query)).urlencode()
        if context["paginator"].count == 0 and filters:
            explain_empty(type(self.filterset), self.get_queryset(), filters, self.request)
        cleaned = self.filterset.form.cleaned_data
        list_query = clean_query(self.request.GET, self.defaults(self.request.GET))
        for name in ("page", "per_page", "facet"):
            list_query.pop(name, None)
        feed_query = list_query.copy()
        feed_query.pop("sort", None)
        shown_facets, facets_html = self.facets(cleaned)
        form_query = self.request.GET.copy()
        form_query.pop("page", None)
        filter_form_html = remember(
            ("filter-form", self.request.path, form_query.urlencode()),
            lambda: render_to_string(
                "_partials.html#filter_form", {"filter": self.filterset, "request": self.request}
            ),
        )
        context.update(
            active_filters=filters,
            filters_open=bool(filters),
            list_query=list_query.urlencode(),
            feed_query=feed_query.urlencode(),
            timeline=self.chart,
            **self.nouns(),
            export_name=self.export_name,
            sort=self.current_sort(),
            sort_label=self.sort_label(),
            sorting=self.sort_links(),
            pagination=self.pagination(context["page_obj"]),
            facets=shown_facets,
            facets_html=facets_html,
            filter_form_html=filter_form_html,  # drawn once per address and data version
        )
        return context

    # Sorting, pages and facets --------------------------------------------------------------

    def current_sort(self):
        chosen = self.filterset.form.cleaned_data.get("sort") or []
        if chosen:
            return chosen[0]
        return self.defaults(self.request.GET).get("sort", "")

    def sort_label(self):
        field = self.filterset.form.fields.get("sort")
        return dict(field.choices).get(self.current_sort(), "") if field else ""

    def sort_links(self):
        """{column: SortLink} for each column the list sorts by: sorted by it, the link turns
        the order round; otherwise it sorts by it, dates newest first and names A to Z."""
        sort_filter = self.filterset.filters.get("sort")
        if sort_filter is None:
            return {}
        current = self.current_sort()
        links = {}
        for param in sort_filter.param_map:
            if current == param:
                target, aria = f"-{param}", "ascending"
            elif current == f"-{param}":
                target, aria = param, "descending"
            else:
                target, aria = (f"-{param}" if param == "date" else param), ""
            links[param] = SortLink(self.link(sort=target), aria)
        return links

    def pagination(self, page):
        """The links of the pagination bar: first, previous, a window of page numbers (with
        None for a gap), next, last, and the page sizes."""
        paginator = page.paginator

        def to(number):
            return self.link(page=None if number == 1 else number)

        current_size = paginator.per_page
        return {
            "first": to(1) if page.has_previous() else "",
            "previous": to(page.previous_page_number()) if page.has_previous() else "",
            "next": to(page.next_page_number()) if page.has_next() else "",
            "last": to(paginator.num_pages) if page.has_next() else "",
            "numbers": [
                Link(str(number), to(number), number == page.number)
                if isinstance(number, int)
                else None
                for number in paginator.get_elided_page_range(page.number, on_each_side=2)
            ],
            "sizes": [
                Link(str(size), self.link(per_page=size), size == current_size)
                for size in PAGE_SIZES
            ],
        }

    def facets(self, cleaned):
        """The list's facets, with their links and as HTML: counted once per data version and
        filters, linked and drawn once per data version and address (not the page)."""
        model = self.filterset_class._meta.model
        if not facets.facets_of(model):
            return [], ""
        opened = cleaned.get("facet") or None
        filtered = bool(canonical_query(self.filterset.data))
        records = None if self.lists_every_record and not filtered else self.object_list

        def shown():
            found = remember(
                ("facets", self.cache_key(), opened),
                lambda: facets.counts(model, records, cleaned, opened),
            )
            linked = [self.facet_links(facet, cleaned, opened) for facet in found if facet.values]
            context = {"facets": linked, **self.nouns()}
            return linked, render_to_string("visits/_list.html#facets", context)

        query = self.request.GET.copy()
        query.pop("page", None)
        return remember(("facets-shown", self.request.path, query.urlencode()), shown)

    def facet_links(self, facet, cleaned, opened):
        shown = facets.ShownFacet(facet.name, facet.title)
        active = facets.facet_named(self.filterset_class._meta.model, facet.name)
        chosen = active.active_keys(cleaned) if active else None
        data = self.request.GET
        for value in facet.values:
            if chosen is not None:
                param = active.param
                chosen_value = value.param.casefold()
                remaining = [
                    raw for raw in data.getlist(param) if raw.strip().casefold() != chosen_value
                ]
                href = self.link(keep_facet=False, **{param: remaining or None})
            elif value.period:
                start, end = value.period
                href = self.link(
                    keep_facet=False, date_after=start.isoformat(), date_before=end.isoformat()
                )
            else:
                param = active.param
                href = self.link(keep_facet=False, **{param: [*data.getlist(param), value.param]})
            shown.links.append(facets.Link(value.label, value.count, href, chosen is not None))
        if opened == facet.name:
            shown.fewer_href = self.link(facet=None)
        elif facet.more:
            shown.more_href = self.link(facet=facet.name)
        return shown
