"""What a page says about itself to search engines and to link previews: `{% load meta %}`.

`{% page_meta as meta %}` gives the page's title, description, canonical address (absolute, the
clean form: no empty parameters, no page 1) and OpenGraph type, from what its view put in the
context: a record (`object`), a filtered list (`paginator`, `active_filters`, `nouns`), or
neither (the home page and the rest)."""

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext

register = template.Library()

SITE = gettext_lazy("Diplomatic visits")
DESCRIPTION_WORDS = 40
DEFAULT_DESCRIPTION = gettext_lazy(
    "Records of diplomatic visits: who travelled where and when, the meetings held and the "
    "agreements signed, each record tied to its source."
)


def clean_query(data):
    """The parameters with a value, page 1 left out, in a stable order."""
    clean = QueryDict(mutable=True)
    for name in sorted(data):
        values = [value.strip() for value in data.getlist(name) if value.strip()]
        if name == "page" and values in (["1"], []):
            continue
        if values:
            clean.setlist(name, values)
    return clean.urlencode()


def shorten(text):
    return Truncator(" ".join(str(text).split())).words(DESCRIPTION_WORDS, truncate="…")


def record_description(record):
    """The record's summary, else a sentence made from its facts."""
    summary = getattr(record, "summary", "")
    if summary:
        return shorten(summary)
    name = record._meta.model_name
    if name == "visit":
        when = date_format(record.start_date, "j F Y")
        return gettext(
            "%(kind)s from %(guest)s to %(host)s, %(when)s, with its delegation, meetings and "
            "sources."
        ) % {
            "kind": capfirst(record.get_kind_display()),
            "guest": record.guest_country.name,
            "host": record.host_country.name,
            "when": when,
        }
    if name == "country":
        made = getattr(record, "visits_made_count", None)
        received = getattr(record, "visits_received_count", None)
        if made is not None and received is not None:
            return ngettext(
                "%(name)s: %(made)s visit made and %(received)s received, its partner "
                "countries, people, organizations and agreements.",
                "%(name)s: %(made)s visits made and %(received)s received, its partner "
                "countries, people, organizations and agreements.",
                made,
            ) % {"name": record.name, "made": made, "received": received}
        return gettext("%(name)s: the visits it made and received, and its partner countries.") % {
            "name": record.name
        }
    if name == "person":
        return gettext(
            "%(name)s: the delegations led and joined, meetings and agreements signed."
        ) % {"name": record.name}
    if name == "organization":
        return gettext("%(name)s: its delegations on visits, meetings, agreements and sources.") % {
            "name": record.name
        }
    if name == "journey":
        return gettext("%(title)s: the itinerary, stop by stop.") % {"title": record.title}
    return f"{capfirst(record._meta.verbose_name)}: {record}."


def list_meta(context):
    nouns = capfirst(context.get("nouns", ""))
    filters = context.get("active_filters") or []
    described = "; ".join(f"{item.label}: {item.value}" for item in filters)
    title = f"{nouns}: {described}" if described else nouns
    paginator = context.get("paginator")
    if context.get("invalid") or paginator is None:
        return title, gettext("%(nouns)s of the diplomatic visits records, filtered.") % {
            "nouns": nouns
        }
    count = paginator.count
    noun = context.get("noun", "") if count == 1 else context.get("nouns", "")
    description = f"{count} {noun}" + (f" ({described})" if described else "") + "."
    return title, description + " " + gettext(
        "Filter by country, date and kind; export as CSV or JSON."
    )


@register.simple_tag(takes_context=True)
def page_meta(context):
    request = context.get("request")
    record = context.get("object")
    if context.get("meta_title"):
        title, kind = context["meta_title"], "website"
        description = context.get("meta_description") or DEFAULT_DESCRIPTION
    elif context.get("first") and context.get("second"):  # a country pair
        first, second = context["first"], context["second"]
        names = {"first": first.name, "second": second.name}
        title, kind = gettext("%(first)s and %(second)s") % names, "website"
        description = (
            gettext(
                "The visits between %(first)s and %(second)s both ways, their meetings and "
                "agreements, on one timeline."
            )
            % names
        )
    elif record is not None and hasattr(record, "_meta"):
        title, description, kind = str(record), record_description(record), "article"
    elif context.get("nouns") and "filter" in context:
        title, description = list_meta(context)
        kind = "website"
    else:
        title, description, kind = SITE, DEFAULT_DESCRIPTION, "website"
    url = ""
    if request is not None:
        query = clean_query(request.GET) if "filter" in context else ""
        url = request.build_absolute_uri(request.path + (f"?{query}" if query else ""))
    return {"title": title, "description": description, "type": kind, "url": url}


@register.simple_tag(takes_context=True)
def search_keeps(context):
    """The filters that the header's search keeps, as (name, value) pairs: on the visit list,
    its active filters but the text and the page (a new search starts on page one)."""
    request = context.get("request")
    if request is None or "filter" not in context or request.path != reverse("visit_list"):
        return []
    return [
        (name, value)
        for name in sorted(request.GET)
        if name not in ("q", "page")
        for value in request.GET.getlist(name)
        if value.strip()
    ]
