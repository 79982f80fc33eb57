"""What a pasted source says, read by fixed rules: the proposals an editor confirms or corrects
on the admin's "start from the source" page before anything is saved.

propose(text, published_on, lexicon) is the extraction. It reads no database itself: the names
the project holds (countries and their other names, people, bodies, places) come in a Lexicon
(lexicon.py), which Lexicon.from_database() builds; the shapes of the text it looks for (dates,
sentences, offices, titles) are in text.py. Every proposal carries the words of the text it
came from; what the rules cannot read stays None (or an empty list) rather than being guessed.

The rules, in short:

- names are matched word by word on their folded keys (visits.names.name_key: case, accents,
  scripts and apostrophes do not count), the longest name first, starting on a capital letter;
  a name two people share is not proposed, but listed with both (shared_names);
- countries also by adjective ("Azerbaijani", "Uzbek"), derived from their names by a few
  endings (-stan, -ia, -a, -an) and a short list of irregular ones ("French", "Dutch");
- an office is the run of capitalized words just before a person's name that holds an office
  word ("Prosecutor General Kamran Aliyev"), without a trailing "of <country>";
- a day and month ("on September 24") take the year of the source's date;
- quoted text ("…" or “…”) with an agreement word is an agreement, with a meeting word a
  meeting; "4th Meeting of the …" (quoted or not) is a meeting with its ordinal;
- the sentence that says someone "arrived in" (or paid a visit to) a country gives the host
  (the country after those words), the guest (a country before them), the start date and,
  with "led by", the delegation's head.
"""

import datetime
import re
from dataclasses import dataclass, field

from .lexicon import Lexicon, Proposal, ambiguous, find_acronyms, find_names, tokens, unambiguous
from .text import (
    QUOTED,
    kind_of,
    office_before,
    ordinal_of,
    paragraphs,
    place_after,
    read_dates,
    sentences,
    series_title_end,
    span_of,
    within,
)

__all__ = ["Lexicon", "Proposal", "Proposals", "ambiguous", "propose", "unambiguous"]

ARRIVAL = re.compile(
    r"\b(?:arrived|arrives|arriving|landed|lands)\s+in\b"
    r"|\b(?:visit|trip|travel(?:l?ed)?|came|went)\s+to\b"
    r"|\b(?:visited|visits|visiting)\b(?=\s+[A-Z])"
)
LED_BY = re.compile(r"\b(?:led|headed)\s+by\b")
KINDS = re.compile(r"\b(state|official[\s-]+working|official|working|private)\s+visit\b", re.I)
SERIES_MEETING = re.compile(
    r"\b(?:\d{1,3}(?:st|nd|rd|th)|First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|"
    r"Tenth|Eleventh|Twelfth)\s+(?:Meeting|Session|Summit|Conference|Forum)\s+of\s+"
)
PLAIN_MEETING = re.compile(r"\b(bilateral|multilateral|trilateral)\s+(?:meeting|talks)\b", re.I)
AT_PLACE = re.compile(r"^\s*at\s+(?:the\s+)?")
VALIDITY = re.compile(r"\bfor\s+(?P<first>\d{4})(?:\s*[–—-]\s*(?P<last>\d{4}))?$")
SIGNED = re.compile(r"\bsign(?:ed|ing)\b")
# Quoted or series titles, by their words: agreements first (a "Protocol of the Meeting" is
# an agreement), then meetings. The first word found gives the kind.
AGREEMENT_WORDS = [
    ("treaty", "treaty"),
    ("memorandum", "memorandum"),
    ("protocol", "protocol"),
    ("declaration", "declaration"),
    ("programme", "cooperation-programme"),
    ("program", "cooperation-programme"),
    ("plan", "agreement"),
    ("agreement", "agreement"),
    ("convention", "agreement"),
    ("accord", "agreement"),
]
MEETING_WORDS = [
    ("summit", "summit"),
    ("conference", "conference"),
    ("forum", "conference"),
    ("ceremony", "ceremony"),
    ("meeting", "other"),
    ("session", "other"),
]
# Visit titles as the fixtures and the demo data write them.
VISIT_TITLES = {
    "state": "State visit of {office} {name} to {host}",
    "official": "Official visit of {office} {name} to {host}",
    "official-working": "Official working visit of {office} {name} to {host}",
    "working": "Working visit of {office} {name} to {host}",
    "private": "Private visit of {office} {name} to {host}",
}
VISIT_TITLE_UNSPECIFIED = "{office} {name} visits {host}"


