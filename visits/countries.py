"""The country list, taken from pycountry (ISO 3166-1 and ISO 3166-3), never typed by hand.

A few entities have no ISO 3166 code at all but appear in the records (Kosovo uses the
user-assigned code XK, as the European Union and the IMF do; the Kingdom of Hawaii was a
state before ISO 3166 existed). They are listed in NON_ISO_ENTITIES; editors add more
in the admin with the status "other".
"""

import pycountry

NON_ISO_ENTITIES = [
    {"code": "XK", "name": "Kosovo", "official_name": "Republic of Kosovo"},
    {"code": "XHAW", "name": "Kingdom of Hawaii", "official_name": "", "withdrawn": "1893"},
]


def country_rows():
    """Yield one dict per country: current ones, former ones, then the non-ISO entities."""
    for country in pycountry.countries:
        yield {
            "code": country.alpha_2,
            "alpha_3": country.alpha_3,
            "numeric": country.numeric,
            "name": getattr(country, "common_name", None) or country.name,
            "official_name": getattr(country, "official_name", ""),
            "status": "current",
            "withdrawn": "",
        }
    for country in pycountry.historic_countries:
        yield {
            "code": country.alpha_4,
            "alpha_3": country.alpha_3,
            "numeric": getattr(country, "numeric", ""),
            "name": country.name,
            "official_name": "",
            "status": "former",
            "withdrawn": getattr(country, "withdrawal_date", ""),
        }
    for entity in NON_ISO_ENTITIES:
        yield {"alpha_3": "", "numeric": "", "status": "other", "withdrawn": "", **entity}


def sync_countries(country_model):
    """Create the countries that are missing and refresh the names of the others."""
    existing = {country.code: country for country in country_model.objects.all()}
    created, updated = [], []
    for row in country_rows():
        country = existing.get(row["code"])
        if country is None:
            created.append(country_model(**row))
            continue
        changed = False
        for field, value in row.items():
            if getattr(country, field) != value:
                setattr(country, field, value)
                changed = True
        if changed:
            updated.append(country)
    country_model.objects.bulk_create(created)
    if updated:
        country_model.objects.bulk_update(
            updated, ["alpha_3", "numeric", "name", "official_name", "status", "withdrawn"]
        )
    return len(created), len(updated)
