"""Country choices for the filter forms, kept in the cache until the records change.

The lists offer only the countries that have records of the kind listed; their HTML is
rendered once per data version, not on every request (a list of some 250 countries).
"""

from django.utils.html import format_html

from .caching import remember
from .models import Country


def country_choices(kind):
    """[(code, name)] of the countries with records of a kind (visits, meetings, …, or any)."""
    countries = Country.objects.with_records(kind).order_by("name")
    return remember(("country-choices", kind), lambda: list(countries.values_list("code", "name")))


def country_options_html(kind):
    """The <option>s of a country control."""

    def render():
        return '<option value="">Any country</option>' + "".join(
            format_html('<option value="{}">{}</option>', code, name)
            for code, name in country_choices(kind)
        )

    return remember(("country-options", kind), render)