@dataclass
class PersonFound:
    """A known person the text names: the first mention, and the office written before the
    name (first time one is), if any."""

    pk: int
    name: str
    words: str
    office: Proposal | None = None


@dataclass
class MeetingProposal:
    """A meeting the text names."""

    words: str
    title: Proposal | None = None
    kind: Proposal | None = None
    date: Proposal | None = None
    place: Proposal | None = None
    country: Proposal | None = None
    ordinal: Proposal | None = None
    body: Proposal | None = None
    host_organization: Proposal | None = None
    participants: list[Proposal] = field(default_factory=list)


@dataclass
class AgreementProposal:
    """An agreement the text names by its quoted title."""

    words: str
    title: Proposal | None = None
    kind: Proposal | None = None
    signed_on: Proposal | None = None
    signed_place: Proposal | None = None
    signed_country: Proposal | None = None
    valid_from: Proposal | None = None
    valid_until: Proposal | None = None
    party_countries: list[Proposal] = field(default_factory=list)
    party_organizations: list[Proposal] = field(default_factory=list)
    signatories: list[Proposal] = field(default_factory=list)


@dataclass
class Proposals:
    """Everything the rules read in one text."""

    countries: list[Proposal] = field(default_factory=list)
    people: list[PersonFound] = field(default_factory=list)
    # Names the text gives that several known people share: (their primary keys), the words.
    shared_names: list[Proposal] = field(default_factory=list)
    organizations: list[Proposal] = field(default_factory=list)
    dates: list[Proposal] = field(default_factory=list)
    guest_country: Proposal | None = None
    host_country: Proposal | None = None
    kind: Proposal | None = None
    start_date: Proposal | None = None
    head: Proposal | None = None
    head_office: Proposal | None = None
    title: Proposal | None = None
    places: Proposal | None = None
    meetings: list[MeetingProposal] = field(default_factory=list)
    agreements: list[AgreementProposal] = field(default_factory=list)


@dataclass
class Reading:
    """One text as the rules see it: its words, the names and dates found in it, its
    sentences and paragraphs, the people found with their offices, and the lexicon."""

    text: str
    lexicon: Lexicon
    words: list
    countries: list
    people: list
    bodies: list
    dates: list
    sentences: list
    paragraphs: list
    offices: dict = field(default_factory=dict)

    def sentence_of(self, position):
        return span_of(self.sentences, position)


def propose(text, published_on, lexicon):
    """The Proposals for a source's text, published on a date (or None), read with the
    names of the lexicon."""
    text = text.replace("\r\n", "\n")
    words = tokens(text)
    reading = Reading(
        text=text,
        lexicon=lexicon,
        words=words,
        countries=find_names(text, words, lexicon.countries),
        people=find_names(text, words, lexicon.people),
        bodies=find_names(text, words, lexicon.organizations),
        dates=read_dates(text, published_on),
        sentences=sentences(text),
        paragraphs=paragraphs(text),
    )
    proposals = Proposals()
    acronyms = find_acronyms(text, lexicon.acronyms)
    proposals.countries = first_mentions(reading.countries)
    proposals.organizations = first_mentions(
        sorted(reading.bodies + acronyms, key=lambda mention: mention.start)
    )
    proposals.dates = [Proposal(mention.value, mention.words) for mention in reading.dates]
    proposals.shared_names = first_mentions(
        mention
        for mention in find_names(text, words, lexicon.shared_names)
        if not any(p.start <= mention.start < p.end for p in reading.people)
    )
    for mention in reading.people:
        person = reading.offices.get(mention.value)
        if person is None:
            name = lexicon.person_names[mention.value]
            person = reading.offices[mention.value] = PersonFound(
                mention.value, name, mention.words
            )
            proposals.people.append(person)
        if person.office is None:
            person.office = office_before(text, words, mention, reading.countries)

    read_visit(reading, proposals)
    read_agreements(reading, proposals)
    read_meetings(reading, proposals)
    # The visit's places: the gazetteer's places in the host country where meetings were held.
    host = proposals.host_country.value if proposals.host_country else None
    held = [
        meeting.place
        for meeting in proposals.meetings
        if meeting.place and lexicon.place(meeting.place.value) == (meeting.place.value, host)
    ]
    if held:
        names = dict.fromkeys(place.value for place in held)
        proposals.places = Proposal(", ".join(names), " … ".join(place.words for place in held))
    proposals.title = visit_title(proposals, lexicon)
    return proposals


