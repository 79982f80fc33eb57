"""The shapes of a text the rules read: dates, sentences and paragraphs, offices before
names, quoted and numbered titles, places after "in"."""

import datetime
import re

from .lexicon import NAME_GAP, Mention, Proposal

MONTH_NAMES = [
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sept", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
]
MONTHS = {name: number for number, names in enumerate(MONTH_NAMES, start=1) for name in names}
# A month's name, or its abbreviation with or without a full stop (after a whole name, a full
# stop ends the sentence); a date is the day then the month, or the month then the day.
FULL_MONTHS = [names[0] for names in MONTH_NAMES]
SHORT_MONTHS = sorted((name for names in MONTH_NAMES for name in names[1:]), key=len, reverse=True)
MONTH = (
    rf"(?:(?:{'|'.join(name.capitalize() for name in FULL_MONTHS)})\b"
    rf"|(?:{'|'.join(name.capitalize() for name in SHORT_MONTHS)})\b\.?)"
)
DATE = re.compile(
    rf"(?:\bon\s+)?\b(?:(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month1>{MONTH})"
    rf"|(?P<month2>{MONTH})\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b)(?:,?\s+(?P<year>\d{{4}})\b)?"
)
QUOTED = re.compile(r"“([^”]+)”|\"([^\"\n]+)\"")
# A sentence ends at . ! or ? (and a closing quote or bracket) before a space and a capital.
SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’)]*\s+(?=[“\"(]?[A-Z0-9])|\n\s*")
ORDINAL = re.compile(
    r"^(?:(?P<number>\d{1,3})(?:st|nd|rd|th)|(?P<word>First|Second|Third|Fourth|Fifth|Sixth|"
    r"Seventh|Eighth|Ninth|Tenth|Eleventh|Twelfth))\b",
    re.I,
)
ORDINAL_NAMES = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
]
ORDINAL_WORDS = {
    word: number
    for number, word in enumerate(
        ORDINAL_NAMES,
        start=1,
    )
}
IN_PLACE = re.compile(r"^\s*(?:\([^)]*\)\s*)?in\s+(?P<place>[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*)")
# Words an office is made of, and the ones it needs at least one of. Capitalized words before
# a name that are none of these ("Yesterday Kamran Aliyev") are not an office.
OFFICE_HEADS = {
    "prosecutor", "minister", "president", "secretary", "ambassador", "chairman",
    "chairwoman", "chair", "chairperson", "speaker", "king", "queen", "prince", "princess",
    "emir", "sultan", "governor", "mayor", "director", "commander", "chief", "head", "envoy",
    "premier", "chancellor", "attorney", "general", "senator", "representative", "commissioner",
    "counselor", "councillor", "adviser", "advisor", "justice", "judge", "marshal", "admiral",
    "spokesperson", "spokesman", "ombudsman", "auditor", "rector", "patriarch", "pope",
}  # fmt: skip
OFFICE_WORDS = OFFICE_HEADS | {
    "prime", "deputy", "vice", "first", "foreign", "defence", "defense", "interior",
    "state", "crown", "supreme", "grand", "special", "permanent", "executive", "assistant",
    "acting", "economy", "finance", "trade", "affairs", "security", "national", "federal",
}  # fmt: skip
CONNECTORS = {"of", "for", "and", "the"}


def sentences(text):
    """(start, end) of each sentence."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def paragraphs(text):
    spans, start = [], 0
    for match in re.finditer(r"\n\s*\n|\n", text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def span_of(spans, position):
    for start, end in spans:
        if start <= position < end:
            return start, end
    return 0, 0


def within(mentions, start, end):
    return [mention for mention in mentions if start <= mention.start and mention.end <= end]


def read_dates(text, published_on):
    """(date, Mention) of every day written in the text; a day and month without a year
    take the year of the source's date, and without that are left out."""
    found = []
    for match in DATE.finditer(text):
        day = int(match["day1"] or match["day2"])
        month = MONTHS[(match["month1"] or match["month2"]).rstrip(".").lower()]
        year = int(match["year"]) if match["year"] else getattr(published_on, "year", None)
        if year is None:
            continue
        try:
            value = datetime.date(year, month, day)
        except ValueError:
            continue  # "February 30"
        found.append(Mention(value, match.group(), match.start(), match.end()))
    return found


def office_before(text, words, mention, countries):
    """The office written just before a person's name, without a trailing "of <country>"
    ("Prosecutor General of Uzbekistan Nigmatilla Yuldashev" → "Prosecutor General")."""
    index = next((i for i, token in enumerate(words) if token.start == mention.start), None)
    if index is None:
        return None
    run = []
    position = index - 1
    while position >= 0:
        token = words[position]
        gap = text[token.end : (run[0] if run else words[index]).start]
        if not re.fullmatch(r"[ \t]+", gap):
            break
        if not (token.text[0].isupper() or token.text in CONNECTORS):
            break
        run.insert(0, token)
        position -= 1
    # Without a trailing "of <country>", leading words that are no office word, and
    # connectors at either end.
    country_starts = {country.start: country for country in countries}
    for cut, token in enumerate(run):
        if token.text == "of" and cut + 1 < len(run) and run[cut + 1].start in country_starts:
            country = country_starts[run[cut + 1].start]
            if country.end == run[-1].end:
                run = run[:cut]
                break
    while run and (run[0].text.casefold() not in OFFICE_WORDS):
        run.pop(0)
    while run and run[-1].text in CONNECTORS:
        run.pop()
    if not any(token.text.casefold() in OFFICE_HEADS for token in run):
        return None
    return Proposal(text[run[0].start : run[-1].end], text[run[0].start : mention.end])


def kind_of(title, vocabulary):
    lowered = title.casefold()
    for word, kind in vocabulary:
        if re.search(rf"\b{word}\b", lowered):
            return kind
    return None


def ordinal_of(title):
    match = ORDINAL.match(title)
    if match is None:
        return None
    if match["number"]:
        return int(match["number"])
    return ORDINAL_WORDS[match["word"].casefold()]


def series_title_end(text, words, start):
    """Where the title of a series meeting that starts at `start` ends: after the last
    capitalized word of the run of capitalized words and connectors that follows."""
    end = None
    previous = None
    for token in words:
        if token.start < start:
            continue
        if previous is not None and not NAME_GAP.fullmatch(text[previous.end : token.start]):
            break
        if token.text[0].isupper() or token.text[0].isdigit():
            end = token.end
        elif token.text not in CONNECTORS:
            break
        previous = token
    return end


def place_after(text, position, lexicon, sentence_end):
    """The place written as "in <Place>" just after position (an acronym in brackets may come
    between), with its country when the gazetteer knows it."""
    match = IN_PLACE.match(text[position:sentence_end])
    if match is None:
        return None, None
    written = match["place"]
    words = text[position : position + match.end()].strip()
    known = lexicon.place(written)
    place = Proposal(known[0] if known else written, words)
    country = Proposal(known[1], words) if known else None
    return place, country
