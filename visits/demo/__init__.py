"""Synthetic demo data, made in bulk: visits with their delegations, meetings, agreements and
sources, over the current ISO countries and the years 1950 to 2025 (manage.py generate_demo).

Names, places and texts are made from the small word and syllable lists in visits.demo.words
(no outside data), each country with syllables of its own. One seeded random generator draws
everything in a fixed order, so a seed always gives the same records. Busy countries (a
Zipf-like weight, the United States first) travel and receive far more than the rest, later
decades see more visits than earlier ones, and offices are held in turn: a country has one
Minister of Trade at a time, who leads its trade delegations in those years.

Rows are written a batch of visits at a time (and everything that hangs on them), with primary
keys chosen here, so no row costs a query of its own and memory stays flat however many visits
are asked for (visits.demo.tables). Each visit's search text is made as the visit is, exactly as
VisitQuerySet.refresh_search_text() builds it, and on PostgreSQL its search vector is computed
in the statement that stores it. Every record made here has a slug starting with PREFIX; clear()
deletes them all, table by table, without loading them.
"""

from .generator import DemoGenerator
from .tables import PREFIX, clear, demo_data_exists
from .words import FIRST_YEAR, LAST_YEAR

BATCH_SIZE = 5000

__all__ = [
    "BATCH_SIZE",
    "FIRST_YEAR",
    "LAST_YEAR",
    "PREFIX",
    "clear",
    "demo_data_exists",
    "generate",
]


def generate(visits, seed=1, batch_size=BATCH_SIZE, log=None):
    """Make `visits` demo visits and what surrounds them. Returns the generator: its `counts`
    are the rows made per table, its `elapsed` the seconds it took."""
    generator = DemoGenerator(visits, seed=seed, batch_size=batch_size, log=log)
    generator.elapsed = generator.run()
    return generator
