"""What demo records are made of: syllables, offices, bodies, topics and how often each occurs.

No outside data: names of people and cities are built from syllables, each country with its own
few, and the rest from the short lists below.
"""

from dataclasses import dataclass

from visits.models import Agreement, Meeting, Organization, Visit

FIRST_YEAR, LAST_YEAR = 1950, 2025

# The busiest countries, in order; the other current countries follow in a seeded order, each
# less busy than the one before (a Zipf-like weight, 1 / rank ** ZIPF_EXPONENT).
BUSIEST = ["US", "CN", "RU", "FR", "GB", "DE", "JP", "IN", "TR", "BR", "IT", "EG", "SA", "ZA"]
ZIPF_EXPONENT = 0.9
# Current ISO 3166-1 entries that nobody lives in, or nobody sends delegations to.
UNINHABITED = {"AQ", "BV", "HM", "GS", "UM", "TF", "IO"}

# Consonant and vowel, and a few vowels and endings; each country draws 14 of them.
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + [*"aeiou", "an", "ar", "el", "or"]
CITY_ENDINGS = ["", "", "", "", "abad", "grad", "ville", "port", "burg", "pur", "polis", "ia"]

VISIT_KINDS = [
    (Visit.Kind.WORKING, 34),
    (Visit.Kind.OFFICIAL, 25),
    (Visit.Kind.UNSPECIFIED, 17),
    (Visit.Kind.OFFICIAL_WORKING, 10),
    (Visit.Kind.STATE, 6),
    (Visit.Kind.OTHER, 5),
    (Visit.Kind.PRIVATE, 3),
]
TITLES = {
    Visit.Kind.STATE: "State visit of {office} {name} to {host}",
    Visit.Kind.OFFICIAL: "Official visit of {office} {name} to {host}",
    Visit.Kind.OFFICIAL_WORKING: "Official working visit of {office} {name} to {host}",
    Visit.Kind.WORKING: "Working visit of {office} {name} to {host}",
    Visit.Kind.PRIVATE: "Private visit of {office} {name} to {host}",
    Visit.Kind.OTHER: "{office} {name} attends the {topic} forum in {city}",
    Visit.Kind.UNSPECIFIED: "{office} {name} visits {host}",
}
# How many days after the start a visit ends, by weight; None: the end is not known.
DURATIONS = [(None, 12), (0, 8), (1, 18), (2, 22), (3, 17), (4, 10), (5, 7), (7, 4), (10, 2)]
# Years weigh more as they come closer: 2025 has about 5.5 times the visits of 1950.
YEAR_GROWTH = 0.06

# What the texts talk about. "fisheries" is rare on purpose: it is in a few % of visits.
TOPICS = [
    ("trade", 10),
    ("energy", 8),
    ("security", 8),
    ("investment", 7),
    ("education", 5),
    ("culture", 5),
    ("health", 5),
    ("agriculture", 4),
    ("transport", 4),
    ("tourism", 4),
    ("climate", 3),
    ("science", 3),
    ("migration", 3),
    ("water", 2),
    ("fisheries", 1.2),
    ("space", 1),
]


@dataclass(frozen=True)
class Office:
    key: str
    title: str
    organization: str  # the key of its body in ORGANIZATIONS
    years: tuple  # the shortest and the longest term
    head_weight: float = 0  # how often the office leads a delegation
    member_weight: float = 0  # how often it joins one


OFFICES = [
    Office("president", "President", "presidency", (4, 10), head_weight=9),
    Office("prime-minister", "Prime Minister", "government", (2, 8), head_weight=10),
    Office("vice-president", "Vice President", "presidency", (4, 8), head_weight=3),
    Office("foreign", "Minister of Foreign Affairs", "foreign", (2, 7), head_weight=25),
    Office("defence", "Minister of Defence", "defence", (2, 6), head_weight=6),
    Office("trade", "Minister of Trade", "trade", (2, 6), head_weight=8),
    Office("economy", "Minister of Economy", "economy", (2, 6), head_weight=5),
    Office("energy", "Minister of Energy", "energy", (2, 6), head_weight=4),
    Office("education", "Minister of Education", "education", (2, 6), head_weight=3),
    Office("health", "Minister of Health", "health", (2, 6), head_weight=3),
    Office("justice", "Minister of Justice", "justice", (2, 6), head_weight=3),
    Office("agriculture", "Minister of Agriculture", "agriculture", (2, 6), head_weight=3),
    Office("prosecutor", "Prosecutor General", "prosecutor", (3, 8), head_weight=2),
    Office("speaker", "Speaker of Parliament", "parliament", (3, 8), head_weight=4),
    Office("central-bank", "Governor of the Central Bank", "central-bank", (4, 9), head_weight=2),
    Office(
        "deputy-foreign",
        "Deputy Minister of Foreign Affairs",
        "foreign",
        (2, 6),
        head_weight=6,
        member_weight=8,
    ),
    Office("ambassador", "Ambassador", "foreign", (2, 5), member_weight=10),
    Office("adviser", "Adviser to the President", "presidency", (2, 6), member_weight=5),
    Office("protocol", "Head of State Protocol", "presidency", (3, 8), member_weight=4),
    Office("deputy-trade", "Deputy Minister of Trade", "trade", (2, 6), member_weight=4),
    Office("deputy-defence", "Deputy Minister of Defence", "defence", (2, 6), member_weight=3),
    Office("deputy-economy", "Deputy Minister of Economy", "economy", (2, 6), member_weight=3),
]
OFFICE = {office.key: office for office in OFFICES}
# Who leads official visits and receives most delegations.
LEADERS = ["president", "prime-minister", "vice-president", "foreign", "speaker"]

