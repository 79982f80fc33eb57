"""The site's maps of visits: what each page maps (every visit on the home page, a filtered
list's visits by the side its filters leave open, a country's partners), drawn by
visits.worldmap and kept drawn, as HTML, until the records change."""

from django.db.models import Count
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .caching import remember
from .models import Visit
from .worldmap import Entry, draw


def counts_by(queryset, side):
    """[(code, name, visits)] of the visits grouped by one side (guest_country, host_country)."""
    return list(
        queryset.order_by()
        .values(f"{side}__code", f"{side}__name")
        .annotate(n=Count("*"))
        .values_list(f"{side}__code", f"{side}__name", "n")
    )


def involving_counts(queryset):
    """{code: Entry} of the visits each country made or received (a visit counts for both its
    countries, never twice for one: a visit's guest and host differ)."""
    entries = {}
    for side in ("guest_country", "host_country"):
        for code, name, n in counts_by(queryset, side):
            entry = entries.setdefault(code, Entry(code=code, name=name, visits=0))
            entry.visits += n
    return list(entries.values())


def list_link(query, parameter):
    """A link maker: the visit list with the query's filters and `parameter` set to the codes
    of the countries on a shape (a repeated parameter means any of them)."""
    base = reverse("visit_list")

    def link(entries):
        data = query.copy()
        data.setlist(parameter, [entry.code for entry in entries])
        return f"{base}?{data.urlencode()}"

    return link


def drawn(key, compute, map_id):
    """The map that compute() gives as the page shows it (an empty text for a map with no
    country), kept under key until the records change: drawn once, not on every request."""
    return remember(
        key,
        lambda: render_to_string(
            "_partials.html#worldmap", {"world_map": compute(), "map_id": map_id}
        ),
    )


def home_map():
    """Every visit, on its guest's and its host's country."""

    def compute():
        entries = involving_counts(Visit.objects.all())
        return draw(entries, list_link(QueryDict(), "country"), subject=LIST_SIDES["country"])

    return drawn(("worldmap", "home"), compute, "home-map")


# What a visit list's map counts, given its filters: the side it maps and its subject.
LIST_SIDES = {
    "country": _("Visits made or received, per country"),
    "host": _("Where these visits went: visits per host country"),
    "guest": _("Where these visits came from: visits per guest country"),
}


def list_side(cleaned):
    """Which side a filtered list's map counts: host countries for a list of a guest's visits,
    guest countries for a host's, and both sides (visits made or received) when no country is
    chosen. Otherwise (a country on either side, or both sides chosen) the host countries."""
    guest, host, either = (cleaned.get(name) for name in ("guest", "host", "country"))
    if guest and not host and not either:
        return "host"
    if host and not guest and not either:
        return "guest"
    if not (guest or host or either):
        return "country"
    return "host"


def list_map(filterset, key):
    """The map of a filtered visit list (filterset valid), kept under the list's key. Each
    country links to the list with the same filters and that country on the mapped side, so
    that the list counts what the map shows."""
    side = list_side(filterset.form.cleaned_data)
    query = filterset.data.copy()
    query.pop("page", None)

    def compute():
        queryset = filterset.qs
        if side == "country":
            entries = involving_counts(queryset)
        else:
            column = f"{side}_country"
            entries = [Entry(code, name, n) for code, name, n in counts_by(queryset, column)]
        return draw(entries, list_link(query, side), subject=LIST_SIDES[side])

    return drawn(("worldmap", key), compute, "list-map")


def each_way(to, back, name):
    """A partner's visits each way, as its tooltip says them: "3 from Chile, 1 to Chile"."""
    made = ngettext("%(n)d from %(name)s", "%(n)d from %(name)s", to) % {"n": to, "name": name}
    received = ngettext("%(n)d to %(name)s", "%(n)d to %(name)s", back) % {"n": back, "name": name}
    return gettext("%(made)s, %(received)s") % {"made": made, "received": received}


def country_map(country):
    """A country's partners: the visits it made to each and received from each, the country
    itself highlighted. Each partner links to the pair's page, which lists them."""

    def compute():
        made = {c: (name, n) for c, name, n in counts_by(country.visits_made, "host_country")}
        received = {
            c: (name, n) for c, name, n in counts_by(country.visits_received, "guest_country")
        }
        entries = []
        for code in made.keys() | received.keys():
            name, to = made.get(code, (None, 0))
            name, back = received.get(code, (name, 0))
            detail = each_way(to, back, country.name)
            entries.append(Entry(code=code, name=name, visits=to + back, detail=detail))

        def link(group):
            if not group:
                return f"{reverse('visit_list')}?country={country.code}"
            largest = max(group, key=lambda entry: entry.visits)
            return reverse("country_pair", args=[country.code.lower(), largest.code.lower()])

        subject = format_lazy(
            _("Visits between {name} and each partner country, both ways"), name=country.name
        )
        return draw(entries, link, highlight=country.code, subject=subject)

    return drawn(("worldmap", "country", country.code), compute, "country-map")
