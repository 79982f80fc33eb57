"""Reading the `<visitor>` of a "Visits by Foreign Leaders" record: who came, in what office.

The string names one leader or more ("President Francesco Cossiga and Prime Minister Giulio
Andreotti", "President X & Foreign Minister Y"): it is cut at each " and " and " & ", and each
part is an office and a name. read_visitors() gives them in order, the first being the head of the
delegation. A leading "and" or "&" is dropped. When a part would have no name ("King and Queen
of ...", "President and Mrs. ..."), the string is not cut, and is kept whole as one name.

An office is found at the start of a part, the longest first, and must be followed by a name:

- an office of OFFICES, in any case, written as the source writes it, typos included ("Prime
  Minster", "Prime Ministere": see SPELLINGS), even run into the name ("Prime MinisterHaidar
  al- Abadi" is the Prime Minister Haidar al-Abadi);
- after a prefix of PREFIXES ("Interim Prime Minister", "Acting President", "Deputy Prime
  Minister", "Vice President");
- with "-elect" or "-designate" after it, kept as part of the office ("President-elect", from
  "President-Elect", "President- elect" or "President elect").

Honorifics ("Sheikh", "Sir", "Dr.", "Madame") are part of the name, not an office: "Emir Sheikh
Tamim bin Hamad Al Thani" is the Emir Sheikh Tamim bin Hamad Al Thani, and "Sheikh Hamad bin
Khalifa Al Thani" a name with no office. A part with no office is kept whole as the name. A space
after a hyphen inside a name is the source's slip and is closed up ("al- Abadi").
"""

import re
from dataclasses import dataclass

from django.utils.text import slugify

# The offices a visitor's name may begin with, as the visits dataset writes them (in any case).
OFFICES = [
    # Heads of state and of government
    "President",
    "Provisional President",
    "President of the Council of Ministers",
    "President of the Government",
    "President of the Presidium",
    "President of the Council of State",
    "President of the Federal Council",
    "President of the Executive Yuan",
    "President of the Junta",
    "President of the Military Junta",
    "Prime Minister",
    "Premier",
    "Chancellor",
    "Federal Chancellor",
    "Taoiseach",
    "State Counsellor",
    "Chief of State",
    "Head of State",
    "Head of Government",
    "Chief Executive",
    "Chairman",
    "Chairwoman",
    "Chairman of the Council of Ministers",
    "Chairman of the Council of State",
    "Chairman of the Presidency",
    "Chairman of the Presidential Council",
    "Chairman of the Presidium",
    "Chairman of the State Council",
    "Chairman of the Junta",
    "Junta Member",
    "Member of the Junta",
    "General Secretary",
    "First Secretary",
    "Secretary-General",
    "Secretary General",
    "Governor-General",
    "Governor General",
    "Supreme Leader",
    # Monarchs and their families
    "Emperor",
    "Empress",
    "King",
    "Queen",
    "Grand Duke",
    "Grand Duchess",
    "Crown Prince",
    "Crown Princess",
    "Prince",
    "Princess",
    "Prince Regent",
    "Regent",
    "Sultan",
    "Shah",
    "Emir",
    "Amir",
    "Pope",
    # Ministers
    "Foreign Minister",
    "Minister of Foreign Affairs",
    "Minister for Foreign Affairs",
    "Defense Minister",
    "Minister of Defense",
    # Military ranks used as a leader's title
    "Generalissimo",
    "Field Marshal",
    "Air Marshal",
    "Air Chief Marshal",
    "Marshal",
    "General",
    "Lieutenant General",
    "Major General",
    "Brigadier General",
    "Brigadier",
    "Colonel",
    "Lieutenant Colonel",
    "Major",
    "Captain",
    "Admiral",
    "Rear Admiral",
    "Commodore",
]

# Words put before an office: "Acting President", "First Deputy Prime Minister".
PREFIXES = ["Interim", "Acting", "Provisional", "Deputy", "First", "Vice", "Former"]

# Words put after an office, with a hyphen: "President-elect", "Prime Minister-designate".
SUFFIXES = ["elect", "designate"]

