"""Reading what the site's pages show, for tests that see them as a browser does (the real
server's answers): the visits of a list, its count, the timeline's figures, the country
choices, a page's figures."""

import html
import re
from collections import Counter

# Every public list (the home page first), and every export.
LIST_PAGES = [
    "/",
    "/visits/",
    "/meetings/",
    "/agreements/",
    "/countries/",
    "/organizations/",
    "/people/",
]
EXPORT_PAGES = [
    f"/{name}/export.{fmt}"
    for name in ("visits", "meetings", "agreements")
    for fmt in ("csv", "json")
]

VISIT_ROW = re.compile(r'<th scope="row"><a href="/visits/([^"/]+)/">(.*?)</a>', re.S)
RESULT_COUNT = re.compile(r'class="result-count" role="status"><strong>(\d+)</strong>')
BAR = re.compile(r'data-count="(\d+)" data-period="([^"]+)"')
HOME_COUNT = re.compile(r"(\d+) visits? recorded\.")
COUNTRY_ROW = re.compile(
    r'<th scope="row"><a href="/countries/[^"]+/">.*?</th>\s*<td data-label="Code">([^<]+)</td>'
    r'\s*<td data-label="Visits made" class="number">(?:<a [^>]*>)?(\d+)'
    r'.*?<td data-label="Visits received" class="number">(?:<a [^>]*>)?(\d+)',
    re.S,
)


def visit_rows(body):
    return [(slug, html.unescape(title)) for slug, title in VISIT_ROW.findall(body)]


def first_slug(body):
    rows = visit_rows(body)
    return rows[0][0] if rows else None


def bars_by_year(body):
    """The timeline's figures, added up by year (its bars are years or months: "Mar 2026")."""
    counts = Counter()
    for count, period in BAR.findall(body):
        if int(count):
            counts[int(period[-4:])] += int(count)
    return counts


def country_options(body):
    """The codes of the countries the country inputs suggest (their shared datalist)."""
    found = re.search(r'<datalist id="country-names">(.*?)</datalist>', body, re.S)
    return re.findall(r'<option [^>]*data-value="([^"]*)"', found.group(1)) if found else []


def definition(body, term):
    """A <dt>term</dt><dd>…</dd> figure: a number, or 0 for "none recorded"."""
    found = re.search(rf"<dt>{term}</dt><dd>(?:<a [^>]*>)?(\d+|none recorded)", body)
    if not found:
        return None
    return 0 if found.group(1) == "none recorded" else int(found.group(1))


def compare(problems, what, shown, expected):
    if shown != expected:
        problems.append(f"{what}: shows {shown!r}, the database has {expected!r}")
