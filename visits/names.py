"""Names folded for matching: the same person's name written with or without accents, in
another case, with other spacing and punctuation, or with "Jr." is one key.

Kept apart from the models (which store a key in PersonName.key) and from the importers
(which match people on it), so both can use it without importing each other.
"""

import re
import unicodedata

# Suffixes that do not tell two people apart in the sources (a "Jr." is often dropped).
SUFFIXES = {"jr", "sr", "junior", "senior"}
SEPARATORS = re.compile(r"[\s\-‐‑‒–—.,'’`\"()]+")


def fold(text):
    """Lower case, without accents or other marks: "Əliyev" → "eliyev", "Pérez" → "perez"."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ə", "e")


def name_words(name):
    """A name's words, folded, without suffixes: "Joseph R. Biden, Jr." → joseph r biden."""
    return [word for word in SEPARATORS.split(fold(name)) if word and word not in SUFFIXES]


def name_key(name):
    """The key two spellings of one name share: "Kamran  Əliyev" and "kamran eliyev"."""
    return " ".join(name_words(name))
