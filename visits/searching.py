"""Reading a text search: its words and quoted phrases, each as typed and folded into ASCII
(visits.names.fold), found in the search text (through SQLite's trigram index) or as the name
of a country in any language. The FilterSets (visits.filters) build their conditions from these."""

import re

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .caching import remember
from .choices import country_index
from .models import Country, CountryName
from .names import fold, name_key

# A phrase in double quotes (an unclosed quote runs to the end), or a word.
TERM = re.compile(r'"([^"]*)"?|(\S+)')


def words(text):
    """The terms of a search, at most ten: its words, and its phrases in double quotes
    (`"Camp David"`), which match only as written, their words adjacent and in order."""
    terms = []
    for phrase, word in TERM.findall(text):
        term = " ".join(phrase.split()) if not word else word.strip('"')
        if term:
            terms.append(term)
    return terms[:10]


def all_words_in(fields, text):
    """Each word must appear in at least one of the fields (in any field, any order)."""
    condition = Q()
    for word in words(text):
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition


def forms_of(term):
    """The term as typed and, when it differs, folded as the search text's other names are
    (visits.names.fold: ASCII, lower case): "Алиев" → ["Алиев", "aliev"]."""
    folded = " ".join(fold(term).split())
    return [term] if folded == " ".join(term.casefold().split()) else [term, folded]


# SQLite's full-text index of the visits' search text (migration 0006): trigrams, so it finds
# any run of three characters or more.
SEARCH_INDEX = "visits_visit_search"


def in_search_index(terms):
    """On SQLite, the visits whose search text holds every term of three characters or more
    (as typed or folded), found in the trigram index rather than by reading every visit; the
    LIKE conditions still decide (the index folds case more widely than LIKE does, so it only
    ever finds more).

    A term found in many visits (COMMON_SHARE of them or more) is left out: for it, walking
    the visits in the list's order and testing each with LIKE finds a page's fifty at once,
    where the index would hand over every match (a third of the visits, for "trade") to be
    sorted. How many visits each term is in is read from the index and kept until the records
    change."""
    indexed = [term for term in terms if len(term) >= 3]
    if connection.vendor != "sqlite" or not indexed:
        return Q()
    indexed = [term for term in indexed if not common(term)]
    if not indexed:
        return Q()
    return Q(
        pk__in=RawSQL(
            f"SELECT rowid FROM {SEARCH_INDEX} WHERE {SEARCH_INDEX} MATCH %s",
            [index_query(indexed)],
        )
    )


def index_query(terms):
    """The trigram index's query for visits holding every term (as typed or folded)."""
    return " AND ".join(
        "({})".format(
            " OR ".join('"{}"'.format(form.replace('"', '""')) for form in forms_of(term))
        )
        for term in terms
    )


# A term in this share of the visits or more is searched without the trigram index.
COMMON_SHARE = 0.05


def common(term):
    """Whether the trigram index finds the term in COMMON_SHARE of the visits or more (counted
    once per data version)."""

    def found():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT count(*) FROM {SEARCH_INDEX} WHERE {SEARCH_INDEX} MATCH %s), "
                "(SELECT count(*) FROM visits_visit)",
                [index_query([term])],
            )
            matches, total = cursor.fetchone()
        return total > 0 and matches >= COMMON_SHARE * total

    return remember(("common-term", term), found)


def named_country(term, *fields):
    """The records whose country (in any of the fields) has the term as one of its names in
    another language ("Azərbaycan", "Узбекистан"), or None when no country is so named: the
    search text does not copy a country's hundred translations, so the search looks them up
    first (an exact name, folded), and a word that names no country adds no condition."""
    key = name_key(term)
    if len(key) < 3:
        return None
    english = country_index().get(key)  # "Turkiye", "Cote d'Ivoire": the name, folded
    named = CountryName.objects.filter(key=key).values("country")
    countries = list(
        Country.objects.filter(Q(pk__in=named) | Q(code=english or "")).values_list("pk", flat=True)
    )
    if not countries:
        return None
    condition = Q(pk__in=[])
    for field in fields:
        condition |= Q(**{f"{field}__in": countries})
    return condition


def or_named_country(condition, term, *fields):
    """condition, or the records of a country the term names (see named_country)."""
    country = named_country(term, *fields)
    return condition if country is None else condition | country
