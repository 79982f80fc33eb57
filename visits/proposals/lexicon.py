"""The names a text is read with: the project's countries (with adjectives), people, bodies
and places as folded word tuples (a Lexicon), and the search for them in a text."""

import re
from dataclasses import dataclass, field

from ..caching import remember
from ..models import (
    Country,
    CountryName,
    Organization,
    OrganizationName,
    Person,
    PersonName,
    PlaceName,
)
from ..names import name_key

# A word of a name; an apostrophe inside joins its parts (O'zbekiston, General's).
TOKEN = re.compile(r"[^\W_]+(?:['’ʻʼ][^\W_]+)*")
# What may stand between two words of one name: spaces, apostrophes, hyphens.
NAME_GAP = re.compile(r"[\s'’ʻʼ\-‐‑]*")
# Adjectives the endings do not give, by country code.
IRREGULAR_ADJECTIVES = {
    "AF": ["Afghan"], "BD": ["Bangladeshi"], "BE": ["Belgian"], "CH": ["Swiss"],
    "CN": ["Chinese"], "CZ": ["Czech"], "DE": ["German"], "DK": ["Danish"], "ES": ["Spanish"],
    "FI": ["Finnish"], "FR": ["French"], "GB": ["British"], "GR": ["Greek"], "IE": ["Irish"],
    "IL": ["Israeli"], "IQ": ["Iraqi"], "IR": ["Iranian"], "JP": ["Japanese"],
    "KP": ["North Korean"], "KR": ["South Korean"], "LB": ["Lebanese"], "NL": ["Dutch"],
    "NZ": ["New Zealand"], "PH": ["Filipino", "Philippine"], "PK": ["Pakistani"],
    "PL": ["Polish"], "PT": ["Portuguese"], "RU": ["Russian"], "SA": ["Saudi"], "SE": ["Swedish"],
    "SD": ["Sudanese"], "TH": ["Thai"], "TR": ["Turkish"], "AE": ["Emirati"],
    "US": ["American", "U.S."], "VN": ["Vietnamese"], "YE": ["Yemeni"], "SY": ["Syrian"],
    "VA": ["Vatican"], "NO": ["Norwegian"], "IS": ["Icelandic"], "HU": ["Hungarian"],
    "CY": ["Cypriot"], "MT": ["Maltese"], "SN": ["Senegalese"], "MM": ["Myanmar"],
}  # fmt: skip
# Names in common use that ISO 3166 does not give as a name of the country.
EXTRA_NAMES = {
    "RU": ["Russia"], "TR": ["Turkey"], "US": ["USA", "U.S."], "GB": ["Britain", "UK"],
    "KR": ["Republic of Korea"], "KP": ["North Korea"], "IR": ["Iran"], "SY": ["Syria"],
    "VN": ["Vietnam"], "LA": ["Laos"], "MD": ["Moldova"], "TZ": ["Tanzania"],
}  # fmt: skip


@dataclass(frozen=True)
class Proposal:
    """A value the text gives, and the words of the text it was read from."""

    value: object
    words: str


@dataclass(frozen=True)
class Mention:
    """A name found in the text: the record's key (a country code, a person's or a body's
    primary key), the words as written and where they stand."""

    value: object
    words: str
    start: int
    end: int


@dataclass
class Lexicon:
    """The names the project holds, as folded word tuples: countries (to codes, with the
    English name of each), people and bodies (to primary keys, with the name shown; the names
    several people share to all their keys), bodies' acronyms (as written), bodies' countries,
    and places (folded name to country code)."""

    countries: dict = field(default_factory=dict)
    country_names: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    person_names: dict = field(default_factory=dict)
    shared_names: dict = field(default_factory=dict)
    organizations: dict = field(default_factory=dict)
    organization_names: dict = field(default_factory=dict)
    organization_countries: dict = field(default_factory=dict)
    acronyms: dict = field(default_factory=dict)
    places: dict = field(default_factory=dict)

    @classmethod
    def from_database(cls):
        """The lexicon of the names in the database (about 45,000 rows read; cached()
        keeps it until the data changes)."""
        lexicon = cls()
        countries = list(Country.objects.values_list("code", "name", "official_name", "status"))
        lexicon.country_names = {code: name for code, name, _official, _status in countries}
        pairs = []
        for code, name, official, status in countries:
            pairs += [(name, code), (official, code)]
            pairs += [(extra, code) for extra in EXTRA_NAMES.get(code, ())]
            if status == "current":
                pairs += [(adjective, code) for adjective in adjectives(code, name)]
        # The other names (43,000 translations) only where the English names and
        # adjectives leave a name free: a translation never takes a name from them.
        lexicon.countries = unambiguous(pairs)
        others = unambiguous(CountryName.objects.values_list("name", "country__code"))
        lexicon.countries = {**others, **lexicon.countries}

        people = list(Person.objects.values_list("pk", "name"))
        lexicon.person_names = dict(people)
        person_pairs = [(name, pk) for pk, name in people]
        person_pairs += list(PersonName.objects.values_list("name", "person"))
        lexicon.people = unambiguous(person_pairs)
        lexicon.shared_names = ambiguous(person_pairs)
        bodies = list(Organization.objects.values_list("pk", "name", "short_name", "country__code"))
        lexicon.organization_names = {pk: name for pk, name, _short, _code in bodies}
        lexicon.organization_countries = {pk: code for pk, _name, _short, code in bodies}
        lexicon.organizations = unambiguous(
            [(name, pk) for pk, name, _short, _code in bodies]
            + list(OrganizationName.objects.values_list("name", "organization"))
        )
        acronyms = {}
        for pk, _name, short, _code in bodies:
            if short:
                acronyms.setdefault(short, set()).add(pk)
        lexicon.acronyms = {short: pks.pop() for short, pks in acronyms.items() if len(pks) == 1}
        for place, name, code in PlaceName.objects.values_list("place", "name", "country__code"):
            for written in (place, name):
                lexicon.places.setdefault(name_key(written), set()).add((place, code))
        return lexicon

    @classmethod
    def cached(cls):
        """The lexicon of the database, kept in the cache until the data changes (it takes
        about half a second to build)."""
        return remember(("proposal-lexicon",), cls.from_database)

    def place(self, written):
        """(the place as records write it, its country code) for a place's name, or None
        when the gazetteer does not know it or knows it in two countries."""
        found = self.places.get(name_key(written), set())
        return next(iter(found)) if len(found) == 1 else None


