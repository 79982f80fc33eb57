"""Addresses every site answers, outside its pages: the icon, robots.txt and the health check."""

import logging

from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from ..exports import EXPORTS

logger = logging.getLogger(__name__)

# What crawlers may not fetch besides the admin and the exports: the feed, and every address
# with a query string (a filter combination, a sort, a page of a list). The sitemap's parts
# (/sitemap-visits.xml?p=2) are allowed again by a longer, so stronger, rule.
DISALLOWED_QUERIES = "/*?"
EXPORT_FORMATS = ("csv", "json")


def favicon(request):
    """/favicon.ico, which browsers ask for on every site (the admin's pages too): the site's
    icon, at its current static address."""
    response = redirect(static("img/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def api_lines():
    """The JSON API is data, like the exports: crawlers may read its documentation page, not
    the records under it (which all have pages of their own)."""
    try:
        api = reverse("api:index")
    except NoReverseMatch:
        return []
    return [f"Allow: {api}$", f"Disallow: {api}"]


def robots_lines(request):
    """The lines of robots.txt: the record pages and the sitemap open to every crawler; the
    admin, the exports, the feed and filter combinations closed."""
    exports = [
        reverse("export", kwargs={"name": name, "fmt": fmt})
        for name in EXPORTS
        for fmt in EXPORT_FORMATS
    ]
    return [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        *(f"Disallow: {address}" for address in exports),
        f"Disallow: {reverse('visit_feed')}",
        *api_lines(),
        f"Disallow: {DISALLOWED_QUERIES}",
        "Allow: /sitemap",
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]


@require_safe
def robots_txt(request):
    """/robots.txt, as plain text (RFC 9309)."""
    response = HttpResponse(
        "\n".join(robots_lines(request)) + "\n", content_type="text/plain; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def healthz(request):
    """/healthz for load balancers and monitors: 200 "ok" when the database answers a trivial
    query, 503 with the reason when it does not. Never cached; reads no session, no template
    and no data version, so a database that is down gives a 503 here, not an error page."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health check failed: the database did not answer (%s).", error)
        status, body = 503, "database unavailable\n"
    else:
        status, body = 200, "ok\n"
    response = HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    if status == 503:
        response["Retry-After"] = "10"
    return response