def first_mentions(mentions):
    """A proposal for each record mentioned, with the words of its first mention."""
    found = {}
    for mention in mentions:
        found.setdefault(mention.value, Proposal(mention.value, mention.words))
    return list(found.values())


def kind_of_visit(match):
    return Proposal(re.sub(r"[\s-]+", "-", match[1].casefold()), match.group())


def read_visit(reading, proposals):
    """Host, guest, start date, kind and head from the sentence that tells of the arrival."""
    text = reading.text
    for start, end in reading.sentences:
        arrival = ARRIVAL.search(text, start, end)
        if arrival is None:
            continue
        in_sentence = within(reading.countries, start, end)
        after = [mention for mention in in_sentence if mention.start >= arrival.end()]
        if not after:
            continue
        host = after[0]
        before = [
            mention
            for mention in in_sentence
            if mention.end <= arrival.start() and mention.value != host.value
        ]
        proposals.host_country = Proposal(host.value, text[arrival.start() : host.end])
        if before:
            guest = before[0]
            proposals.guest_country = Proposal(guest.value, text[guest.start : host.end])
        sentence_dates = within(reading.dates, start, end)
        if sentence_dates:
            proposals.start_date = Proposal(sentence_dates[0].value, sentence_dates[0].words)
        kind = KINDS.search(text, start, end)
        if kind is not None:
            proposals.kind = kind_of_visit(kind)
        # The person after "led by", else a person named before the arrival.
        led = LED_BY.search(text, start, end)
        candidates = within(
            reading.people, *((led.end(), end) if led else (start, arrival.start()))
        )
        if candidates:
            head = candidates[0]
            words = text[led.start() : head.end] if led else head.words
            proposals.head = Proposal(head.value, words)
            office = reading.offices[head.value].office
            if office is not None and office.words.endswith(head.words):
                proposals.head_office = office
        break
    if proposals.kind is None:
        kind = KINDS.search(text)
        if kind is not None:
            proposals.kind = kind_of_visit(kind)


def plural_offices(sentence, offices):
    """The people whose office the sentence names in the plural ("the Prosecutor Generals",
    "the Prosecutors General" signed), with the words."""
    found = []
    for person in offices.values():
        if person.office is None:
            continue
        office = person.office.value
        head, _, rest = office.partition(" ")
        forms = [f"{office}s"] + ([f"{head}s {rest}"] if rest else [])
        for form in forms:
            match = re.search(rf"\b{re.escape(form)}\b", sentence)
            if match:
                found.append(Proposal(person.pk, match.group()))
                break
    return found


def quoted_title(match):
    """A quotation's text without the punctuation that closes the sentence inside it
    (“…for 2026–2027,”), and where that text starts and ends."""
    inner = match[1] if match[1] is not None else match[2]
    title = inner.strip().rstrip(",.;: ")
    start = match.start() + 1 + len(inner) - len(inner.lstrip())
    return title, start, start + len(title)


def read_agreements(reading, proposals):
    """An agreement for each quoted title with an agreement word: signed on the date and in
    the place written after it in its sentence; its parties, the bodies and countries its
    title names; its signatories, when it was signed with no date of its own (during the
    visit), the people its sentence names or whose office it names in the plural."""
    text = reading.text
    for match in QUOTED.finditer(text):
        title, inner_start, inner_end = quoted_title(match)
        kind = kind_of(title, AGREEMENT_WORDS)
        if kind is None:
            continue
        agreement = AgreementProposal(words=match.group())
        agreement.title = Proposal(title, match.group())
        agreement.kind = Proposal(kind, title)
        start, end = reading.sentence_of(match.start())
        later_dates = within(reading.dates, match.end(), end)
        if later_dates:
            agreement.signed_on = Proposal(later_dates[0].value, later_dates[0].words)
        place, country = place_after(text, match.end(), reading.lexicon, end)
        if place is not None:
            agreement.signed_place, agreement.signed_country = place, country
        validity = VALIDITY.search(title)
        if validity is not None:
            first, last = int(validity["first"]), int(validity["last"] or validity["first"])
            if first <= last:
                agreement.valid_from = Proposal(datetime.date(first, 1, 1), validity.group())
                agreement.valid_until = Proposal(datetime.date(last, 12, 31), validity.group())
        in_title = within(reading.bodies, inner_start, inner_end)
        agreement.party_organizations = first_mentions(in_title)
        agreement.party_countries = first_mentions(
            country
            for country in within(reading.countries, inner_start, inner_end)
            if not any(b.start <= country.start and country.end <= b.end for b in in_title)
        )
        sentence = text[start:end]
        if SIGNED.search(sentence) and not later_dates:
            named = first_mentions(within(reading.people, start, end))
            agreement.signatories = named or plural_offices(sentence, reading.offices)
        proposals.agreements.append(agreement)


