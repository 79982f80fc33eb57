"""Paging a filtered list of records: one query a page however many records match, the
count kept until the records change, and a search's ranked list paged level by level."""

from functools import cached_property

from django.core.paginator import Paginator
from django.db import models

from .caching import remember
from .timeline import DATE_FIELD

# A level of a ranked list this small has its keys kept (see ListPaginator.ranked_keys).
SMALL_LEVEL = 1000


class ListPaginator(Paginator):
    """Pages a filtered queryset of records, fetching a page with one query however many
    records match.

    The page is read in two steps within that query (a "late row lookup"): the primary keys of
    the page, from the filtered table alone, sorted and cut there; then only those rows, with
    their related records. Asked in one step, a database may join every matching row to its
    countries, delegation and head before it sorts them and keeps fifty (SQLite did, for a
    country filter: 24,000 rows joined to show 50).

    Given the list's timeline (visits per year), a list sorted by date also tells the database
    which years the page lies in, so that it reads those alone: with the newest first, page
    one of the visits involving the United States is in the last year or two, and SQLite,
    which otherwise collects and sorts all 24,000 of them, reads a few hundred. Should the
    page come back short (the timeline out of step with the records), it is asked again
    without the hint.

    Given a count_key, the number of records is kept in the cache under it: the key holds the
    data version, as the timeline's does, so both change when the records do.
    """

    def __init__(self, object_list, per_page, base=None, count_key=None):
        super().__init__(object_list, per_page)
        self.base = base
        self.count_key = count_key
        self.timeline = None

    @cached_property
    def count(self):
        if self.levels is not None:
            return sum(n for _, n in self.levels)
        return self.kept(self.count_key, self.object_list.count)

    def kept(self, key, compute):
        return compute() if key is None else remember(key, compute)

    @cached_property
    def levels(self):
        """For a list ranked first by a `rank` of a few values (a text search: how many of its
        words are in the title), [(rank, number of records)], best first, kept like the
        count; otherwise None.

        Such a list is paged level by level, each level in the rest of the list's order
        (newest first): a database can read a level's records in the order of an index and
        stop at the page's end, where the order by rank alone made it collect and sort every
        match (a third of the visits for a common word) to show fifty."""
        records = self.object_list
        if records.query.order_by[:1] != ("-rank",) or "rank" not in records.query.annotations:
            return None

        def counted():
            rows = records.order_by().values_list("rank").annotate(n=models.Count("pk"))
            return sorted(rows, reverse=True)

        key = None if self.count_key is None else ("levels", self.count_key)
        return self.kept(key, counted)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        records = self.object_list
        if self.levels is not None:
            return self._get_page(self.rows(self.ranked_keys(bottom, top)), number, self)
        window = self.window(top)
        keys = records if window is None else records.filter(window)
        rows = self.rows(keys.values("pk")[bottom:top])
        if window is not None and len(rows) < top - bottom:
            rows = self.rows(records.values("pk")[bottom:top])
        return self._get_page(rows, number, self)

    def rows(self, keys):
        """The records whose keys a subquery gives, in the list's order. They are read from
        the unfiltered queryset (base), which has what the list shows of them: the filters
        are not applied twice, or a database may start from them again rather than from the
        keys (SQLite did, reading all 3,900 matches of a search to show 50). Annotations the
        order needs (a search's rank) come along."""
        records = self.object_list
        if not isinstance(keys, models.Q):
            keys = models.Q(pk__in=keys)
        if self.base is None:
            return list(records.filter(keys))
        ordering = records.query.order_by
        annotations = records.query.annotations
        needed = {
            name: annotations[name]
            for name in (item.lstrip("-") for item in ordering if isinstance(item, str))
            if name in annotations and name not in self.base.query.annotations
        }
        rows = self.base.annotate(**needed) if needed else self.base
        if ordering:
            rows = rows.order_by(*ordering)
        return list(rows.filter(keys))

    def ranked_keys(self, bottom, top):
        """The records from `bottom` to `top` of a list paged by levels, as a condition on
        their keys: a slice of each level the page covers, in one query."""
        records = self.object_list
        order = records.query.order_by[1:]
        condition = models.Q(pk__in=[])
        start = 0
        for rank, n in self.levels:
            end = start + n
            if start < top and end > bottom:
                level = records.filter(rank=rank).order_by(*order).values_list("pk", flat=True)
                if n <= SMALL_LEVEL and self.count_key is not None:
                    # Few records (both words in the title): found once by reading the
                    # matches in date order to the end, then kept like the count.
                    level = remember(
                        ("level", self.count_key, rank), lambda level=level: list(level)
                    )
                condition |= models.Q(pk__in=level[max(bottom - start, 0) : min(top, end) - start])
            start = end
        return condition

    def window(self, top):
        """The dates that hold the first `top` records in the list's order, as a filter, or
        None (no timeline, or not sorted by date)."""
        if self.timeline is None or not self.timeline.bars:
            return None
        ordering = self.object_list.query.order_by or self.object_list.model._meta.ordering
        first = ordering[0] if ordering else None
        if first not in (DATE_FIELD, f"-{DATE_FIELD}"):
            return None
        bars = self.timeline.bars
        newest_first = first.startswith("-")
        seen = 0
        for index, bar in enumerate(reversed(bars) if newest_first else bars):
            seen += bar.visits
            if seen >= top:
                if newest_first:
                    return models.Q(**{f"{DATE_FIELD}__gte": bar.start})
                if index + 1 < len(bars):
                    return models.Q(**{f"{DATE_FIELD}__lt": bars[index + 1].start})
                return None
        return None
