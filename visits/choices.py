"""What the filter inputs suggest and accept, kept in the cache until the records change.

The country inputs of a page share one <datalist> of the countries that have records of the
kind listed, each with its code (and, for visits, how many there are); the person and
organization inputs one of the people or organizations with the most records. Their HTML is
rendered once per data version, not on every request. Typed values are read against an index
of every country's code and names, kept the same way."""

from django.db.models import Count, F
from django.utils.html import format_html, format_html_join

from .caching import remember
from .models import Country, Organization, Person, Visit

# The people or organizations a datalist suggests at most: the ones with the most records.
# Any other is still accepted by its exact name or its slug.
DATALIST_LIMIT = 100


def country_choices(kind):
    """[(code, name)] of the countries with records of a kind (visits, meetings, …, or any)."""
    countries = Country.objects.with_records(kind).order_by("name")
    return remember(("country-choices", kind), lambda: list(countries.values_list("code", "name")))


def visits_per_country():
    """{country pk: visits made or received}, from two GROUP BYs over the visits."""
    counts = {}
    for side in ("guest_country", "host_country"):
        rows = Visit.objects.order_by().values(side).annotate(n=Count("*")).values_list(side, "n")
        for pk, n in rows:
            counts[pk] = counts.get(pk, 0) + n
    same = Visit.objects.order_by().filter(guest_country=F("host_country"))
    for pk, n in (
        same.values("guest_country").annotate(n=Count("*")).values_list("guest_country", "n")
    ):
        counts[pk] -= n  # a visit within one country counts once
    return counts


def country_datalist_html(kind):
    """The shared <datalist id="country-names"> of a list's country inputs: the name as the
    value (typing any part of it finds it), the code as data-value and in the label."""

    def render():
        counts = {}
        if kind == "visits":
            codes = dict(Country.objects.values_list("pk", "code"))
            counts = {codes[pk]: n for pk, n in visits_per_country().items()}
        options = format_html_join(
            "",
            '<option value="{}" data-value="{}">{}</option>',
            (
                (name, code, f"{code} · {counts[code]} visit{'s' if counts[code] != 1 else ''}")
                if code in counts
                else (name, code, code)
                for code, name in country_choices(kind)
            ),
        )
        return format_html('<datalist id="country-names">{}</datalist>', options)

    return remember(("country-datalist", kind), render)


def country_index():
    """{code or name, case folded: code} of every country held, for reading typed values."""

    def build():
        index = {}
        for code, name, official in Country.objects.values_list("code", "name", "official_name"):
            for text in (official, name, code):
                if text:
                    index[text.casefold()] = code
        return index

    return remember("country-index", build)


RECORD_COUNTS = {Person: "delegations_led", Organization: "delegations"}


def record_datalist_html(model):
    """The <datalist> of a person or organization input: the DATALIST_LIMIT with the most
    visits (led, or represented), by name; a name held by two of them is offered by slug."""
    meta = model._meta

    def render():
        records = list(
            model.objects.annotate(n=Count(RECORD_COUNTS[model]))
            .order_by("-n", "name")
            .values_list("name", "slug", "n")[:DATALIST_LIMIT]
        )
        names = [name for name, _, _ in records]
        rows = (
            (name, slug, "") if names.count(name) == 1 else (slug, slug, name)
            for name, slug, _ in sorted(records)
        )
        options = format_html_join("", '<option value="{}" data-value="{}">{}</option>', rows)
        return format_html('<datalist id="{}">{}</datalist>', datalist_id(model), options)

    return remember(("record-datalist", meta.label_lower), render)


def datalist_id(model):
    return f"{model._meta.model_name}-names"
