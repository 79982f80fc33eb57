"""Visits over time, as an inline SVG bar chart drawn on the server (no JavaScript, no external
service), with the same figures as a table for people who cannot see the chart.

Per year, or per month when the visits span less than three years.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import ExtractYear, TruncMonth

MONTHLY_BELOW_YEARS = 3
WIDTH, HEIGHT = 800, 220
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 44, 34, 12
MAX_BAR_WIDTH = 48


@dataclass
class Bar:
    label: str
    start: datetime.date
    count: int
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    show_label: bool = False

    @property
    def middle(self):
        return round(self.x + self.width / 2, 2)


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


def counts_by_period(queryset):
    """Visit counts per year or per month (by start date), with empty periods filled in."""
    queryset = queryset.order_by()
    years = dict(
        queryset.annotate(period=ExtractYear("start_date"))
        .values("period")
        .annotate(n=Count("pk"))
        .values_list("period", "n")
    )
    if not years:
        return "year", []
    first, last = min(years), max(years)
    if last - first + 1 >= MONTHLY_BELOW_YEARS:
        return "year", [
            (str(year), datetime.date(year, 1, 1), years.get(year, 0))
            for year in range(first, last + 1)
        ]
    months = {
        (period.year, period.month): n
        for period, n in queryset.annotate(period=TruncMonth("start_date"))
        .values("period")
        .annotate(n=Count("pk"))
        .values_list("period", "n")
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
                count=n,
                x=round(MARGIN_LEFT + index * slot + (slot - bar_width) / 2, 2),
                y=round(HEIGHT - MARGIN_BOTTOM - height, 2),
                width=round(bar_width, 2),
                height=round(height, 2),
                show_label=index % label_every == 0,
            )
        )
    tick_rows = [
        {"value": value, "y": round(HEIGHT - MARGIN_BOTTOM - plot_height * value / top, 2)}
        for value in ticks
    ]
    return Timeline(
        bars=bars, unit=unit, total=sum(n for _, _, n in rows), peak=peak, ticks=tick_rows
    )


def cached_timeline(queryset, key):
    """The timeline for a queryset, kept until the records change (see visits.choices)."""
    from .choices import data_version

    digest = hashlib.sha256(key.encode()).hexdigest()
    cache_key = f"timeline:{data_version()}:{digest}"
    timeline = cache.get(cache_key)
    if timeline is None:
        timeline = build(queryset)
        cache.set(cache_key, timeline, 60 * 60)
    return timeline
