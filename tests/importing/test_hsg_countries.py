"""The Office of the Historian's countries: the hand tables, then names as a librarian reads them
(pycountry's names, ISO 3166-3's former countries, the aliases), and the shared data."""

import xml.etree.ElementTree as ET

import pytest

from tests.importing.hsg_files import PROJECT_TRAVELS, SAMPLE, needs_sample
from visits.importing.country_names import fold
from visits.importing.hsg_countries import ALIASES, IDS, RENAMED, TEXTS, country_code, names
from visits.models import Country

# (id, text) -> code, or None when nothing resolves.
CODES = {
    # The hand tables, as before: the text decides where it disagrees with the id
    ("hawaii", "Hawaii"): "XHAW",
    ("russia", "U.S.S.R."): "SUHH",
    ("russia", "Russia"): "RU",
    ("sri-lanka", "Ceylon"): "LK",
    ("burma", "Burma"): "MM",
    ("burma", "Burma (Myanmar)"): "MM",
    ("congo-democratic-republic", "Democratic Republic of the Congo (Zaire)"): "CD",
    ("zaire", ""): "CD",
    ("burkina-faso", "Upper Volta"): "BF",
    ("swaziland", "Swaziland"): "SZ",
    ("kosovo", "Kosovo"): "XK",
    ("kosovo", "Yugoslavia (Kosovo)"): "YUCS",
    ("yugoslavia", "Yugoslavia"): "YUCS",
    ("czechoslovakia", "Czechoslovakia"): "CSHH",
    ("german-democratic-republic", "German Democratic Republic"): "DDDE",
    ("east-germany", ""): "DDDE",
    ("germany", "GDR"): "DDDE",
    ("serbia", "Serbia and Montenegro"): "CSXX",
    ("serbia", "Serbia"): "RS",
    ("west-bank", "West Bank"): "PS",
    ("palestinian-authority", "Palestinian Authority"): "PS",
    ("czech-republic", "Czech Republic"): "CZ",
    ("czechia", "Czechia"): "CZ",
    ("belarus", "Byelorussia"): "BY",
    ("taiwan", "Republic of China"): "TW",
    ("china", "China, People\u2019s Republic of"): "CN",
    ("netherlands-antilles", "Netherlands Antilles"): "ANHH",
    ("russia", "  u.s.s.r. "): "SUHH",
    ("Russia", ""): "RU",
    # Ids no table lists, resolved by their text or their words (the visits' rejected ones)
    ("antigua-barbuda", "Antigua and Barbuda"): "AG",
    ("antigua-barbuda", ""): "AG",
    ("saint-kitts-nevis", "St. Kitts and Nevis"): "KN",
    ("saint-kitts-nevis", "Saint Kitts & Nevis"): "KN",
    ("saint-vincent-grenadines", "St. Vincent and the Grenadines"): "VC",
    ("korea", "Korea"): "KR",  # President Moon's visit of 2017: see ALIASES
    ("korea", ""): "KR",
    ("somoa", "Somoa"): "WS",  # the source's typo
    ("somoa", "Samoa"): "WS",
    # Territories are their own ISO 3166-1 entries
    ("french-polynesia", "French Polynesia"): "PF",
    ("new-caledonia", "New Caledonia"): "NC",
    ("niue", "Niue"): "NU",
    # Names: case, accents, punctuation, commas and brackets do not matter
    ("ivory-coast", "C\u00f4te d\u2019Ivoire"): "CI",
    ("", "COTE D'IVOIRE"): "CI",
    ("", "Korea, South"): "KR",
    ("", "Iran, Islamic Republic of"): "IR",
    ("", "Republic of Moldova"): "MD",
    ("", "United Kingdom (Bermuda)"): "GB",  # the state, then a part of it
    ("", "Vatican City"): "VA",
    ("", "Great Britain"): "GB",
    # Former countries of ISO 3166-3: renamed ones are today's country
    ("", "Upper Volta, Republic of"): "BF",
    ("", "East Timor"): "TL",
    ("", "Byelorussian SSR"): "BY",
    ("", "Viet-Nam, Democratic Republic of"): "VDVN",
    ("sikkim", "Sikkim"): "SKIN",
    # The text decides over the id's words
    ("niue", "Samoa"): "WS",
    # Nothing resolves: unknown, or a name two countries share
    ("atlantis", "Atlantis"): None,
    ("virgin-islands", "Virgin Islands"): None,
    ("", ""): None,
}


@pytest.mark.parametrize(("key", "code"), CODES.items(), ids=[f"{i}|{t}" for i, t in CODES])
def test_country_code(key, code):
    assert country_code(*key) == code


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Saint Vincent and the Grenadines", "stvincentgrenadines"),
        ("St. Vincent & Grenadines", "stvincentgrenadines"),
        ("saint-vincent-grenadines", "stvincentgrenadines"),
        ("C\u00f4te d\u2019Ivoire", "cotedivoire"),
        ("Viet Nam", "vietnam"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.django_db
def test_every_code_the_tables_and_names_give_is_a_country():
    codes = set(Country.objects.values_list("code", flat=True))
    for table in [IDS, TEXTS, ALIASES, RENAMED, names().codes]:
        assert set(table.values()) - codes == set()


def test_no_hand_made_name_is_ambiguous_or_overridden():
    hand = [
        *ALIASES.items(),
        *TEXTS.items(),
        *((key.replace("-", " "), c) for key, c in IDS.items()),
    ]
    assert {fold(name) for name, _ in hand} & names().ambiguous == set()
    assert [(name, code) for name, code in hand if names().codes[fold(name)] != code] == []


@pytest.mark.parametrize(
    "root", [PROJECT_TRAVELS, pytest.param(SAMPLE, marks=needs_sample)], ids=["travels", "sample"]
)
def test_every_country_in_the_travels_and_the_sample_is_mapped(root):
    unmapped = set()
    for path in root.rglob("*.xml"):
        for element in ET.parse(path).getroot().iter():
            if element.tag in {"country", "from"}:
                text = "".join(element.itertext())
                if country_code(element.get("id"), text) is None:
                    unmapped.add((element.get("id"), text))
    assert unmapped == set()
