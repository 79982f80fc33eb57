"""When two mentions of a name are one human: the rules the person resolver applies, as plain
functions of names, dates and offices, so that each can be read (and tested) on its own.

- Names are compared folded (visits.names.name_key): case, accents, spacing, punctuation and
  "Jr."/"Sr." do not tell people apart.
- A short name is one word ("Tito") or a surname with its particles ("de Gaulle"); it matches
  a fuller name only of the same country, active within NEARBY years, and only when exactly
  one such person exists.
- A near spelling ("Lee Hsien Leong" for "Lee Hsien Loong") is a name of as many words whose
  folded letters agree to NEAR_RATIO (difflib), each differing word a word of letters with the
  same first letter, of the same country, active within NEARBY years.
- People a generation apart (more than GENERATION years between the nearest dates of their
  records) are two humans, whatever their names; so are people whose offices cannot belong to
  one career: the same "-elect" office more than GENERATION years apart (two elections a
  generation apart), or a crown prince recorded after a monarch of that name.
"""

from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from visits.names import fold, name_key

GENERATION = 20  # years
NEARBY = 10  # years
NEAR_RATIO = 0.9
YEAR_DAYS = 365.25

# Words that belong to a surname rather than stand for a given name: "de Gaulle", "van Agt".
PARTICLES = {
    "al", "ben", "bin", "da", "das", "de", "del", "della", "den", "der", "des", "di", "do",
    "dos", "du", "el", "ibn", "la", "le", "ter", "van", "von", "y",
}  # fmt: skip
MONARCHS = {"emperor", "empress", "king", "queen", "sultan", "shah", "emir", "amir"}
MONARCHS |= {"grand duke", "grand duchess"}
HEIRS = {"crown prince", "crown princess"}


def is_short(words):
    """A name of one word, or of a surname and its particles: "Tito", "de Gaulle"."""
    return len(words) == 1 or (len(words) > 1 and all(w in PARTICLES for w in words[:-1]))


def contains_run(words, run):
    """Whether run appears in words, in order and together: ("de", "gaulle") in "charles de
    gaulle"; ("hussein",) in "hussein bin talal"."""
    size = len(run)
    return any(tuple(words[i : i + size]) == tuple(run) for i in range(len(words) - size + 1))


def years_apart(first, second):
    return abs((second - first).days) / YEAR_DAYS


def office_kind(office):
    """ "elect", "monarch", "heir" or "" for an office as written."""
    folded = " ".join(fold(office).split())
    if folded.endswith(("-elect", " elect")):
        return "elect"
    if folded in MONARCHS:
        return "monarch"
    if folded in HEIRS:
        return "heir"
    return ""


def offices_conflict(held, office, day):
    """Whether holding office on day cannot be in the same career as the offices held
    ((office, day) pairs of the offices office_kind names)."""
    kind = office_kind(office)
    if not kind:
        return False
    for other, other_day in held:
        other_kind = office_kind(other)
        same_election = kind == "elect" and fold(other) == fold(office)
        if same_election and years_apart(other_day, day) > GENERATION:
            return True
        if (other_kind, kind) == ("monarch", "heir") and other_day < day:
            return True
        if (other_kind, kind) == ("heir", "monarch") and day < other_day:
            return True
    return False


def near_spelling(first, second):
    """Whether two folded names of as many words are one name misspelled: each word that
    differs begins with the same letter and is a word of letters ("leong" and "loong", not
    "1" and "2"), and the whole agrees to NEAR_RATIO."""
    pairs = list(zip(first.split(), second.split(), strict=False))
    if len(first.split()) != len(second.split()):
        return False
    for one, other in pairs:
        if one != other and not (one[0] == other[0] and one.isalpha() and other.isalpha()):
            return False
    matcher = SequenceMatcher(None, first, second)
    return matcher.quick_ratio() >= NEAR_RATIO and matcher.ratio() >= NEAR_RATIO


@dataclass(eq=False)
class Candidate:
    """A person as the resolver sees them: their names, and when and as what they travelled."""

    person: object  # a Person, saved or not yet
    names: set = field(default_factory=set)  # every spelling: the name and the other names
    first: date | None = None
    last: date | None = None
    offices: list = field(default_factory=list)  # (office, day) of the offices that conflict
    stored: set = field(default_factory=set)  # the other names saved (or being saved)

    def __post_init__(self):
        self.keys = {name_key(name) for name in self.names} - {""}

    def add_name(self, name):
        """Know the person by one more spelling; its folded key, when new, else None."""
        self.names.add(name)
        key = name_key(name)
        if key and key not in self.keys:
            self.keys.add(key)
            return key
        return None

    @property
    def short_words(self):
        return name_key(self.person.name).split()

    @property
    def short(self):
        """Known by a short name only (the import took a surname alone for the name)."""
        return is_short(self.short_words)

    def answers_to(self, words):
        """Whether a name folded to these words may stand for this person: one of theirs, or
        a run of one of theirs ("Ospina" for "Mariano Ospina Pérez")."""
        return any(contains_run(key.split(), words) for key in self.keys)

    def distance(self, day):
        """Years from day to the person's records (0 within them); None when none is known."""
        if self.first is None:
            return None
        if self.first <= day <= self.last:
            return 0
        return min(years_apart(day, self.first), years_apart(day, self.last))

    def fits(self, day, office, years):
        """Whether a record of day, as office, can be this person's, their nearest record
        being no more than years away."""
        distance = self.distance(day)
        if distance is not None and distance > years:
            return False
        return not offices_conflict(self.offices, office, day)

    def see(self, day, office):
        """Count a record of day, as office, as this person's."""
        self.first = day if self.first is None else min(self.first, day)
        self.last = day if self.last is None else max(self.last, day)
        if office_kind(office):
            self.offices.append((office, day))
