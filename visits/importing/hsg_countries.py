"""The Office of the Historian's countries, mapped to our Country codes.

Both of its datasets ("Travels of the President/Secretary of State" and "Visits by Foreign
Leaders") name a country with an id and a display text: `<country id="russia">U.S.S.R.</country>`,
`<from id="sri-lanka">Ceylon</from>`. The id is the country as it is today; the text is the
country as it was at the time. `country_code()` tries, in order, and the first that answers
decides:

1. the text in TEXTS: hand-listed texts that decide whatever the id says, because where the two
   disagree the text tells which state was meant (`<from id="russia">U.S.S.R.</from>` is SUHH);
2. the id in IDS, the hand-made table of the datasets' ids;
3. the text looked up by name (country_names.CountryNames, see there how names are folded):
   ALIASES and the keys of both tables first, then pycountry's names, official names and
   common names, then ISO 3166-3's former countries;
4. the id turned into words ("antigua-barbuda" is "antigua barbuda", that is "Antigua and
   Barbuda"), looked up by name in the same way.

So an id missing from IDS still resolves when its text or its words name a country
(`<from id="saint-kitts-nevis">Saint Kitts and Nevis</from>` is KN). A territory is its own
ISO 3166-1 entry (French Polynesia PF, New Caledonia NC, Niue NU), not the state it belongs to.

How a code is chosen:

- A state that continued under another name is today's country: Ceylon is LK, Burma MM, Upper
  Volta BF, Zaire CD, Swaziland SZ, Dahomey BJ, Western Samoa WS, Southern Rhodesia ZW, the
  Federal Republic of Germany DE, the Republic of China TW. ISO 3166-3 lists some of these renamings
  (BUMM, HVBF, ZRCD...) but they are the same state, and its records belong together: RENAMED
  sends those former codes to today's, when a text is found by its ISO 3166-3 name.
- A state that ceased to exist is its ISO 3166-3 entry: the USSR SUHH, Yugoslavia YUCS,
  Czechoslovakia CSHH, the German Democratic Republic DDDE, Serbia and Montenegro CSXX, the
  Netherlands Antilles ANHH. The Kingdom of Hawaii predates ISO 3166 and is XHAW.
- A text with a place in brackets names the state and then a part of it: "United Kingdom
  (Wales)" is GB, "Denmark (Greenland)" DK, "Serbia-Montenegro (Kosovo)" CSXX and "Yugoslavia
  (Kosovo)" YUCS, because that is the state the Historian recorded for those trips (1999-2001).
  A bare "Kosovo" is XK, the code the EU and the IMF use. Where the bracket gives another name of
  the same state ("Burma (Myanmar)", "Democratic Republic of the Congo (Zaire)"), either name
  gives the same code. A text looked up by name is tried without its bracket too.
- The West Bank and the Palestinian Authority are PS.
- Several ids may name one country (czech-republic and czechia, turkey and turkiye,
  congo-democratic-republic and congo-kinshasa, macedonia and north-macedonia).
- ALIASES holds the names no table of ISO 3166 gives: everyday English names (Turkey, Cape
  Verde, Great Britain), and the datasets' own spellings and typos ("somoa").

Every code used here exists in every database (the countries are loaded by a migration); a test
checks it. A record whose country none of these resolves is rejected by the importer and
reported, never guessed: add its id or text to the tables here.
"""

import functools

from .country_names import CountryNames, fold

# Display texts that decide the country whatever the id says. Keys are normalised with
# normalise_text(): lower case, straight apostrophes, single spaces.
TEXTS = {
    # Former states (ISO 3166-3).
    "u.s.s.r.": "SUHH",
    "ussr": "SUHH",
    "soviet union": "SUHH",
    "union of soviet socialist republics": "SUHH",
    "yugoslavia": "YUCS",
    "yugoslavia (kosovo)": "YUCS",
    "serbia and montenegro": "CSXX",
    "serbia-montenegro": "CSXX",
    "serbia-montenegro (kosovo)": "CSXX",
    "czechoslovakia": "CSHH",
    "german democratic republic": "DDDE",
    "east germany": "DDDE",
    "gdr": "DDDE",
    "netherlands antilles": "ANHH",
    "hawaii": "XHAW",
    "kingdom of hawaii": "XHAW",
    # Old names of states that continued under a new one.
    "byelorussia": "BY",
    "kirghizia": "KG",
    "ceylon": "LK",
    "burma": "MM",
    "burma (myanmar)": "MM",
    "upper volta": "BF",
    "zaire": "CD",
    "democratic republic of the congo (zaire)": "CD",
    "swaziland": "SZ",
    "dahomey": "BJ",
    "western samoa": "WS",
    "southern rhodesia": "ZW",
    "southern rhodesia (zimbabwe)": "ZW",
    "rhodesia": "ZW",
    "siam": "TH",
    "persia": "IR",
    "khmer republic": "KH",
    "kampuchea": "KH",
    "malagasy republic": "MG",
    "republic of china": "TW",
    "west germany": "DE",
    "germany, federal republic of": "DE",
    "federal republic of germany": "DE",
}

