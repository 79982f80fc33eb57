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

import functools
from html import escape
from urllib.parse import urlsplit

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, pgettext

from ..models import Visit

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
    return f'<time datetime="{value.isoformat()}">{text}</time>'


@functools.cache
def _texts(language):
    """The fixed words of a row in a language (gettext's catalogues do not change while the
    site runs), worked out once: a row is drawn for each of up to 200 visits a page."""
    kinds = Visit.Kind
    return {
        "months": {number: str(name).title() for number, name in MONTHS_3.items()},
        "month names": {number: escape(str(name)) for number, name in MONTHS.items()},
        "unknown": escape(gettext("date unknown")),
        "from": escape(gettext("from")),
        "until": escape(gettext("until")),
        "dates": escape(gettext("Dates")),
        "route": escape(gettext("Guest → host")),
        "kind": escape(gettext("Kind")),
        "led by": escape(gettext("led by")),
        "not stated": escape(gettext("kind not stated")),
        "kinds": {
            kinds.STATE: pgettext("kind of visit", "state"),
            kinds.OFFICIAL: pgettext("kind of visit", "official"),
            kinds.OFFICIAL_WORKING: pgettext("kind of visit", "official working"),
            kinds.WORKING: pgettext("kind of visit", "working"),
            kinds.PRIVATE: pgettext("kind of visit", "private"),
            kinds.OTHER: pgettext("kind of visit", "other"),
        },
    }


def texts():
    return _texts(get_language())


def _day(day, months, parts="j M Y"):
    """A day as date_format(day, parts) writes it, for the three forms a row uses."""
    if parts == "j":
        return str(day.day)
    if parts == "j M":
        return f"{day.day} {months[day.month]}"
    return f"{day.day} {months[day.month]} {day.year:04d}"


@register.simple_tag
def day(value):
    """A day in a <time>, as people read it: "24 September 2025" (or "date unknown")."""
    words = texts()
    if not value:
        return mark_safe(words["unknown"])
    return mark_safe(
        _time(value, f"{value.day} {words['month names'][value.month]} {value.year:04d}")
    )


def _partial_date(value, precision, words):
    if value and precision == "year":
        return _time_text(f"{value.year:04d}", f"{value.year:04d}")
    if value and precision == "month":
        month = words["month names"][value.month]
        return _time_text(f"{value.year:04d}-{value.month:02d}", f"{month} {value.year:04d}")
    if not value:
        return words["unknown"]
    return _time(value, f"{value.day} {words['month names'][value.month]} {value.year:04d}")


def _time_text(machine, text):
    return f'<time datetime="{machine}">{text}</time>'


@register.simple_tag
def partial_date(value, precision):
    """A date no more precise than it is known, in a <time>: "2025", "September 2025",
    "24 September 2025"."""
    return mark_safe(_partial_date(value, precision, texts()))


@register.simple_tag
def validity(agreement):
    """When an agreement is in force: "2025–2027" (years), "from 1 October 2025 until 30
    September 2027", "from 2025", "until 2030"; empty when neither end is known."""
    words = texts()
    start, end = agreement.valid_from, agreement.valid_until
    precision = agreement.validity_precision
    if start and end and precision == "year":
        text = _partial_date(start, precision, words)
        if end.year != start.year:
            text += "–" + _partial_date(end, precision, words)
        return mark_safe(text)
    parts = []
    if start:
        parts.append(f"{words['from']} {_partial_date(start, precision, words)}")
    if end:
        parts.append(f"{words['until']} {_partial_date(end, precision, words)}")
    return mark_safe(" ".join(parts))


@register.simple_tag
def compact_period(start, end=None):
    """A visit's dates as a dense list shows them, each day in a <time>: "24 Sep 2025",
    "17–19 Feb 2025", "30 Jan – 2 Feb 2025", "28 Dec 2024 – 2 Jan 2025"."""
    words = texts()
    if start is None:
        return mark_safe(words["unknown"])
    months = words["months"]
    if end is None or end == start:
        return mark_safe(_time(start, _day(start, months)))
    if (start.year, start.month) == (end.year, end.month):
        first, separator = _day(start, months, "j"), "–"
    elif start.year == end.year:
        first, separator = _day(start, months, "j M"), " – "
    else:
        first, separator = _day(start, months), " – "
    return mark_safe(f"{_time(start, first)}{separator}{_time(end, _day(end, months))}")


@register.filter
def short_kind(visit):
    """The kind of a visit as a short tag ("official", "state"), or "" when not stated."""
    return texts()["kinds"].get(visit.kind, "")


def _country(country, memo=None):
    """A country's link as a row shows it: its code in a table, its name on a phone's cards
    (the CSS shows one); the name is always in the link's text for screen readers. With a
    memo (one page's), each country's link is made once."""
    if memo is not None and country.pk in memo:
        return memo[country.pk]
    name, code = escape(country.name), escape(country.code)
    link = (
        f'<a href="{escape(country.get_absolute_url())}" title="{name}"><span class="code">'
        f'{code}</span><span class="name"> {name}</span></a>'
    )
    if memo is not None:
        memo[country.pk] = link
    return link


def _route(visit, memo=None):
    return (
        f'{_country(visit.guest_country, memo)}<span aria-hidden="true"> → </span>'
        f'<span class="visually-hidden"> to </span>{_country(visit.host_country, memo)}'
    )


@register.simple_tag
def route(visit):
    """A visit's guest and host country: "AZ → UZ", each a link to its country."""
    return mark_safe(_route(visit))


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
    words = texts()
    return mark_safe(
        f'<td data-label="{words["kind"]}" class="unstated"><span class="muted" '
        f'aria-hidden="true">–</span><span class="visually-hidden">{words["not stated"]}'
        "</span></td>"
    )


@register.simple_tag(takes_context=True)
def visit_cells(context, visit):
    """The cells of a visit's row: dates, title (marked by a search, with its snippet), the
    head where the title does not name them, guest → host, and the kind. Made with plain
    strings, each value escaped: format_html and an include per row cost more than the rest
    of the page."""
    words = texts()
    memo = context.render_context.setdefault("visit_cells_countries", {})
    title = getattr(visit, "marked_title", None)
    title = conditional_escape(title) if title else escape(visit.title)
    head = led_by(visit)
    led = ""
    if head is not None:
        office = visit.delegation.head_office
        led = (
            f' <span class="muted">· {words["led by"]} <a href="{escape(head.get_absolute_url())}">'
            f"{escape(head.name)}</a>{escape(f', {office}') if office else ''}</span>"
        )
    snippet = getattr(visit, "snippet", None)
    snippet = f'<br><span class="snippet">{conditional_escape(snippet)}</span>' if snippet else ""
    kind = words["kinds"].get(visit.kind, "")
    kind = (
        f'<td data-label="{words["kind"]}"><span class="tag">{escape(kind)}</span></td>'
        if kind
        else unstated_kind()
    )
    return mark_safe(
        f'<td data-label="{words["dates"]}" class="dates">'
        f"{compact_period(visit.start_date, visit.end_date)}</td>"
        f'<th scope="row"><a href="{escape(visit.get_absolute_url())}">{title}</a>{led}{snippet}'
        f'</th><td data-label="{words["route"]}" class="route">{_route(visit, memo)}</td>{kind}'
    )
