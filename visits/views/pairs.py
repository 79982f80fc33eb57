"""The whole relationship between two countries on one page."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from ..caching import remember
from ..models import Agreement, Country, Meeting, Visit
from ..timeline import cached_timeline

PAIR_EVENTS = 100


def country_pair(request, code, other):
    if code.upper() == other.upper():
        raise Http404("A country pair needs two different countries.")
    countries = Country.objects.in_bulk([code.upper(), other.upper()], field_name="code")
    if len(countries) != 2:
        get_object_or_404(Country, code=code.upper())
        get_object_or_404(Country, code=other.upper())
    first, second = countries[code.upper()], countries[other.upper()]
    if code != first.code.lower() or other != second.code.lower():
        return redirect("country_pair", code=first.code.lower(), other=second.code.lower())

    today = timezone.localdate()
    # Everything below the heading, drawn once per data version and day (the counts, the
    # agreements in force today and up to 300 events cost more than the rest of the site's
    # pages); the cache key holds the language too.
    body = remember(
        ("pair-page", first.pk, second.pk, today.isoformat()),
        lambda: render_to_string("visits/country_pair.html#body", sections(first, second, today)),
    )
    context = {"first": first, "second": second, "body": body}
    return render(request, "visits/country_pair.html", context)


def sections(first, second, today):
    """What the page says of the two countries: counts, the latest visit each way, the
    agreements in force, the timeline and the latest events of every kind."""
    visits = Visit.objects.between_countries(first, second).with_related()
    one_way = visits.filter(guest_country=first)
    other_way = visits.filter(guest_country=second)
    meetings = Meeting.objects.between_countries(first, second).with_related()
    agreements = Agreement.objects.with_party(first).with_party(second)
    agreements = agreements.select_related("signed_country")

    events = [("visit", visit.start_date, visit) for visit in visits[:PAIR_EVENTS]]
    events += [("meeting", meeting.date, meeting) for meeting in meetings[:PAIR_EVENTS]]
    events += [("agreement", item.signed_on, item) for item in agreements[:PAIR_EVENTS]]
    events.sort(key=lambda event: (event[1] is not None, event[1]), reverse=True)
    return {
        "first": first,
        "second": second,
        "today": today,
        "counts": {
            "one_way": one_way.count(),
            "other_way": other_way.count(),
            "meetings": meetings.count(),
            "agreements": agreements.count(),
        },
        "latest_one_way": one_way.first(),
        "latest_other_way": other_way.first(),
        "in_force": agreements.in_force_on(today),
        "events": events[:PAIR_EVENTS],
        "timeline": cached_timeline(visits, f"pair:{first.code}:{second.code}"),
    }