# The datasets' ids. The first block is every id the travels (4,271 trips) and the visits sample
# use; the second, ids the full visits dataset uses or may use for the states named above.
IDS = {
    "afghanistan": "AF",
    "albania": "AL",
    "algeria": "DZ",
    "angola": "AO",
    "antarctica": "AQ",
    "argentina": "AR",
    "armenia": "AM",
    "australia": "AU",
    "austria": "AT",
    "azerbaijan": "AZ",
    "bahamas": "BS",
    "bahrain": "BH",
    "bangladesh": "BD",
    "barbados": "BB",
    "belarus": "BY",
    "belgium": "BE",
    "benin": "BJ",
    "bolivia": "BO",
    "bosnia-herzegovina": "BA",
    "botswana": "BW",
    "brazil": "BR",
    "brunei": "BN",
    "bulgaria": "BG",
    "burma": "MM",
    "cambodia": "KH",
    "cameroon": "CM",
    "canada": "CA",
    "cape-verde": "CV",
    "chad": "TD",
    "chile": "CL",
    "china": "CN",
    "colombia": "CO",
    "congo-democratic-republic": "CD",
    "congo-kinshasa": "CD",
    "cook-islands": "CK",
    "costa-rica": "CR",
    "cote-divoire": "CI",
    "croatia": "HR",
    "cuba": "CU",
    "cyprus": "CY",
    "czech-republic": "CZ",
    "czechia": "CZ",
    "czechoslovakia": "CSHH",
    "denmark": "DK",
    "djibouti": "DJ",
    "dominican-republic": "DO",
    "ecuador": "EC",
    "egypt": "EG",
    "el-salvador": "SV",
    "estonia": "EE",
    "ethiopia": "ET",
    "fiji": "FJ",
    "finland": "FI",
    "france": "FR",
    "gabon": "GA",
    "georgia": "GE",
    "german-democratic-republic": "DDDE",
    "germany": "DE",
    "ghana": "GH",
    "greece": "GR",
    "grenada": "GD",
    "guatemala": "GT",
    "guinea": "GN",
    "guyana": "GY",
    "haiti": "HT",
    "hawaii": "XHAW",
    "holy-see": "VA",
    "honduras": "HN",
    "hungary": "HU",
    "iceland": "IS",
    "india": "IN",
    "indonesia": "ID",
    "iran": "IR",
    "iraq": "IQ",
    "ireland": "IE",
    "israel": "IL",
    "italy": "IT",
    "jamaica": "JM",
    "japan": "JP",
    "jordan": "JO",
    "kazakhstan": "KZ",
    "kenya": "KE",
    "korea-north": "KP",
    "korea-south": "KR",
    "kosovo": "XK",
    "kuwait": "KW",
    "kyrgyzstan": "KG",
    "laos": "LA",
    "latvia": "LV",
    "lebanon": "LB",
    "liberia": "LR",
    "libya": "LY",
    "lithuania": "LT",
    "luxembourg": "LU",
    "macedonia": "MK",
    "malawi": "MW",
    "malaysia": "MY",
    "maldives": "MV",
    "mali": "ML",
    "malta": "MT",
    "marshall-islands": "MH",
    "mauritius": "MU",
    "mexico": "MX",
    "micronesia": "FM",
    "moldova": "MD",
    "mongolia": "MN",
    "montenegro": "ME",
    "morocco": "MA",
    "namibia": "NA",
    "nepal": "NP",
    "netherlands": "NL",
    "netherlands-antilles": "ANHH",
    "new-zealand": "NZ",
    "nicaragua": "NI",
    "niger": "NE",
    "nigeria": "NG",
    "north-macedonia": "MK",
    "norway": "NO",
    "oman": "OM",
    "pakistan": "PK",
    "palau": "PW",
    "palestinian-authority": "PS",
    "panama": "PA",
    "papua-new-guinea": "PG",
    "paraguay": "PY",
    "peru": "PE",
    "philippines": "PH",
    "poland": "PL",
    "portugal": "PT",
    "qatar": "QA",
    "romania": "RO",
    "russia": "RU",
    "rwanda": "RW",
    "saint-lucia": "LC",
    "samoa": "WS",
    "saudi-arabia": "SA",
    "senegal": "SN",
    "serbia": "RS",
    "sierra-leone": "SL",
    "singapore": "SG",
    "slovakia": "SK",
    "slovenia": "SI",
    "solomon-islands": "SB",
    "somalia": "SO",
    "south-africa": "ZA",
    "south-sudan": "SS",
    "spain": "ES",
    "sri-lanka": "LK",
    "sudan": "SD",
    "suriname": "SR",
    "sweden": "SE",
    "switzerland": "CH",
    "syria": "SY",
    "taiwan": "TW",
    "tajikistan": "TJ",
    "tanzania": "TZ",
    "thailand": "TH",
    "timor-leste": "TL",
    "togo": "TG",
    "tonga": "TO",
    "trinidad-and-tobago": "TT",
    "tunisia": "TN",
    "turkey": "TR",
    "turkiye": "TR",
    "turkmenistan": "TM",
    "uganda": "UG",
    "ukraine": "UA",
    "united-arab-emirates": "AE",
    "united-kingdom": "GB",
    "uruguay": "UY",
    "uzbekistan": "UZ",
    "venezuela": "VE",
    "vietnam": "VN",
    "west-bank": "PS",
    "yemen": "YE",
    "yugoslavia": "YUCS",
    "zambia": "ZM",
    "zimbabwe": "ZW",
    # Not in the travels or the sample; the same naming, for the whole visits dataset.
    "andorra": "AD",
    "antigua-and-barbuda": "AG",
    "belize": "BZ",
    "bhutan": "BT",
    "burkina-faso": "BF",
    "burundi": "BI",
    "central-african-republic": "CF",
    "ceylon": "LK",
    "comoros": "KM",
    "congo-brazzaville": "CG",
    "congo-republic": "CG",
    "dominica": "DM",
    "east-germany": "DDDE",
    "equatorial-guinea": "GQ",
    "eritrea": "ER",
    "eswatini": "SZ",
    "gambia": "GM",
    "guinea-bissau": "GW",
    "kiribati": "KI",
    "lesotho": "LS",
    "liechtenstein": "LI",
    "madagascar": "MG",
    "mauritania": "MR",
    "monaco": "MC",
    "mozambique": "MZ",
    "myanmar": "MM",
    "nauru": "NR",
    "palestine": "PS",
    "saint-kitts-and-nevis": "KN",
    "saint-vincent-and-the-grenadines": "VC",
    "san-marino": "SM",
    "sao-tome-and-principe": "ST",
    "serbia-and-montenegro": "CSXX",
    "seychelles": "SC",
    "soviet-union": "SUHH",
    "swaziland": "SZ",
    "tuvalu": "TV",
    "upper-volta": "BF",
    "ussr": "SUHH",
    "vanuatu": "VU",
    "zaire": "CD",
}


