"""The country list, taken from pycountry (ISO 3166-1 and ISO 3166-3), never typed by hand.

A few entities have no ISO 3166 code at all but appear in the records (Kosovo uses the
user-assigned code XK, as the European Union and the IMF do; the Kingdom of Hawaii was a
state before ISO 3166 existed). They are listed in NON_ISO_ENTITIES; editors add more
in the admin with the status "other".
"""

import gettext
from pathlib import Path

import pycountry

from .names import name_key

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
    """Create the countries that are missing and refresh the names of the others; then their
    names in other languages (sync_country_names), once the database has a table for them."""
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
    try:
        name_model = country_model._meta.apps.get_model("visits", "CountryName")
    except LookupError:
        name_model = None  # a migration before the names' (0012)
    if name_model is not None:
        sync_country_names(country_model, name_model)
    return len(created), len(updated)


# The origin of the names loaded from pycountry (CountryName.Origin.ISO).
ISO_ORIGIN = "iso"
# The catalogues of pycountry's translations: ISO 3166-1 (current) and ISO 3166-3 (former).
DOMAINS = {"current": "iso3166-1", "former": "iso3166-3"}
# Locale directory suffixes that name a script (BCP 47 writes them as a subtag).
SCRIPTS = {"latin": "Latn", "iqtelif": "Latn", "cyrillic": "Cyrl"}


def bcp47(locale):
    """A gettext locale as a BCP 47 tag: pt_BR → pt-BR, sr@latin → sr-Latn."""
    locale, _, modifier = locale.partition("@")
    language, _, region = locale.partition("_")
    return "-".join(part for part in (language, SCRIPTS.get(modifier, ""), region) if part)


def catalogues(domain):
    """{BCP 47 tag: {English text: translation}} of every locale pycountry ships a domain in
    (English itself left out)."""
    found = {}
    for path in sorted(Path(pycountry.LOCALES_DIR).glob(f"*/LC_MESSAGES/{domain}.mo")):
        language = bcp47(path.parent.parent.name)
        if language.split("-")[0] == "en":
            continue
        with path.open("rb") as file:
            catalogue = gettext.GNUTranslations(file)._catalog
        found[language] = {key: value for key, value in catalogue.items() if key and value}
    return found


def english_names():
    """{code: {the English names pycountry gives a country}}: its name, its common name (the
    one shown) and its official name."""
    names = {}
    for country in [*pycountry.countries, *pycountry.historic_countries]:
        code = getattr(country, "alpha_4", None) or country.alpha_2
        names[code] = {
            getattr(country, field, None) for field in ("name", "common_name", "official_name")
        } - {None, ""}
    return names


def translated_names():
    """{(code, name, language)}: the countries' names in every language pycountry has a
    translation for; a translation that is one of the English names is left out."""
    codes = {"current": [], "former": []}
    for country in pycountry.countries:
        codes["current"].append(country.alpha_2)
    for country in pycountry.historic_countries:
        codes["former"].append(country.alpha_4)
    english = english_names()
    names = set()
    for status, domain in DOMAINS.items():
        for language, catalogue in catalogues(domain).items():
            for code in codes[status]:
                for text in english[code]:
                    translation = " ".join(catalogue.get(text, "").split())[:200]
                    if translation and translation not in english[code]:
                        names.add((code, translation, language))
    return names


def sync_country_names(country_model, name_model):
    """The ISO 3166 translations as country names (origin "ISO 3166 translation (pycountry)"):
    the missing ones created in one bulk insert, those pycountry no longer has removed; names
    of any other origin are left alone. Returns (created, removed)."""
    wanted = translated_names()
    pks = dict(country_model.objects.values_list("code", "pk"))
    iso = ISO_ORIGIN  # (a migration's model has no Origin class)
    held = {
        (code, name, language): (pk, origin)
        for pk, code, name, language, origin in name_model.objects.values_list(
            "pk", "country__code", "name", "language", "origin"
        )
    }
    stale = [pk for key, (pk, origin) in held.items() if origin == iso and key not in wanted]
    if stale:
        name_model.objects.filter(pk__in=stale).delete()
    new = [
        name_model(
            country_id=pks[code], name=name, key=name_key(name), language=language, origin=iso
        )
        for code, name, language in sorted(wanted)
        if code in pks and (code, name, language) not in held
    ]
    name_model.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new), len(stale)
