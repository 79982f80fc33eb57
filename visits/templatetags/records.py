"""Filters and tags for showing records: `{% load records %}`.

- `list_of`: the list a record's page belongs to (its breadcrumbs).
- `compact_period`, `short_kind`, `route`, `led_by`: a visit's dates, kind, countries and head
  as a dense list row shows them; `visit_cells`: the cells of such a row, made in Python (a
  row is drawn for each of up to 200 visits a page, and an include per row costs more than the
  rest of the page).
- `web_address`: whether a stored address is one to link to (http or https, with a host). Any
  other (`javascript:`, `data:`, a relative path) is shown as text, never as a link.

(Control characters are taken out of every HTML response by visits.text's middleware.)
"""

from urllib.parse import urlsplit

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext

register = template.Library()


@register.filter
def web_address(value):
    try:
        parts = urlsplit(str(value or ""))
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


@register.simple_tag
def list_of(record):
    """The list a record's page belongs to, for its breadcrumbs: {"name": "Visits", "url":
    "/visits/"}, or None for a record that has no list of its own (a source)."""
    meta = record._meta
    try:
        url = reverse(f"{meta.model_name}_list")
    except NoReverseMatch:
        return None
    return {"name": capfirst(meta.verbose_name_plural), "url": url}


def _time(value, text):
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), text)


@register.simple_tag
def compact_period(start, end=None):
    """A visit's dates as a dense list shows them, each day in a <time>: "24 Sep 2025",
    "17–19 Feb 2025", "30 Jan – 2 Feb 2025", "28 Dec 2024 – 2 Jan 2025"."""
    if start is None:
        return gettext("date unknown")
    if end is None or end == start:
        return _time(start, date_format(start, "j M Y"))
    if (start.year, start.month) == (end.year, end.month):
        first, separator = date_format(start, "j"), "–"
    elif start.year == end.year:
        first, separator = date_format(start, "j M"), " – "
    else:
        first, separator = date_format(start, "j M Y"), " – "
    return format_html(
        "{}{}{}", _time(start, first), separator, _time(end, date_format(end, "j M Y"))
    )


@register.filter
def short_kind(visit):
    """The kind of a visit as a short tag ("official", "state"), or "" when not stated."""
    kinds = visit.Kind
    short = {
        kinds.STATE: pgettext("kind of visit", "state"),
        kinds.OFFICIAL: pgettext("kind of visit", "official"),
        kinds.OFFICIAL_WORKING: pgettext("kind of visit", "official working"),
        kinds.WORKING: pgettext("kind of visit", "working"),
        kinds.PRIVATE: pgettext("kind of visit", "private"),
        kinds.OTHER: pgettext("kind of visit", "other"),
    }
    return short.get(visit.kind, "")


def _country(country):
    """A country's link as a row shows it: its code in a table, its name on a phone's cards
    (the CSS shows one); the name is always in the link's text for screen readers."""
    return format_html(
        '<a href="{}" title="{}"><span class="code">{}</span><span class="name"> {}</span></a>',
        country.get_absolute_url(),
        country.name,
        country.code,
        country.name,
    )


@register.simple_tag
def route(visit):
    """A visit's guest and host country: "AZ → UZ", each a link to its country."""
    return format_html(
        '{}<span aria-hidden="true"> → </span><span class="visually-hidden"> to </span>{}',
        _country(visit.guest_country),
        _country(visit.host_country),
    )


@register.filter
def led_by(visit):
    """The head of a visit's delegation, for a row that does not already name them in its
    title ("Secretary of State Marco Rubio in Israel" needs no "led by Marco Rubio"), or None."""
    delegation = getattr(visit, "delegation", None)
    head = delegation.head if delegation else None
    if head is None or head.name.casefold() in visit.title.casefold():
        return None
    return head


def unstated_kind():
    """The kind cell of a visit whose kind is not stated (in the request's language)."""
    return format_html(
        '<td data-label="{}" class="unstated"><span class="muted" aria-hidden="true">–</span>'
        '<span class="visually-hidden">{}</span></td>',
        gettext("Kind"),
        gettext("kind not stated"),
    )


@register.simple_tag
def visit_cells(visit):
    """The cells of a visit's row: dates, title (marked by a search, with its snippet), the
    head where the title does not name them, guest → host, and the kind."""
    title = getattr(visit, "marked_title", None) or visit.title
    head = led_by(visit)
    led = ""
    if head is not None:
        office = visit.delegation.head_office
        led = format_html(
            ' <span class="muted">· {} <a href="{}">{}</a>{}</span>',
            gettext("led by"),
            head.get_absolute_url(),
            head.name,
            f", {office}" if office else "",
        )
    snippet = getattr(visit, "snippet", None)
    kind = short_kind(visit)
    return format_html(
        '<td data-label="{}" class="dates">{}</td>'
        '<th scope="row"><a href="{}">{}</a>{}{}</th>'
        '<td data-label="{}" class="route">{}</td>{}',
        gettext("Dates"),
        compact_period(visit.start_date, visit.end_date),
        visit.get_absolute_url(),
        title,
        led,
        format_html('<br><span class="snippet">{}</span>', snippet) if snippet else "",
        gettext("Guest → host"),
        route(visit),
        format_html('<td data-label="{}"><span class="tag">{}</span></td>', gettext("Kind"), kind)
        if kind
        else unstated_kind(),
    )