def adjectives(code, name):
    """The adjectives of a country: the irregular ones listed, else those its name's ending
    gives (Uzbekistan → Uzbek, Uzbekistani; Azerbaijan → Azerbaijani; Georgia → Georgian)."""
    if code in IRREGULAR_ADJECTIVES:
        return IRREGULAR_ADJECTIVES[code]
    if " " in name or "," in name:
        return []
    if name.endswith("istan"):
        return [name[: -len("istan")], f"{name}i"]
    if name.endswith("stan"):
        return [name[: -len("stan")], f"{name}i"]
    if name.endswith("ia"):
        return [f"{name}n"]
    if name.endswith("a"):
        return [f"{name}n"]
    if name.endswith("an"):
        return [f"{name}i"]
    return []


def by_name(pairs):
    """{folded word tuple: {values}} of (name, value) pairs (names of one or two letters, as
    words of every text, left out)."""
    found = {}
    for name, value in pairs:
        words = tuple(name_key(name or "").split())
        if words and not (len(words) == 1 and len(words[0]) < 3):
            found.setdefault(words, set()).add(value)
    return found


def unambiguous(pairs):
    """{folded word tuple: value} of (name, value) pairs; a name given two values is left out."""
    return {words: values.pop() for words, values in by_name(pairs).items() if len(values) == 1}


def ambiguous(pairs):
    """{folded word tuple: (values, sorted)} of the names that (name, value) pairs give two
    values or more."""
    return {
        words: tuple(sorted(values)) for words, values in by_name(pairs).items() if len(values) > 1
    }


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    keys: frozenset


def tokens(text):
    """The text's words with their folded forms (a possessive "'s" both kept and dropped)."""
    found = []
    for match in TOKEN.finditer(text):
        word = match.group()
        keys = {name_key(word).replace(" ", "")}
        if re.search(r"['’]s$", word):
            keys.add(name_key(word[:-2]).replace(" ", ""))
        found.append(Token(word, match.start(), match.end(), frozenset(keys)))
    return found


def find_names(text, words, names):
    """The mentions of the names (a {folded word tuple: value}), longest first, none
    overlapping, each starting on a capital letter."""
    index = {}
    for key, value in names.items():
        index.setdefault(key[0], []).append((key, value))
    for candidates in index.values():
        candidates.sort(key=lambda candidate: -len(candidate[0]))
    found, position = [], 0
    while position < len(words):
        token = words[position]
        match = None
        if token.text[0].isupper():
            candidates = [c for key in token.keys for c in index.get(key, ())]
            candidates.sort(key=lambda candidate: -len(candidate[0]))
            for key, value in candidates:
                if matches(text, words, position, key):
                    match = (key, value)
                    break
        if match is None:
            position += 1
            continue
        last = words[position + len(match[0]) - 1]
        found.append(Mention(match[1], text[token.start : last.end], token.start, last.end))
        position += len(match[0])
    return found


def matches(text, words, position, key):
    if position + len(key) > len(words):
        return False
    for offset, word in enumerate(key):
        token = words[position + offset]
        if word not in token.keys:
            return False
        if offset and not NAME_GAP.fullmatch(text[words[position + offset - 1].end : token.start]):
            return False
    return True


def find_acronyms(text, acronyms):
    found = []
    for short, pk in acronyms.items():
        for match in re.finditer(rf"(?<!\w){re.escape(short)}(?!\w)", text):
            found.append(Mention(pk, match.group(), match.start(), match.end()))
    return found
