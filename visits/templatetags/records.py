"""Filters for showing records' text: `{% load records %}`.

- `clean`: the text without control characters (tab, line feed and carriage return aside). Saves
  take them out of every record, but old rows and raw SQL may still hold some, and HTML must not
  carry them. It keeps a safe string safe (taking out a control character makes no markup).
- `web_address`: whether a stored address is one to link to (http or https, with a host). Any
  other (`javascript:`, `data:`, a relative path) is shown as text, never as a link.
"""

from urllib.parse import urlsplit

from django import template
from django.template.defaultfilters import stringfilter

from visits.text import strip_controls

register = template.Library()


@register.filter(is_safe=True)
@stringfilter
def clean(value):
    return strip_controls(value)


@register.filter
def web_address(value):
    try:
        parts = urlsplit(str(value or ""))
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
