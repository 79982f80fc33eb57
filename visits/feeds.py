"""An Atom feed of the latest visits for any filter, built with Django's syndication framework.

XML 1.0 cannot hold control characters at all (Django's feed writer refuses them), so the feed
takes them out of everything it writes: the records' text (old rows and raw SQL may hold
some), and the feed's title, built from the filters (`?q=` may hold anything)."""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext

from .filters import VisitFilter
from .listing import active_filters, errors_as_text, filter_errors, filters_for
from .models import Source, Visit
from .text import strip_controls

FEED_ITEMS = 50


def without_controls(values):
    """Strings, and strings in lists and tuples, without control characters; others as they are."""
    if isinstance(values, dict):
        return {name: without_controls(value) for name, value in values.items()}
    if isinstance(values, list | tuple):
        return type(values)(without_controls(value) for value in values)
    return strip_controls(values)


class Atom(Atom1Feed):
    """Atom 1.0 with the control characters taken out of every string given to it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*without_controls(args), **without_controls(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*without_controls(args), **without_controls(kwargs))


class VisitFeed(Feed):
    feed_type = Atom

    def __call__(self, request, *args, **kwargs):
        filterset = filters_for(VisitFilter, request, Visit.objects.with_related())
        if not filterset.is_valid():
            return HttpResponseBadRequest(
                gettext("This feed's filters could not be used:")
                + "\n"
                + errors_as_text(filter_errors(filterset)),
                content_type="text/plain; charset=utf-8",
            )
        request.visit_filters = filterset
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        """The filters checked in __call__ (the feed binds them once)."""
        filterset = request.visit_filters
        filterset.query = filterset.data.copy()
        filterset.query.pop("page", None)
        return filterset

    def title(self, filterset):
        described = "; ".join(f"{f.label}: {f.value}" for f in active_filters(filterset))
        if described:
            return gettext("Visits (%(filters)s)") % {"filters": described}
        return gettext("Latest visits")

    def author_name(self):
        return gettext("Diplomatic visits")

    def subtitle(self, filterset):
        return gettext("The latest diplomatic visits recorded, newest first.")

    def link(self, filterset):
        query = filterset.query.urlencode()
        return reverse("visit_list") + (f"?{query}" if query else "")

    def feed_url(self, filterset):
        query = filterset.query.urlencode()
        return reverse("visit_feed") + (f"?{query}" if query else "")

    def items(self, filterset):
        sources = Prefetch("sources", queryset=Source.objects.select_related("publisher"))
        return filterset.qs.order_by("-start_date", "slug").prefetch_related(sources)[:FEED_ITEMS]

    def item_title(self, visit):
        return visit.title

    def item_description(self, visit):
        # Atom carries it as HTML: the record's text is escaped, so it always reads as text.
        lines = [
            gettext("%(kind)s from %(guest)s to %(host)s, from %(date)s.")
            % {
                "kind": capfirst(visit.get_kind_display()),
                "guest": visit.guest_country.name,
                "host": visit.host_country.name,
                "date": date_format(visit.start_date, "j F Y"),
            }
        ]
        if visit.summary:
            lines.append(visit.summary)
        sources = "; ".join(str(source) for source in visit.sources.all())
        if sources:
            lines.append(gettext("Source: %(sources)s.") % {"sources": sources})
        return "".join(f"<p>{escape(line)}</p>" for line in lines)

    def item_pubdate(self, visit):
        return datetime.datetime.combine(visit.start_date, datetime.time(), datetime.UTC)

    def item_updateddate(self, visit):
        return self.item_pubdate(visit)

    def item_categories(self, visit):
        return [visit.guest_country.name, visit.host_country.name, visit.get_kind_display()]
