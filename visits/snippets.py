"""Matches shown in context: a short extract of a record's text around the words searched for,
with each match marked. The record's text is escaped; only the <mark> elements are markup."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

RADIUS = 90


def snippet(text, terms, radius=RADIUS):
    if not text or not terms:
        return ""
    pattern = re.compile("|".join(re.escape(term) for term in terms if term), re.IGNORECASE)
    first = pattern.search(text)
    if first is None:
        return ""
    start = max(0, first.start() - radius)
    end = min(len(text), first.end() + radius)
    if start:
        start = text.rfind(" ", 0, start) + 1
    if end < len(text):
        space = text.find(" ", end)
        end = space if space != -1 else len(text)
    extract = text[start:end]
    pieces, position = [], 0
    for match in pattern.finditer(extract):
        pieces.append(escape(extract[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(extract[position:]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)
