"""Visits over time, as an inline SVG bar chart drawn on the server (no JavaScript, no external
service), with the same figures as a table for people who cannot see the chart.

Per year, or per month when the visits span less than three years.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField
from django.db.models.functions import ExtractMonth, ExtractYear

MONTHLY_BELOW_YEARS = 3
DATE_FIELD = "start_date"  # what the bars count by
WIDTH, HEIGHT = 800, 220
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 44, 34, 12
MAX_BAR_WIDTH = 48


@dataclass
class Bar:
    """A period's bar. What the chart prints is kept as text (count, x, y, width, height,
    middle): Django localizes every number a template renders, which was half the time of
    drawing a chart of 76 bars."""

    label: str
    start: datetime.date
    visits: int
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    show_label: bool = False

    def __post_init__(self):
        self.middle = str(round(self.x + self.width / 2, 2))
        self.count = str(self.visits)
        for name in ("x", "y", "width", "height"):
            setattr(self, name, str(getattr(self, name)))


@dataclass
class Timeline:
    bars: list
    unit: str  # "year" or "month"
    total: int
    peak: int
    ticks: list
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = MARGIN_LEFT
    plot_bottom: int = HEIGHT - MARGIN_BOTTOM

    @property
    def first(self):
        return self.bars[0] if self.bars else None

    @property
    def last(self):
        return self.bars[-1] if self.bars else None


def month_after(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


class Year(ExtractYear):
    """The year of a date. On SQLite with its own substr(): Django's ExtractYear calls back
    into Python there for every row."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 1, 4) AS integer)", params


class YearMonth(ExtractMonth):
    """A date's year and month as one number (202509), computed by the database alone."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        year, year_params = Year(self.lhs).as_sql(compiler, connection)
        month, month_params = super().as_sql(compiler, connection, **extra_context)
        return f"({year} * 100 + {month})", (*year_params, *month_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 1, 4) || substr({sql}, 6, 2) AS integer)", (*params, *params)


def count_by(queryset, period):
    """{period: visits}. COUNT(*), not COUNT(id), so that an index holding the dates (and the
    filtered columns) answers alone, without reading the table."""
    return dict(
        queryset.annotate(period=period)
        .values("period")
        .annotate(n=Count("*"))
        .values_list("period", "n")
    )


def counts_by_period(queryset):
    """Visit counts per year or per month (by start date), with empty periods filled in."""
    queryset = queryset.order_by()
    years = count_by(queryset, Year(DATE_FIELD))
    if not years:
        return "year", []
    first, last = min(years), max(years)
    if last - first + 1 >= MONTHLY_BELOW_YEARS:
        return "year", [
            (str(year), datetime.date(year, 1, 1), years.get(year, 0))
            for year in range(first, last + 1)
        ]
    months = {
        divmod(period, 100): n for period, n in count_by(queryset, YearMonth(DATE_FIELD)).items()
    }
    rows = []
    start, end = min(months), max(months)
    day = datetime.date(*start, 1)
    while (day.year, day.month) <= end:
        rows.append((day.strftime("%b %Y"), day, months.get((day.year, day.month), 0)))
        day = month_after(day)
    return "month", rows


def nice_ticks(peak):
    """Up to five round values for the vertical axis."""
    if peak <= 0:
        return [0]
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if peak / step <= 5:
            break
    else:
        step = 10 ** len(str(peak))
    return list(range(0, peak + step, step))


def build(queryset):
    unit, rows = counts_by_period(queryset)
    peak = max((n for _, _, n in rows), default=0)
    ticks = nice_ticks(peak)
    top = ticks[-1] or 1
    plot_width = WIDTH - MARGIN_LEFT - 8
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = plot_width / max(len(rows), 1)
    label_every = max(1, round(len(rows) / 8))
    bar_width = min(max(slot * 0.8, 1), MAX_BAR_WIDTH)
    bars = []
    for index, (label, start, n) in enumerate(rows):
        height = plot_height * n / top
        bars.append(
            Bar(
                label=label,
                start=start,
                visits=n,
                x=round(MARGIN_LEFT + index * slot + (slot - bar_width) / 2, 2),
                y=round(HEIGHT - MARGIN_BOTTOM - height, 2),
                width=round(bar_width, 2),
                height=round(height, 2),
                show_label=index % label_every == 0,
            )
        )
    tick_rows = [
        {
            "value": str(value),
            "y": str(round(HEIGHT - MARGIN_BOTTOM - plot_height * value / top, 2)),
        }
        for value in ticks
    ]
    return Timeline(
        bars=bars, unit=unit, total=sum(n for _, _, n in rows), peak=peak, ticks=tick_rows
    )


def cached_timeline(queryset, key):
    """The timeline for a queryset, kept until the records change (see visits.caching)."""
    from .caching import remember

    return remember(("timeline", key), lambda: build(queryset))
