"""What every filtered list does: validate the filters, page the results, describe the active
filters (each with a link that removes it) and, when nothing matches, say which filters did it."""

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import render
from django.utils.formats import date_format

from .caching import remember
from .timeline import DATE_FIELD, cached_timeline

PER_PAGE = 50
# Parameters that never count as filters.
NOT_FILTERS = {"page", "sort"}


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


class ListPaginator(Paginator):
    """Pages a filtered queryset of records, fetching a page with one query however many
    records match.

    The page is read in two steps within that query (a "late row lookup"): the primary keys of
    the page, from the filtered table alone, sorted and cut there; then only those rows, with
    their related records. Asked in one step, a database may join every matching row to its
    countries, delegation and head before it sorts them and keeps fifty (SQLite did, for a
    country filter: 24,000 rows joined to show 50).

    Given the list's timeline (visits per year), a list sorted by date also tells the database
    which years the page lies in, so that it reads those alone: with the newest first, page
    one of the visits involving the United States is in the last year or two, and SQLite,
    which otherwise collects and sorts all 24,000 of them, reads a few hundred. Should the
    page come back short (the timeline out of step with the records), it is asked again
    without the hint.

    Given a count_key, the number of records is kept in the cache under it: the key holds the
    data version, as the timeline's does, so both change when the records do.
    """

    def __init__(self, object_list, per_page, base=None, count_key=None):
        super().__init__(object_list, per_page)
        self.base = base
        self.count_key = count_key
        self.timeline = None

    @cached_property
    def count(self):
        if self.count_key is None:
            return self.object_list.count()
        return remember(self.count_key, self.object_list.count)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        records = self.object_list
        window = self.window(top)
        keys = records if window is None else records.filter(window)
        rows = self.rows(keys.values("pk")[bottom:top])
        if window is not None and len(rows) < top - bottom:
            rows = self.rows(records.values("pk")[bottom:top])
        return self._get_page(rows, number, self)

    def rows(self, keys):
        """The records whose keys a subquery gives, in the list's order. They are read from
        the unfiltered queryset (base), which has what the list shows of them: the filters
        are not applied twice, or a database may start from them again rather than from the
        keys (SQLite did, reading all 3,900 matches of a search to show 50). Annotations the
        order needs (a search's rank) come along."""
        records = self.object_list
        if self.base is None:
            return list(records.filter(pk__in=keys))
        ordering = records.query.order_by
        annotations = records.query.annotations
        needed = {
            name: annotations[name]
            for name in (item.lstrip("-") for item in ordering if isinstance(item, str))
            if name in annotations and name not in self.base.query.annotations
        }
        rows = self.base.annotate(**needed) if needed else self.base
        if ordering:
            rows = rows.order_by(*ordering)
        return list(rows.filter(pk__in=keys))

    def window(self, top):
        """The dates that hold the first `top` records in the list's order, as a filter, or
        None (no timeline, or not sorted by date)."""
        if self.timeline is None or not self.timeline.bars:
            return None
        ordering = self.object_list.query.order_by or self.object_list.model._meta.ordering
        first = ordering[0] if ordering else None
        if first not in (DATE_FIELD, f"-{DATE_FIELD}"):
            return None
        bars = self.timeline.bars
        newest_first = first.startswith("-")
        seen = 0
        for index, bar in enumerate(reversed(bars) if newest_first else bars):
            seen += bar.visits
            if seen >= top:
                if newest_first:
                    return models.Q(**{f"{DATE_FIELD}__gte": bar.start})
                if index + 1 < len(bars):
                    return models.Q(**{f"{DATE_FIELD}__lt": bars[index + 1].start})
                return None
        return None


def active_filters(filterset):
    """One entry per filter value in use; removing one keeps all the others."""
    data = filterset.data
    cleaned = filterset.form.cleaned_data
    found = []
    for name, field in filterset.form.fields.items():
        if name in NOT_FILTERS or cleaned.get(name) in (None, "", [], False):
            continue
        value = cleaned[name]
        values = value if isinstance(value, list) else [value]
        raw_values = data.getlist(name)
        for item in values:
            query = data.copy()
            query.pop("page", None)
            if isinstance(value, list):
                remaining = [raw for raw in raw_values if raw.strip().upper() != item.code]
                query.setlist(name, remaining)
            else:
                query.pop(name, None)
            text = describe(item)
            if hasattr(field, "choices") and not isinstance(value, list | models.Model):
                text = dict(field.choices).get(item, text)
            found.append(
                ActiveFilter(
                    name=name,
                    label=str(field.label),
                    value=text,
                    remove_query=query.urlencode(),
                )
            )
    return found


def explain_empty(filterset_class, queryset, filters, request):
    """For an empty result: how many records each filter, removed alone, would let through."""
    from django.http import QueryDict

    for active in filters:
        data = QueryDict(active.remove_query)
        other = filterset_class(data, queryset=queryset, request=request)
        active.count_without = other.qs.count() if other.is_valid() else None
    return filters


def canonical_query(data):
    """The filters of a query string, in a stable order (for cache keys)."""
    return "&".join(
        f"{key}={value}"
        for key in sorted(data)
        if key not in NOT_FILTERS
        for value in sorted(data.getlist(key))
        if value
    )


def filtered_list(
    request,
    filterset_class,
    queryset,
    template,
    extra_context=None,
    timeline=False,
    decorate=None,
):
    """Render a filtered, paged list; bad parameters give the page back with status 400."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    context = {"filter": filterset, **(extra_context or {})}
    if filterset.is_bound and not filterset.is_valid():
        context["invalid"] = True
        return render(request, template, context, status=400)
    filters = active_filters(filterset) if filterset.is_bound else []
    key = f"{request.path}?{canonical_query(filterset.data)}"
    # Counted once per change of the data, like the timelines.
    count_key = ("count", key)
    paginator = ListPaginator(filterset.qs, PER_PAGE, base=queryset, count_key=count_key)
    if timeline and paginator.count:
        context["timeline"] = paginator.timeline = cached_timeline(filterset.qs, key)
    number = filterset.form.cleaned_data.get("page") if filterset.is_bound else None
    page = paginator.page(min(number or 1, paginator.num_pages))
    if decorate is not None:
        decorate(filterset, page.object_list)
    if paginator.count == 0 and filters:
        explain_empty(filterset_class, queryset, filters, request)
    list_query = filterset.data.copy()
    list_query.pop("page", None)
    feed_query = list_query.copy()
    feed_query.pop("sort", None)
    context.update(
        {
            "list_query": list_query.urlencode(),
            "feed_query": feed_query.urlencode(),
            "page_obj": page,
            "object_list": page.object_list,
            "paginator": paginator,
            "active_filters": filters,
        }
    )
    return render(request, template, context)
