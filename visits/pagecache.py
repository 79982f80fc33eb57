"""Whole rendered pages kept in the cache and served again without running their view.

A public page (one that visits.caching.conditional gave an ETag) answered with 200 is kept in
Django's cache (CACHES: each process's memory, or one Redis shared by every process) under a
key made of what decides its bytes: the release of the code, the data version, the language,
the host and scheme (canonical links and the API hold absolute addresses), the path, the query
string with its parameters sorted by name (repeated values in their order; only the key is
normalized: a page is rendered for the address that was asked for), staff or not, and whether
the client takes gzip (such a page is kept compressed, so that a hit compresses nothing).

A hit costs the one read of the data version that every request makes: no view, filter,
template or other query. The version lives in the database and moves with every write, by
any process (visits.caching), so the first request after a write, in any process, asks for a
key that was never stored and renders the page afresh: a kept page is never stale, and
nothing needs to be deleted. A client that holds the kept page's ETag gets 304 Not Modified.

What is never kept: anything but GET and HEAD, a request with a body or a query string over
MAX_QUERY characters, the admin, the health check, robots.txt and the icon, anything but a 200
with an ETag and an HTML, XML or JSON body, a streaming response (the exports), a response
that sets a cookie or is private or no-store, a page that used a CSRF token, the CSP nonce or a
one-time message, or one over MAX_BODY bytes. Headers that belong to one request (X-Request-ID,
the security headers and the CSP policy) are added by the middleware around this one on every
response, hits included.

X-Cache: hit or miss tells which it was, on every response that was looked up. A cache that
cannot be reached is logged and the page rendered: slower, never broken. PAGE_CACHE (env
DJANGO_PAGE_CACHE=0) turns it off.
"""

import functools
import logging
import re

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import get_language

from . import caching
from .compression import GZipMiddleware

HEADER = "X-Cache"
MAX_QUERY = 2000  # characters of query string; longer ones are rendered, never kept
MAX_BODY = 1024 * 1024  # bytes; a larger page is rendered each time rather than kept
KEPT_TYPES = re.compile(r"(text/html|application/(?:[a-z.+-]+\+)?(?:json|xml)|text/xml)\b")
NOT_SHARED = re.compile(r"\b(private|no-store)\b", re.IGNORECASE)
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Headers that describe a body: a 304 from a kept page has none.
BODY_HEADERS = frozenset(
    {"content-type", "content-length", "content-encoding", "content-disposition"}
)
MISSING = object()

logger = logging.getLogger(__name__)
_compress = GZipMiddleware(lambda request: None).process_response


def normalized_query(request):
    """The query string with its parameters sorted by name, each name's values in order."""
    if not request.META.get("QUERY_STRING"):
        return ""
    return urlencode(sorted(request.GET.lists()), doseq=True)


def is_staff(request):
    """Whether a member of staff asks (they see a link to the admin). Only a request that
    carries a session cookie can be one: any other is answered without reading a session."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_staff)


def page_key(request, gzipped):
    return "page:" + caching.digest(
        caching.release(),
        caching.data_version(),
        get_language(),
        request.scheme,
        request.get_host(),
        request.path,
        normalized_query(request),
        is_staff(request),
        gzipped,
    )


@functools.cache
def never_kept():
    """Addresses that never answer with a page to keep, so never looked up: the health check
    above all, which must make its one query and nothing else (and answer 503, not 500, when
    the database is down)."""
    return frozenset(reverse(name) for name in ("healthz", "robots_txt", "favicon"))


def may_look_up(request):
    meta = request.META
    return (
        request.method in ("GET", "HEAD")
        and settings.PAGE_CACHE
        and len(meta.get("QUERY_STRING", "")) <= MAX_QUERY
        and meta.get("CONTENT_LENGTH", "") in ("", "0")
        and "HTTP_TRANSFER_ENCODING" not in meta
        and not request.path_info.startswith("/" + settings.ADMIN_URL)
        and request.path not in never_kept()
    )


def may_keep(request, response):
    """Whether a response may be served to anyone else who asks the same."""
    if (
        request.method != "GET"
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or "ETag" not in response
        or not KEPT_TYPES.match(response.get("Content-Type", ""))
        or NOT_SHARED.search(response.get("Cache-Control", ""))
        or len(response.content) > MAX_BODY
        # Something in the page belongs to this request only.
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or getattr(request, "_csp_nonce", None)
    ):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and (messages.used or messages.added_new))


class PageCacheMiddleware:
    """Serves a kept page when there is one; keeps a public page once rendered. Placed after
    the language, the user and the data version are known, and before everything that
    changes the body (so that what is kept is what would be sent)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_look_up(request):
            return self.get_response(request)
        gzipped = bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        key = page_key(request, gzipped)
        try:
            kept = caches["pages"].get(key, MISSING)
        except Exception:  # a cache server that is down must not take the site with it
            logger.warning("The cache could not be read; rendering the page.", exc_info=True)
            kept = None
        if kept is not MISSING and kept is not None:
            return self.hit(request, kept)
        response = self.get_response(request)
        if kept is MISSING and may_keep(request, response):
            self.keep(request, response, key, gzipped)
        response[HEADER] = "miss"
        return response

    def hit(self, request, kept):
        status, headers, body = kept
        response = HttpResponse(body, status=status, headers=headers)
        response[HEADER] = "hit"
        not_modified = get_conditional_response(
            request, etag=response.headers["ETag"], response=response
        )
        if not_modified is None or not_modified is response:
            return response
        if not_modified.status_code == 304:
            # What the view's own 304 would carry besides the validators (the API's CORS
            # headers), without describing a body it does not have.
            for name, value in headers.items():
                if name.lower() not in BODY_HEADERS:
                    not_modified.headers.setdefault(name, value)
        not_modified[HEADER] = "hit"
        return not_modified

    def keep(self, request, response, key, gzipped):
        if gzipped:
            # What GZipMiddleware would do on the way out (it leaves an encoded body alone).
            _compress(request, response)
        session = getattr(request, "session", None)
        if session is not None and session.accessed:
            # Set on the way out when the session is read: a hit may never read it.
            patch_vary_headers(response, ("Cookie",))
        response["Content-Length"] = str(len(response.content))
        kept = (response.status_code, dict(response.items()), response.content)
        try:
            caches["pages"].set(key, kept, caching.TIMEOUT)
        except Exception:
            logger.warning("The cache could not be written; the page was not kept.", exc_info=True)