# Names no table of ISO 3166 gives, looked up after TEXTS and IDS, folded (country_names.fold)
# so that case, accents, punctuation and "Saint"/"St." do not matter.
ALIASES = {
    # A bare "Korea" in these datasets is the Republic of Korea: the visits dataset's one record
    # with the id "korea" is President Moon Jae-in's visit of 2017. (ISO 3166 has two Koreas,
    # so pycountry's names alone leave "Korea" ambiguous.)
    "korea": "KR",
    # The source's typo for Samoa (<from id="somoa">).
    "somoa": "WS",
    # Everyday English names, and older ones (the ids' words already give "Turkey", "Cape
    # Verde", "Russia", "Macedonia"...).
    "ivory coast": "CI",
    "former yugoslav republic of macedonia": "MK",
    "vatican": "VA",
    "vatican city": "VA",
    "bosnia": "BA",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "holland": "NL",
    "formosa": "TW",
    "abyssinia": "ET",
    "byelorussian ssr": "BY",
    "north korea": "KP",
    "south korea": "KR",
    "north vietnam": "VDVN",
    "south vietnam": "VN",
}

# ISO 3166-3 codes of states (or colonies) that continued under a new name: a text found by its
# ISO 3166-3 name gives today's code, like the old names in TEXTS.
RENAMED = {
    "AIDJ": "DJ",  # French Afars and Issas: Djibouti
    "BUMM": "MM",  # Burma: Myanmar
    "BYAA": "BY",  # Byelorussian SSR: Belarus
    "DYBJ": "BJ",  # Dahomey: Benin
    "HVBF": "BF",  # Upper Volta: Burkina Faso
    "NHVU": "VU",  # New Hebrides: Vanuatu
    "RHZW": "ZW",  # Southern Rhodesia: Zimbabwe
    "TPTL": "TL",  # East Timor: Timor-Leste
    "ZRCD": "CD",  # Zaire: the Democratic Republic of the Congo
}


def normalise_text(text):
    """A display text as TEXTS keys it: lower case, straight apostrophes, single spaces."""
    return " ".join((text or "").replace("\u2019", "'").split()).casefold()


@functools.cache
def names():
    """The name index: the hand tables' names first, then pycountry's."""
    hand = [*ALIASES.items(), *TEXTS.items(), *((words(key), code) for key, code in IDS.items())]
    return CountryNames(hand, RENAMED)


def words(country_id):
    """An id as words: "saint kitts nevis" from "saint-kitts-nevis"."""
    return " ".join((country_id or "").replace("-", " ").replace("_", " ").split())


def country_code(country_id, text=""):
    """Our Country code for a dataset's country id and display text, or None when nothing
    resolves (see the module's docstring for the order)."""
    country_id = (country_id or "").strip().lower()
    code = TEXTS.get(normalise_text(text)) or IDS.get(country_id)
    if code is None and fold(text):
        code = names().find(text)
    if code is None and fold(country_id):
        code = names().find(words(country_id))
    return code
