"""The CSV format for visits: one visit a row, written by the export and read by `import_csv`.

The columns, in this order (VISIT_COLUMNS):

- slug: the visit's slug, its key on import.
- title, kind (a Visit.Kind value: state, official, official-working, working, private, other,
  unspecified), guest and host (country codes: ISO 3166-1 alpha-2, ISO 3166-3 alpha-4 for
  former states, XK...), start_date and end_date (YYYY-MM-DD; end_date empty when unknown),
  places (comma-separated), summary.
- head, head_slug, head_office: who led the delegation and the office held then.
- organization, organization_slug: the body the delegation represented.
- source_title, source_publisher, source_publisher_slug, source_dateline, source_published_on,
  source_url: the visit's first source by slug (empty when it has none).
- dataset, record_id: where an imported visit came from.
- guest_name, host_name, url: for people reading the file; ignored on import.

Every cell written to a file is guarded against spreadsheet formulas (neutralise) and restored
on import (restore), so a round trip gives back exactly what was exported.
"""

import csv
import re

from visits.columns import VISITS

# The names of the columns, in order (the declaration is visits.columns.VISITS).
VISIT_COLUMNS = VISITS.names

# A cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return), or one that
# only looks unguarded because it already starts with apostrophes followed by such a character.
FORMULA = re.compile(r"'*[=+\-@\t\r]")


def neutralise(value):
    """The cell as exported: a leading apostrophe where a spreadsheet would see a formula.

    Values that already start with apostrophes before such a character get one more, so
    restore() can always take exactly one off.
    """
    return "'" + value if FORMULA.match(value) else value


def restore(value):
    """The cell as imported: neutralise() undone."""
    return value[1:] if value.startswith("'") and FORMULA.match(value) else value


# Export ---------------------------------------------------------------------------------


def visit_rows(queryset, base_url="", chunk_size=2000):
    """Yield each visit's row, a list of strings in VISIT_COLUMNS order, reading in chunks.

    The cells are the values themselves (JSON wants them so): whatever writes them to a CSV
    file passes each through neutralise(), as write_visits() and the download view do.
    """
    for row in VISITS.rows(queryset, base_url, chunk_size=chunk_size):
        yield [row[name] for name in VISIT_COLUMNS]


def write_visits(stream, queryset, base_url=""):
    """Write the header and every visit's row, guarded, to a text stream (newline="")."""
    writer = csv.writer(stream)
    writer.writerow(VISIT_COLUMNS)
    for row in visit_rows(queryset, base_url):
        writer.writerow([neutralise(cell) for cell in row])