def read_meetings(reading, proposals):
    """Meetings, in the order of the text: quoted titles with a meeting word, "4th Meeting of
    the …" (its ordinal, and the body named in it), and a "bilateral meeting" (at a body:
    its host and place)."""
    text, lexicon = reading.text, reading.lexicon
    agreement_titles = {agreement.title.value for agreement in proposals.agreements}
    found, meetings = [], []
    for match in QUOTED.finditer(text):
        title, _start, _end = quoted_title(match)
        if title not in agreement_titles and kind_of(title, MEETING_WORDS) is not None:
            found.append((match.start(), match.end(), title, match.group()))
    for match in SERIES_MEETING.finditer(text):
        if any(start <= match.start() < end for start, end, _title, _words in found):
            continue
        end = series_title_end(text, reading.words, match.start())
        if end is not None and end > match.end():
            title = text[match.start() : end]
            found.append((match.start(), end, title, title))
    for start, end, title, quoted in found:
        meeting = MeetingProposal(words=quoted, title=Proposal(title, quoted))
        body = next(iter(within(reading.bodies, start, end)), None)
        kind = kind_of(title, MEETING_WORDS)
        if body is not None:
            meeting.body = Proposal(body.value, body.words)
            ordinal = ordinal_of(title)
            if ordinal is not None:
                meeting.ordinal = Proposal(ordinal, title.split()[0])
            if kind == "other" and not lexicon.organization_countries.get(body.value):
                kind = "multilateral"  # a meeting of an international body
        meeting.kind = Proposal(kind, title)
        add_meeting_details(reading, meeting, start, end)
        meetings.append((start, meeting))
    for match in PLAIN_MEETING.finditer(text):
        kind = "bilateral" if match[1].casefold() == "bilateral" else "multilateral"
        meeting = MeetingProposal(words=match.group(), kind=Proposal(kind, match.group()))
        _start, sentence_end = reading.sentence_of(match.start())
        at = AT_PLACE.match(text[match.end() : sentence_end])
        host = at and next((b for b in reading.bodies if b.start == match.end() + at.end()), None)
        if host:
            words = text[match.start() : host.end]
            meeting.host_organization = Proposal(host.value, words)
            meeting.place = Proposal(lexicon.organization_names[host.value], words)
            code = lexicon.organization_countries.get(host.value)
            if code:
                meeting.country = Proposal(code, words)
        add_meeting_details(reading, meeting, match.start(), match.end())
        meetings.append((match.start(), meeting))
    proposals.meetings = [meeting for _start, meeting in sorted(meetings, key=lambda pair: pair[0])]


def add_meeting_details(reading, meeting, start, end):
    """A meeting's place ("in Tashkent" after its name), date (in its sentence) and
    participants (the people its paragraph names)."""
    sentence_start, sentence_end = reading.sentence_of(start)
    if meeting.place is None:
        place, country = place_after(reading.text, end, reading.lexicon, sentence_end)
        if place is not None:
            meeting.place, meeting.country = place, country
    sentence_dates = within(reading.dates, sentence_start, sentence_end)
    if sentence_dates:
        meeting.date = Proposal(sentence_dates[0].value, sentence_dates[0].words)
    meeting.participants = first_mentions(
        within(reading.people, *span_of(reading.paragraphs, start))
    )


def visit_title(proposals, lexicon):
    """The visit's title as the fixtures write it ("Official visit of Prosecutor General
    Kamran Aliyev to Uzbekistan"), when the head, office and host are known."""
    if not (proposals.head and proposals.head_office and proposals.host_country):
        return None
    kind = proposals.kind.value if proposals.kind else ""
    template = VISIT_TITLES.get(kind, VISIT_TITLE_UNSPECIFIED)
    title = template.format(
        office=proposals.head_office.value,
        name=lexicon.person_names[proposals.head.value],
        host=lexicon.country_names.get(proposals.host_country.value, ""),
    )
    words = " … ".join(
        p.words for p in (proposals.kind, proposals.head_office, proposals.host_country) if p
    )
    return Proposal(title, words)
