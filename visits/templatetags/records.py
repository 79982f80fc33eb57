"""Filters and tags for showing records: `{% load records %}`.

- `list_of`: the list a record's page belongs to (its breadcrumbs).
- `web_address`: whether a stored address is one to link to (http or https, with a host). Any
  other (`javascript:`, `data:`, a relative path) is shown as text, never as a link.

(Control characters are taken out of every HTML response by visits.text's middleware.)
"""

from urllib.parse import urlsplit

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst

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
