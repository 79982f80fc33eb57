"""Visits over time, as an inline SVG bar chart drawn on the server (no JavaScript, no external
service), with the same figures as a table for people who cannot see the chart.

Per year, or per month when the visits span less than three years.
"""

import datetime
import itertools
from dataclasses import dataclass

from django.db.models import Count, IntegerField
from django.db.models.functions import ExtractMonth, ExtractYear

MONTHLY_BELOW_YEARS = 3
MIN_PERIODS = 3  # fewer periods than this: the figures alone, no chart
DATE_FIELD = "start_date"  # what the bars count by
WIDTH, HEIGHT = 800, 220
MARGIN_BOTTOM, MARGIN_TOP, MARGIN_RIGHT = 34, 12, 8
MAX_BAR_WIDTH = 48
# The axis labels' size in the chart's own units where it is drawn smallest (on a phone, see
# .timeline-chart .axis in site.css): what label spacing and the left margin are computed for.
LABEL_SIZE = 22
CHAR_WIDTH = 0.62  # of the label size, for digits and short month names
# Leading years left out of the chart: those before a gap of OUTLIER_GAP empty years or more,
# holding at most OUTLIER_SHARE of the visits (one visit in 1866, then none until 1905).
OUTLIER_GAP = 10
OUTLIER_SHARE = 0.02
YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)
MONTH_STEPS = (1, 2, 3, 4, 6, 12)


def text_width(text):
    return len(text) * CHAR_WIDTH * LABEL_SIZE


@dataclass
class Bar:
    """A period's bar. What the chart prints is kept as text (count, x, y, width, height,
    middle): Django localizes every number a template renders, which was half the time of
    drawing a chart of 76 bars. slot_x and slot_width are the whole column, which a pointer
    can hit however short the bar."""

    label: str
    start: datetime.date
    visits: int
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    show_label: bool = False
    slot_x: float = 0
    slot_width: float = 0

    def __post_init__(self):
        self.middle = str(round(self.x + self.width / 2, 2))
        self.count = str(self.visits)
        for name in ("x", "y", "width", "height", "slot_x", "slot_width"):
            setattr(self, name, str(getattr(self, name)))


@dataclass
class Omitted:
    """Leading years not drawn (outliers before a long gap), with their visits."""

    first: int
    last: int
    visits: int
    gap: int  # empty years after them
    years: list  # [(year, visits)] of the years with visits

    @property
    def label(self):
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


@dataclass
class Timeline:
    bars: list
    unit: str  # "year" or "month"
    total: int
    peak: int
    ticks: list
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = 44
    plot_top: int = MARGIN_TOP
    plot_bottom: int = HEIGHT - MARGIN_BOTTOM
    omitted: Omitted | None = None
    key: str = ""  # the cache key it is kept under, for its rendered text

    @property
    def first(self):
        return self.bars[0] if self.bars else None

    @property
    def last(self):
        return self.bars[-1] if self.bars else None

    @property
    def drawn(self):
        """Whether it has enough periods for a chart (else the figures alone)."""
        return len(self.bars) >= MIN_PERIODS

    @property
    def plot_height(self):
        return str(self.plot_bottom - self.plot_top)


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


def leading_outliers(years):
    """The leading years to leave out of a chart of {year: visits}, as Omitted, or None."""
    total = sum(years.values())
    found, seen = None, 0
    ordered = sorted(years)
    for year, following in itertools.pairwise(ordered):
        seen += years[year]
        gap = following - year - 1
        if gap >= OUTLIER_GAP and seen <= total * OUTLIER_SHARE:
            found = Omitted(
                first=ordered[0],
                last=year,
                visits=seen,
                gap=gap,
                years=[(str(item), years[item]) for item in ordered if item <= year],
            )
    return found


def counts_by_period(queryset):
    """Visit counts per year or per month (by start date), with empty periods filled in, and
    the leading outlier years left out of them (or None)."""
    queryset = queryset.order_by()
    years = count_by(queryset, Year(DATE_FIELD))
    if not years:
        return "year", [], None
    omitted = leading_outliers(years)
    if omitted:
        years = {year: n for year, n in years.items() if year > omitted.last}
        queryset = queryset.filter(**{f"{DATE_FIELD}__gte": datetime.date(min(years), 1, 1)})
    first, last = min(years), max(years)
    if last - first + 1 >= MONTHLY_BELOW_YEARS:
        return (
            "year",
            [
                (str(year), datetime.date(year, 1, 1), years.get(year, 0))
                for year in range(first, last + 1)
            ],
            omitted,
        )
    months = {
        divmod(period, 100): n for period, n in count_by(queryset, YearMonth(DATE_FIELD)).items()
    }
    rows = []
    start, end = min(months), max(months)
    day = datetime.date(*start, 1)
    while (day.year, day.month) <= end:
        rows.append((day.strftime("%b %Y"), day, months.get((day.year, day.month), 0)))
        day = month_after(day)
    return "month", rows, omitted


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


def labelled(unit, rows, slot):
    """Which periods get a label: round years (or months) far enough apart for the labels never
    to touch where the chart is drawn smallest."""
    widest = max((text_width(label) for label, _, _ in rows), default=0) + LABEL_SIZE
    steps = YEAR_STEPS if unit == "year" else MONTH_STEPS
    step = next((step for step in steps if step * slot >= widest), steps[-1])
    if unit == "year":
        return {index for index, (_, start, _) in enumerate(rows) if start.year % step == 0}
    return {index for index, (_, start, _) in enumerate(rows) if (start.month - 1) % step == 0}


def fits(middle, label):
    """Whether a label centred there stays inside the chart."""
    half = text_width(label) / 2
    return middle - half >= 0 and middle + half <= WIDTH


def build(queryset):
    unit, rows, omitted = counts_by_period(queryset)
    peak = max((n for _, _, n in rows), default=0)
    ticks = nice_ticks(peak)
    top = ticks[-1] or 1
    # Room on the left for the widest value on the vertical axis.
    plot_left = max(32, round(text_width(str(top)) + 10))
    plot_width = WIDTH - plot_left - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = plot_width / max(len(rows), 1)
    shown = labelled(unit, rows, slot)
    bar_width = min(max(slot * 0.8, 1), MAX_BAR_WIDTH)
    bars = []
    for index, (label, start, n) in enumerate(rows):
        height = plot_height * n / top
        bars.append(
            Bar(
                label=label,
                start=start,
                visits=n,
                x=round(plot_left + index * slot + (slot - bar_width) / 2, 2),
                y=round(HEIGHT - MARGIN_BOTTOM - height, 2),
                width=round(bar_width, 2),
                height=round(height, 2),
                show_label=index in shown and fits(plot_left + (index + 0.5) * slot, label),
                slot_x=round(plot_left + index * slot, 2),
                slot_width=round(slot, 2),
            )
        )
    tick_rows = [
        {
            "value": str(value) if value else "",  # no "0": the axis is the bars' foot
            "y": str(round(HEIGHT - MARGIN_BOTTOM - plot_height * value / top, 2)),
        }
        for value in ticks
    ]
    return Timeline(
        bars=bars,
        unit=unit,
        total=sum(n for _, _, n in rows),
        peak=peak,
        ticks=tick_rows,
        plot_left=plot_left,
        omitted=omitted,
    )


def cached_timeline(queryset, key):
    """The timeline for a queryset, kept until the records change (see visits.caching)."""
    from .caching import remember

    def compute():
        timeline = build(queryset)
        timeline.key = str(key)
        return timeline

    return remember(("timeline", key), compute)
