"""Names folded for matching: the same name written with or without accents, in another case
or script, with other spacing and punctuation, or with "Jr." is one key.

Folding transliterates to ASCII with anyascii (pure Python, no data to download, every script:
"Алиев" → "aliev", "Ташкент" → "tashkent", "Əliyev" → "eliyev", "Özbəkistan" → "ozbekistan"),
then lowers the case. Search folds a visit's text and the words typed the same way, so a name
written in any script finds what its transliteration finds.

Kept apart from the models (which store a key in every *Name.key) and from the importers
(which match people on it), so both can use it without importing each other.
"""

import functools
import re

import pycountry
from anyascii import anyascii

# Suffixes that do not tell two people apart in the sources (a "Jr." is often dropped).
SUFFIXES = {"jr", "sr", "junior", "senior"}
SEPARATORS = re.compile(r"[\s\-‐‑‒–—.,\"()]+")
# Apostrophes (and the modifier letters U+02BB and U+02BC of Uzbek names, which anyascii turns
# into ` and ') join a word's parts: O'zbekiston and Ozbekiston are one word.
APOSTROPHES = re.compile("['\u2019\u02bb\u02bc`]")
WORD = re.compile(r"\w+")


def fold(text):
    """ASCII, lower case: "Əliyev" → "eliyev", "Pérez" → "perez", "Алиев" → "aliev"."""
    text = str(text)
    if text.isascii():
        return text.casefold()
    return anyascii(text).casefold()


def name_words(name):
    """A name's words, folded, without suffixes: "Joseph R. Biden, Jr." → joseph r biden,
    "Oʻzbekiston" → ozbekiston."""
    words = SEPARATORS.split(APOSTROPHES.sub("", fold(name)))
    return [word for word in words if word and word not in SUFFIXES]


def name_key(name):
    """The key two spellings of one name share: "Kamran  Əliyev" and "kamran eliyev"."""
    return " ".join(name_words(name))


def folded_forms(texts):
    """The folded forms of the texts' words that differ from the words themselves in anything
    but case, each once, in order: what a search text adds so that a folded query finds them.
    ("Tashkent" adds nothing, "Kamran Əliyev" adds "eliyev", "Ташкент" adds "tashkent".)"""
    seen, forms = set(), []
    for text in texts:
        for word in WORD.findall(text or ""):
            folded = fold(word)
            if folded != word.casefold() and folded not in seen:
                seen.add(folded)
                forms.append(folded)
    return forms


@functools.cache
def language_name(tag):
    """A BCP 47 tag as a reader's label, from pycountry's ISO 639, 15924 and 3166 lists:
    "az" → "Azerbaijani", "uz-Cyrl" → "Uzbek (Cyrillic)", "pt-BR" → "Portuguese (Brazil)"; a
    tag it does not know, as it is."""
    parts = [part for part in str(tag).split("-") if part]
    if not parts:
        return ""
    language, *subtags = parts
    field = "alpha_2" if len(language) == 2 else "alpha_3"
    found = pycountry.languages.get(**{field: language.lower()})
    name = (getattr(found, "common_name", None) or found.name) if found else language
    name = re.sub(r"\s*\(.*\)$", "", name)  # "Modern Greek (1453-)" → "Modern Greek"
    details = []
    for subtag in subtags:
        if len(subtag) == 4:
            script = pycountry.scripts.get(alpha_4=subtag.title())
            details.append(script.name if script else subtag)
        elif len(subtag) == 2:
            region = pycountry.countries.get(alpha_2=subtag.upper())
            details.append(
                (getattr(region, "common_name", None) or region.name) if region else subtag
            )
        else:
            details.append(subtag)
    return f"{name} ({', '.join(details)})" if details else name
