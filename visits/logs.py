"""Logs as one line per event, with the request each event belongs to.

Every request gets an id: the one an incoming X-Request-ID header gives when it is a sane
token (up to 64 letters, digits, dots, underscores and hyphens: what a proxy or load balancer
sends), else a new one. It goes back in the response's X-Request-ID header, and RequestIdFilter
adds it to every record logged while the request runs (a context variable, so threads and
async tasks each see their own). RequestIdMiddleware then logs one line for the request
(logger "visits.requests", INFO) with its method, path, status and duration.

The console handler formats records as JSON objects, one a line, when DJANGO_LOG_FORMAT=json
(JsonFormatter), else as a readable line (TEXT_FORMAT). settings.LOGGING wires them up.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
NO_REQUEST = "-"
# Addresses asked for every few seconds by load balancers, or by every crawler: logged at
# DEBUG, so that the request log shows what people and programs asked for.
QUIET_PATHS = frozenset({"/healthz", "/robots.txt"})
# What a request's line carries besides the message, in this order.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

request_logger = logging.getLogger("visits.requests")
_request_id = contextvars.ContextVar("visits_request_id", default=NO_REQUEST)


def current_request_id():
    """The id of the request running now, or "-" outside requests."""
    return _request_id.get()


def request_id_for(request):
    """The id a request is known by: its X-Request-ID header's, if sane, else a new one."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    if SANE_REQUEST_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request an id (in the logs and the response's X-Request-ID header) and logs
    one line for it when it is answered. First in MIDDLEWARE, so that it times everything."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request)
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            level = logging.DEBUG if request.path in QUIET_PATHS else logging.INFO
            request_logger.log(
                level,
                "%s %s %s %.1f ms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            _request_id.reset(token)


def request_id_of(record):
    """The id of the request a record was logged for: the one running now, else the one the
    record names (Django logs a 4xx or 5xx response with its request, once every middleware
    has returned), else "-"."""
    request_id = current_request_id()
    if request_id == NO_REQUEST:
        request_id = getattr(getattr(record, "request", None), "request_id", NO_REQUEST)
    return request_id


class RequestIdFilter(logging.Filter):
    """Adds request_id (the request's, or "-") to every record."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_of(record)
        return True


class JsonFormatter(logging.Formatter):
    """A record as one JSON object on one line: time (UTC, ISO 8601), level, logger, message,
    request_id; method, path, status and duration_ms for a request's line; exception (the
    traceback) when one was logged."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_of(record),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: whatever an extra holds (a request, a date) never breaks a log line.
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(log_format="text", level="WARNING", request_level="INFO"):
    """settings.LOGGING: one console handler (stderr) for every logger, in the format asked
    for ("json" or "text"); the request lines at request_level, everything else from level."""
    log_format = (log_format or "text").strip().lower()
    if log_format not in {"json", "text"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"DJANGO_LOG_FORMAT must be 'json' or 'text', not {log_format!r}."
        )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "visits.logs.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "visits.logs.JsonFormatter"},
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"visits.requests": {"level": request_level}},
    }