# The ways the source misspells an office's word, each read as the word.
SPELLINGS = {
    "Minister": ["Minster", "Ministere", "Ministre", "Minsiter", "Miniser"],
    "President": ["Presdient", "Presidnet", "Preisdent"],
    "Chancellor": ["Chancelor"],
}

SEPARATOR = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)
LEADING_AND = re.compile(r"^(?:(?:and|&)\s+)+", re.IGNORECASE)


def word_pattern(word):
    """A word of an office, in any case and any of its spellings (the longest first)."""
    spellings = sorted([word, *SPELLINGS.get(word, [])], key=len, reverse=True)
    return "(?i:" + "|".join(re.escape(spelling) for spelling in spellings) + ")"


def office_pattern(office):
    parts = re.split(r"([ -])", office)
    return "".join(
        r"\s*-\s*" if part == "-" else r"\s+" if part == " " else word_pattern(part)
        for part in parts
    )


# An office, then a name: after spaces, or run into it (a capital letter right after the office).
OFFICE_NAME = re.compile(
    r"(?P<prefixes>(?:(?i:" + "|".join(PREFIXES) + r")(?:\s+|\s*-\s*))*)"
    r"(?P<office>"
    + "|".join(office_pattern(office) for office in sorted(OFFICES, key=len, reverse=True))
    + r")(?:(?:\s*-\s*|\s+)(?P<suffix>(?i:"
    + "|".join(SUFFIXES)
    + r"))\b)?(?:\s+|(?=[A-Z]))(?P<name>\S.*)"
)
CANONICAL = {office.casefold(): office for office in OFFICES}
FOLDED = {}
for office in OFFICES:
    FOLDED.setdefault(re.sub(r"\W", "", office).casefold(), office)
CANONICAL_PREFIX = {prefix.casefold(): prefix for prefix in PREFIXES}


@dataclass(frozen=True)
class Visitor:
    office: str
    name: str


def canonical_office(match):
    """The office as OFFICES writes it, with its prefixes and suffix: "Interim Prime Minister"."""
    words = [CANONICAL_PREFIX[word.casefold()] for word in re.findall(r"\w+", match["prefixes"])]
    found = match["office"]
    for word, spellings in SPELLINGS.items():
        found = re.sub(r"(?i)\b(?:" + "|".join(spellings) + r")\b", word, found)
    found = re.sub(r"\s*-\s*", "-", " ".join(found.split()))
    office = CANONICAL.get(found.casefold()) or FOLDED.get(re.sub(r"\W", "", found).casefold())
    suffix = f"-{match['suffix'].lower()}" if match["suffix"] else ""
    return " ".join([*words, office]) + suffix


def clean(text):
    """Single spaces, a hyphen closed up to the word after it ("al- Abadi"), no leading "and"
    and no punctuation at either end."""
    text = " ".join((text or "").split())
    text = re.sub(r"(\w)-\s+(?=\w)", r"\1-", text)
    return LEADING_AND.sub("", text.strip(" ,;")).strip(" ,;")


def split_office(visitor):
    """("Prime Minister", "Kyriakos Mitsotakis") from "Prime Minister Kyriakos Mitsotakis";
    ("", visitor) when it begins with no known office."""
    visitor = clean(visitor)
    match = OFFICE_NAME.fullmatch(visitor)
    if match is None:
        return "", visitor
    return canonical_office(match), match["name"].strip()


def read_visitors(text):
    """The Visitors a `<visitor>` string names, the head first (one, or none for no text)."""
    text = clean(text)
    if not text:
        return []
    parts = [Visitor(*split_office(part)) for part in SEPARATOR.split(text)]
    if len(parts) > 1 and all(is_name(part.name) for part in parts):
        return parts
    office, name = split_office(text)
    if LEADING_AND.match(name):  # "President and Mrs. Kennedy": not cut, and not an office
        return [Visitor("", text)]
    return [Visitor(office, name)]


def is_name(text):
    """Whether what is left of a part is a name: it gives a slug, and is not an office alone
    ("Queen", what is left of "King and Queen")."""
    key = re.sub(r"\W", "", text).casefold()
    return bool(slugify(text)) and key not in FOLDED and key not in CANONICAL_PREFIX
