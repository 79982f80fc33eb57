"""What every filtered list does: validate the filters, page the results, describe the active
filters (each with a link that removes it) and, when nothing matches, say which filters did it."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import render
from django.utils.formats import date_format

from .timeline import cached_timeline

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
    paginator = Paginator(filterset.qs, PER_PAGE)
    number = filterset.form.cleaned_data.get("page") if filterset.is_bound else None
    page = paginator.page(min(number or 1, paginator.num_pages))
    if decorate is not None:
        decorate(filterset, page.object_list)
    if paginator.count == 0 and filters:
        explain_empty(filterset_class, queryset, filters, request)
    if timeline and paginator.count:
        context["timeline"] = cached_timeline(
            filterset.qs, f"{request.path}?{canonical_query(filterset.data)}"
        )
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