Classification = Organization.Classification
# Every country's bodies: key -> (name, classification).
ORGANIZATIONS = {
    "presidency": ("Office of the President of {c}", Classification.HEAD_OF_STATE_OFFICE),
    "government": ("Government of {c}", Classification.GOVERNMENT_BODY),
    "foreign": ("Ministry of Foreign Affairs of {c}", Classification.GOVERNMENT_BODY),
    "defence": ("Ministry of Defence of {c}", Classification.GOVERNMENT_BODY),
    "trade": ("Ministry of Trade of {c}", Classification.GOVERNMENT_BODY),
    "economy": ("Ministry of Economy of {c}", Classification.GOVERNMENT_BODY),
    "energy": ("Ministry of Energy of {c}", Classification.GOVERNMENT_BODY),
    "education": ("Ministry of Education of {c}", Classification.GOVERNMENT_BODY),
    "health": ("Ministry of Health of {c}", Classification.GOVERNMENT_BODY),
    "justice": ("Ministry of Justice of {c}", Classification.GOVERNMENT_BODY),
    "agriculture": ("Ministry of Agriculture of {c}", Classification.GOVERNMENT_BODY),
    "prosecutor": ("Prosecutor General's Office of {c}", Classification.GOVERNMENT_BODY),
    "parliament": ("Parliament of {c}", Classification.LEGISLATURE),
    "central-bank": ("Central Bank of {c}", Classification.GOVERNMENT_BODY),
    "news": ("{c} National News Agency", Classification.NEWS_AGENCY),
}

MEETINGS_PER_VISIT = [(0, 42), (1, 42), (2, 12), (3, 4)]
MEETING_KINDS = [
    (Meeting.Kind.BILATERAL, 75),
    (Meeting.Kind.CEREMONY, 8),
    (Meeting.Kind.MULTILATERAL, 6),
    (Meeting.Kind.OTHER, 6),
    (Meeting.Kind.CONFERENCE, 5),
]
CEREMONIES = ["Welcome", "Wreath-laying", "Signing"]

AGREEMENT_KINDS = [
    (Agreement.Kind.MEMORANDUM, 30),
    (Agreement.Kind.AGREEMENT, 30),
    (Agreement.Kind.COOPERATION_PROGRAMME, 15),
    (Agreement.Kind.PROTOCOL, 10),
    (Agreement.Kind.DECLARATION, 10),
    (Agreement.Kind.TREATY, 5),
]
# The chance that a visit of a kind ends with an agreement signed (else AGREEMENT_CHANCE_OTHER).
AGREEMENT_CHANCE = {Visit.Kind.STATE: 0.45, Visit.Kind.OFFICIAL: 0.3}
AGREEMENT_CHANCE_OTHER = 0.1

# Intergovernmental organizations (a region and a form) and the recurring bodies they hold.
REGIONS = [
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "Atlantic",
    "Pacific",
    "Arctic",
    "Mediterranean",
    "Caspian",
    "Andean",
    "Sahel",
    "Baltic",
    "Danube",
    "Indian Ocean",
    "Caribbean",
    "Black Sea",
    "Gulf",
    "Alpine",
    "Steppe",
    "Highland",
    "Coastal",
    "Island",
    "Desert",
    "Great Lakes",
    "Savanna",
    "Nordic",
    "Amazon",
    "Himalayan",
    "Horn of Africa",
]
IGO_FORMS = [
    "Organization of {r} States",
    "{r} Cooperation Council",
    "{r} Economic Community",
    "{r} Development Union",
    "Commonwealth of {r} Nations",
    "{r} Security Forum",
]
# (name, the office its members send, the title of one of its meetings, their kind)
BODIES = [
    (
        "Council of Foreign Ministers of the {o}",
        "foreign",
        "{n} Meeting of the {body}",
        Meeting.Kind.MULTILATERAL,
    ),
    ("Summit of Heads of State of the {o}", "president", "{n} {body}", Meeting.Kind.SUMMIT),
    (
        "Council of Prosecutors General of the {o}",
        "prosecutor",
        "{n} Meeting of the {body}",
        Meeting.Kind.MULTILATERAL,
    ),
    ("Conference of Trade Ministers of the {o}", "trade", "{n} {body}", Meeting.Kind.CONFERENCE),
    (
        "Parliamentary Assembly of the {o}",
        "speaker",
        "{n} Session of the {body}",
        Meeting.Kind.MULTILATERAL,
    ),
    (
        "Council of Energy Ministers of the {o}",
        "energy",
        "{n} Meeting of the {body}",
        Meeting.Kind.MULTILATERAL,
    ),
]


def ordinal(n):
    """1st, 2nd, 3rd, 4th, 11th, 21st…"""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
