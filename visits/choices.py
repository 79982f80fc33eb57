"""What the filter inputs suggest and accept, kept in the cache until the records change.

The country inputs of a page share one <datalist> of the countries that have records of the
kind listed, each with its code (and, for visits, how many there are); the person and
organization inputs one of the people or organizations with the most records. Their HTML is
rendered once per data version, not on every request. Typed values are read against an index
of every country's code and names, kept the same way."""

from django.db.models import Count, F, Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from .caching import remember
from .models import Country, CountryName, Organization, Person, Visit
from .names import name_key

# The languages whose ISO 3166 country names the country datalist offers besides English: those
# of the region the seed article comes from (Azerbaijani, Uzbek, Russian, Turkish, Kazakh).
DATALIST_LANGUAGES = ("az", "uz", "ru", "tr", "kk")

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
        choices = country_choices(kind)
        options = format_html_join(
            "",
            '<option value="{}" data-value="{}">{}</option>',
            (
                (name, code, visits_label(code, counts[code]))
                if code in counts
                else (name, code, code)
                for code, name in choices
            ),
        )
        others = format_html_join(
            "",
            '<option value="{}" data-value="{}" lang="{}">{} · {}</option>',
            other_country_names(choices),
        )
        return format_html('<datalist id="country-names">{}{}</datalist>', options, others)

    # Built in the language of the request that fills the cache: one copy per language.
    return remember(("country-datalist", kind), render)


def visits_label(code, count):
    """A country's label in the datalist: its code and its number of visits."""
    return ngettext("%(code)s · %(count)s visit", "%(code)s · %(count)s visits", count) % {
        "code": code,
        "count": count,
    }


def other_country_names(choices):
    """[(name, code, language, code, English name)] of the countries' other names a datalist
    offers: those editors and sources gave, and the ISO 3166 translations in DATALIST_LANGUAGES
    (all hundred would make every page heavy; any of them is still understood when typed)."""
    english = dict(choices)
    if not english:
        return []
    rows = (
        CountryName.objects.filter(country__code__in=list(english))
        .filter(~Q(origin=CountryName.Origin.ISO) | Q(language__in=DATALIST_LANGUAGES))
        .order_by("name", "language")
        .values_list("name", "country__code", "language")
    )
    seen = {(name.casefold(), code) for code, name in english.items()}
    offered = []
    for name, code, language in rows:
        if (name.casefold(), code) not in seen:
            seen.add((name.casefold(), code))
            offered.append((name, code, language, code, english[code]))
    return offered


def country_index():
    """{code or name, folded (visits.names.name_key): code} of every country held, for reading
    typed values: "uzbekistan", "uz". A country's names in other languages are looked up in
    the database when a value is none of these (find_country)."""

    def build():
        index = {}
        for code, name, official in Country.objects.values_list("code", "name", "official_name"):
            for text in (official, name):
                if text:
                    index[name_key(text)] = code
            index[code.casefold()] = code
        return index

    return remember("country-index", build)


def find_country(text):
    """The code of the country a typed value names: its code, its name or official name, or one
    of its other names in any language or script ("Özbəkistan", "ozbekiston", "Узбекистан"),
    folded; None when no country has it."""
    key = name_key(text)
    code = country_index().get(text.strip().casefold()) or country_index().get(key)
    if code is None and key:
        code = (
            CountryName.objects.filter(key=key)
            .order_by("country__code")
            .values_list("country__code", flat=True)
            .first()
        )
    return code


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
