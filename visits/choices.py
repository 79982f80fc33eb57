"""Country choices for the filter forms, built once and kept in the cache.

Rendering every country on every request was measured at about 25 ms; the lists offer only
the countries that have records of the kind listed, and are rebuilt after records change.
"""

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils.html import format_html

CACHE_KEY = "country-choices:{kind}:{version}"
VERSION_KEY = "records:version"
TIMEOUT = 60 * 60


def _related(kind):
    from .models import Agreement, Country, Meeting, Organization, Person, Visit

    outer = OuterRef("pk")
    conditions = {
        "visits": [
            Exists(Visit.objects.filter(guest_country=outer)),
            Exists(Visit.objects.filter(host_country=outer)),
        ],
        "meetings": [Exists(Meeting.objects.filter(country=outer))],
        "agreements": [Exists(Agreement.party_countries.through.objects.filter(country=outer))],
        "organizations": [Exists(Organization.objects.filter(country=outer))],
        "people": [Exists(Person.objects.filter(country=outer))],
    }
    if kind == "any":
        return Country, [condition for group in conditions.values() for condition in group]
    return Country, conditions[kind]


def countries_with(kind):
    """The countries that have records of a kind (visits, meetings, …), or of any kind."""
    country_model, conditions = _related(kind)
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return country_model.objects.filter(condition)


def data_version():
    """A number that changes whenever records change: part of every cache key built on them."""
    return cache.get_or_set(VERSION_KEY, 1, None)


def country_choices(kind):
    version = data_version()
    key = CACHE_KEY.format(kind=kind, version=version)
    choices = cache.get(key)
    if choices is None:
        choices = list(countries_with(kind).order_by("name").values_list("code", "name"))
        cache.set(key, choices, TIMEOUT)
    return choices


def forget_country_choices(**kwargs):
    """Called when records change: the next request builds the lists again."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def country_options_html(kind):
    """The <option>s of a country control, rendered once per change of the data."""
    version = data_version()
    key = f"country-options:{kind}:{version}"
    html = cache.get(key)
    if html is None:
        html = '<option value="">Any country</option>' + "".join(
            format_html('<option value="{}">{}</option>', code, name)
            for code, name in country_choices(kind)
        )
        cache.set(key, html, TIMEOUT)
    return html
