"""Matches shown in context: a short extract of a record's own text (its summary) around the
words searched for, and its title, with each match marked. Never the search index's text, which
runs the fields together. The record's text is escaped; only the <mark> elements are markup."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

RADIUS = 90


def term_pattern(terms):
    """A pattern that finds any of the terms, case aside; a phrase's words may be separated by
    any white space. Longer terms first, so that a phrase is marked whole."""
    parts = [
        r"\s+".join(re.escape(word) for word in term.split())
        for term in sorted((term for term in terms if term and term.strip()), key=len, reverse=True)
    ]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def marked(text, pattern):
    """The text, escaped, with every match of the pattern in <mark>."""
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def highlight(text, terms):
    """The whole text with the terms marked, or "" when none of them is in it."""
    pattern = term_pattern(terms or ())
    if not text or pattern is None or pattern.search(text) is None:
        return ""
    return mark_safe(marked(text, pattern))


def snippet(text, terms, radius=RADIUS):
    """An extract of the text around the first match, cut at spaces, the matches marked; ""
    when the text does not hold any of the terms."""
    pattern = term_pattern(terms or ())
    if not text or pattern is None:
        return ""
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
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + marked(text[start:end], pattern) + suffix)
