"""The timeline chart, rendered once per data version: `{% load timelines %}`.

`{% timeline_chart timeline chart_id subject %}` renders _partials.html#timeline_chart and keeps
the text in the cache under the timeline's own key (which holds the data version, see
visits.caching), the chart's id and subject, and the filters its bars link to. Each bar (and
each row of the figures) links to the visit list of its year or month, keeping the filters of
the page it is on: the list's own filters, or the page's `timeline_query` ("country=AZ", or ""
for all visits); without either (a country pair) the bars are not links.
"""

import calendar

from django import template
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse

from ..caching import remember

register = template.Library()

# Parameters a bar's link replaces (its period) or drops (the page number).
PERIOD_PARAMETERS = ("year", "date_after", "date_before", "page")


def link_query(context):
    """The filters the bars keep, as a query string, or None for bars that are not links."""
    query = context.get("timeline_query")
    if query is None:
        query = context.get("list_query")
    if query is None:
        return None
    data = QueryDict(query, mutable=True)
    for name in PERIOD_PARAMETERS:
        data.pop(name, None)
    for name in list(data):
        values = [value for value in data.getlist(name) if value.strip()]
        if values:
            data.setlist(name, values)
        else:
            data.pop(name)
    return data.urlencode()


def period_link(base, query, bar, unit):
    data = QueryDict(query, mutable=True)
    if unit == "year":
        data["year"] = str(bar.start.year)
    else:
        last = calendar.monthrange(bar.start.year, bar.start.month)[1]
        data["date_after"] = bar.start.isoformat()
        data["date_before"] = bar.start.replace(day=last).isoformat()
    return f"{base}?{data.urlencode()}"


@register.simple_tag(takes_context=True)
def timeline_chart(context, timeline, chart_id, subject=""):
    query = link_query(context)

    def render():
        base = reverse("visit_list")
        bars = [
            {
                "bar": bar,
                "url": None if query is None else period_link(base, query, bar, timeline.unit),
            }
            for bar in timeline.bars
        ]
        return render_to_string(
            "_partials.html#timeline_chart",
            {"timeline": timeline, "bars": bars, "chart_id": chart_id, "chart_subject": subject},
        )

    if not timeline.key:
        return render()
    return remember(("timeline-html", timeline.key, chart_id, subject, query), render)
