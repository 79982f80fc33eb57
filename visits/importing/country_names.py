"""Countries found by name, the way a librarian would look them up.

A name is folded before it is compared (fold()): case, accents, punctuation and spacing do not
count, "&" is "and", "Saint" and "St." are one word, and the words "and", "the" and "of" are
left out; so "Saint Vincent and the Grenadines", "St. Vincent & Grenadines" and the id
"saint-vincent-grenadines" are one name, as are "Côte d'Ivoire" and "cote-divoire".

CountryNames indexes, from the most to the least trusted (a name claimed at one level is not
taken by a later one; a name two countries share at the same level is left out, as ambiguous):

1. the hand-made names it is given (aliases: old names, a dataset's own spellings and typos);
2. pycountry's names, official names and common names of ISO 3166-1 ("Korea, Republic of",
   "South Korea");
3. the same names turned round and without their brackets ("Republic of Korea", "Holy See"), and
   the part before the comma ("Iran" of "Iran, Islamic Republic of");
4. the former countries of ISO 3166-3 (pycountry.historic_countries), in the same forms. A former
   code listed in `renamed` is the same state under its new name, and gives that code instead.

find() looks a text up as it is, then without its bracket (the state named before a part of it:
"United Kingdom (Bermuda)"), then turned round at its comma ("Korea, South").
"""

import re
import unicodedata

import pycountry

LEFT_OUT = {"and", "the", "of"}
SAINT = {"saint", "st"}


def fold(text):
    """A name as the index compares it: "stkittsnevis" from "Saint Kitts & Nevis"."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(character for character in text if not unicodedata.combining(character))
    text = re.sub(r"['\u2019`]", "", text.casefold().replace("&", " and "))
    words = ["st" if word in SAINT else word for word in re.findall(r"[^\W_]+", text)]
    return "".join(word for word in words if word not in LEFT_OUT)


def forms(name):
    """The name, turned round at its comma, without its bracket, and before its comma."""
    found = [name]
    bare = re.sub(r"\s*\(.*?\)", "", name).strip()
    for text in dict.fromkeys([name, bare]):
        if ", " in text:
            head, _, tail = text.partition(", ")
            found += [f"{tail} {head}", head]
    return [*dict.fromkeys([*found, bare])]


def variants(text):
    """What find() looks up for a text, in order."""
    bare = re.sub(r"\s*\(.*?\)", "", text).strip()
    found = [text, bare]
    for name in (text, bare):
        if ", " in name:
            head, _, tail = name.partition(", ")
            found.append(f"{tail} {head}")
    return [*dict.fromkeys(found)]


class CountryNames:
    """Folded name -> country code, built from pycountry and the aliases given."""

    def __init__(self, aliases=(), renamed=None):
        renamed = renamed or {}
        self.codes = {}
        self.ambiguous = set()
        self.add_level(aliases)
        current = [
            (country.alpha_2, [getattr(country, key, "") for key in NAME_FIELDS])
            for country in pycountry.countries
        ]
        self.add_level((name, code) for code, names in current for name in names)
        self.add_level(
            (form, code) for code, names in current for name in names for form in forms(name)[1:]
        )
        self.add_level(
            (form, renamed.get(country.alpha_4, country.alpha_4))
            for country in pycountry.historic_countries
            for form in forms(country.name)
        )

    def add_level(self, pairs):
        """Index (name, code) pairs as one level: names already indexed keep their code."""
        level = {}
        for name, code in pairs:
            key = fold(name)
            if not key or key in self.codes:
                continue
            if level.get(key, code) != code:
                self.ambiguous.add(key)
            level[key] = code
        for key, code in level.items():
            if key not in self.ambiguous:
                self.codes[key] = code

    def find(self, text):
        """The code a text names, or None."""
        for name in variants(text or ""):
            code = self.codes.get(fold(name))
            if code is not None:
                return code
        return None


NAME_FIELDS = ("name", "official_name", "common_name")
