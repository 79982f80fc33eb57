"""The read API: plain Django views that answer JSON.

Lists take the HTML lists' filters (their FilterSets, bound and checked by visits.listing as
the exports do), so a bad value is a 400 with the page's messages; they page the results with
the HTML lists' paginator, sharing its cached count. Every answer allows any origin (the data
is public and read-only), and the views are wrapped in visits.caching.conditional (ETags from
the data version, 304 Not Modified) by visits.api.urls."""

import functools

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from ..listing import (
    PER_PAGE,
    ListPaginator,
    address,
    canonical_query,
    clean_query,
    errors_as_text,
    filter_errors,
    filters_for,
)
from ..models import Source
from ..timeline import cached_timeline
from ..views.details import first_rows
from . import schema, serialize
from .endpoints import BY_NAME

ALLOWED = "GET, HEAD, OPTIONS"
NO_FACETS = (
    "Facets are shown on the HTML lists only; the API has no facet parameter (leave it out)."
)


def json(data, status=200, **headers):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def problem(status, detail, errors=None):
    """An error as the API answers it: {"detail": text} (and {"errors": {param: [...]}})."""
    body = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return json(body, status=status)


def cors(view):
    """Any origin may read the API: Access-Control-Allow-Origin: * on every answer (errors
    too, so that a page's script can show the message), the ETag readable by scripts; a CORS
    preflight (OPTIONS) is answered with 204 and what may be asked; a method that writes gets
    405 (no CSRF check comes first: nothing here writes). Outside conditional(), so that a
    304 carries the header as well."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOWED
            response["Access-Control-Allow-Methods"] = ALLOWED
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = problem(405, f"The API only reads: use GET ({request.method} given).")
            response["Allow"] = ALLOWED
        else:
            try:
                response = view(request, *args, **kwargs)
            except Http404 as error:
                response = problem(404, str(error) or "Not found.")
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag"
        return response

    return wrapped


# Lists --------------------------------------------------------------------------------------


def page_link(request, endpoint, number):
    """The absolute address of another page of the same list, clean: the filters as given,
    without empty values nor what the defaults say (page 1, 50 a page, the list's order)."""
    query = request.GET.copy()
    query["page"] = str(number)
    defaults = endpoint.view_class().defaults(query)
    return request.build_absolute_uri(address(request.path, clean_query(query, defaults)))


def record_list(request, kind):
    endpoint = BY_NAME[kind]
    if "facet" in request.GET:
        return problem(400, f"facet: {NO_FACETS}", {"facet": [NO_FACETS]})
    queryset = endpoint.queryset()
    filterset = filters_for(endpoint.filterset_class, request, queryset)
    if not filterset.is_valid():
        errors = filter_errors(filterset)
        return problem(400, "The filters could not be used:\n" + errors_as_text(errors), errors)
    cleaned = filterset.form.cleaned_data
    records = filterset.qs
    # The HTML list's key: the count (and the visits' timeline) are shared with its pages.
    key = f"{reverse(f'{kind}_list')}?{canonical_query(filterset.data)}"
    paginator = ListPaginator(
        records, int(cleaned.get("per_page") or PER_PAGE), base=queryset, count_key=("count", key)
    )
    if endpoint.view_class.timeline and paginator.count:
        paginator.timeline = cached_timeline(records, key)
    number = cleaned.get("page") or 1
    if number > paginator.num_pages:
        raise Http404(
            f"There is no page {number}: the list has {paginator.num_pages} "
            f"page{'s' if paginator.num_pages != 1 else ''}."
        )
    page = paginator.page(number)
    rows = page.object_list
    if endpoint.decorate:
        endpoint.decorate(rows)
    links = serialize.Links(request)
    return json(
        {
            "count": paginator.count,
            "next": page_link(request, endpoint, number + 1) if page.has_next() else None,
            "previous": page_link(request, endpoint, number - 1) if page.has_previous() else None,
            "results": [endpoint.item(links, row) for row in rows],
        }
    )


# Records ------------------------------------------------------------------------------------


def get_record(queryset, noun, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404(f"No {noun} has the id “{next(iter(lookup.values()))}”.")
    return found


def record_detail(request, kind, slug=None, code=None):
    endpoint = BY_NAME[kind]
    noun = endpoint.model._meta.verbose_name
    if code is not None:
        found = get_record(endpoint.detail_queryset(), noun, code=code.upper())
    else:
        found = get_record(endpoint.detail_queryset(), noun, slug=slug)
    if endpoint.decorate:
        endpoint.decorate([found])
    return json(endpoint.record(serialize.Links(request), found))


def source_detail(request, slug):
    source = get_record(Source.objects.select_related("publisher"), "source", slug=slug)
    source.cuts = {
        "visits": first_rows(source.visits.order_by("-start_date", "slug")),
        "meetings": first_rows(source.meetings.all()),
        "agreements": first_rows(source.agreements.all()),
    }
    return json(serialize.source_record(serialize.Links(request), source))


def not_found(request, rest=""):
    raise Http404(f"The API has no address {request.path}; its endpoints are listed at /api/.")


# The schema and its page ----------------------------------------------------------------------


def openapi(request):
    response = json(schema.document(request))
    patch_vary_headers(response, ["Host"])
    return response


def index(request):
    """The API's documentation as a page, from the same description as the OpenAPI document."""
    context = {
        "meta_title": "API",
        "meta_description": "A read-only JSON API of every list and record, with the lists' "
        "filters, pagination, CORS and ETags, described by an OpenAPI document.",
        **schema.guide(request),
    }
    return render(request, "api/index.html", context)
