"""Filters for showing records: `{% load records %}`.

- `web_address`: whether a stored address is one to link to (http or https, with a host). Any
  other (`javascript:`, `data:`, a relative path) is shown as text, never as a link.

(Control characters are taken out of every HTML response by visits.text's middleware.)
"""

from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def web_address(value):
    try:
        parts = urlsplit(str(value or ""))
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
