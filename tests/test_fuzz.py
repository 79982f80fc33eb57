"""Hostile addresses never break the site: every public page, given random and hostile query
strings and path segments, answers without a server error (no 5xx) and changes nothing in the
database.

Query strings hold characters of every Unicode general category (controls, format characters,
surrogates, private use and unassigned code points among them) and, in every parameter, each C0
control character and DEL. The same addresses are tried again with records whose text holds
control characters (put there with raw updates, as old rows may hold them): the feed must stay
well-formed XML.

Property-based (Hypothesis), derandomized so a run is reproducible. A failure prints the exact
address; replay it with `client.get(path, QUERY_STRING=query)`.
"""

import hashlib
import xml.etree.ElementTree as ET
from urllib.parse import quote_from_bytes

import pytest
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.pages import LIST_PAGES
from visits.caching import read_version, tracked_tables

pytestmark = pytest.mark.usefixtures("article")

VISIT = "2025-09-24-azerbaijan-uzbekistan-prosecutor-general"
MEETING = "4th-meeting-general-prosecutors-council-organization-of-turkic-states"
AGREEMENT = "azerbaijan-uzbekistan-prosecutors-cooperation-program-2026-2027"
ORGANIZATION = "prosecutor-generals-office-of-azerbaijan"
PERSON = "kamran-aliyev"
SOURCE = "azertac-2025-09-25-prosecutor-general-visit"

LISTS = LIST_PAGES
RECORDS = [
    f"/visits/{VISIT}/",
    f"/meetings/{MEETING}/",
    f"/agreements/{AGREEMENT}/",
    f"/organizations/{ORGANIZATION}/",
    f"/people/{PERSON}/",
    f"/sources/{SOURCE}/",
    "/countries/az/",
    "/countries/az/uz/",
]
DOWNLOADS = [
    "/visits/export.csv",
    "/visits/export.json",
    "/meetings/export.csv",
    "/meetings/export.json",
    "/agreements/export.csv",
    "/agreements/export.json",
    "/visits/feed/",
]
PUBLIC = LISTS + RECORDS + DOWNLOADS

# The parameters the lists, exports and the feed understand, with values they accept.
VALID = {
    "country": ["AZ", "uz", "XK", "SUHH"],
    "guest": ["AZ", "uz"],
    "host": ["UZ", "az"],
    "date_after": ["2025-09-01", "2024-01-01"],
    "date_before": ["2025-09-30", "2026-12-31"],
    "year": ["2025", "2024"],
    "in_force_on": ["2026-06-01", "2024-08-23"],
    "kind": ["official", "bilateral", "treaty", "government-body"],
    "organization": [ORGANIZATION, "organization-of-turkic-states"],
    "person": [PERSON, "nigmatilla-yuldashev"],
    "q": ["prosecutor", "Aliyev Tashkent"],
    "sort": ["-date", "date", "guest", "host"],
    "page": ["1", "2"],
    "all": ["on", "true", "1"],
    "status": ["current", "former", "other"],
}
PARAMETERS = list(VALID)

SCRIPT = "<script>alert(1)</script>"

# Hostile values by kind; each kind is drawn as often as the others.
HOSTILE = {
    "numbers": [
        "",
        " ",
        "0",
        "-1",
        "1.5",
        "1e309",
        "NaN",
        "-inf",
        "9" * 25,
        "9" * 5000,
        "٣",
        "２０２５",
    ],
    "dates": [
        "2025-02-30",
        "2025-13-01",
        "0000-00-00",
        "0001-01-01",
        "9999-12-31",
        "10000-01-01",
        "-2025-01-01",
        "2025-9-1",
        "2025/09/01",
        "25.09.2025",
        "2025-09-01T00:00:00",
        "2025-09-01 ",
    ],
    "codes": [
        "ZZ",
        "az ",
        "A",
        "AZE",
        "AZ,UZ",
        "AZ UZ",
        "AZ-",
        "-",
        "--",
        "a" * 9,
        "ÄZ",
        "ß",
        "ǆ",
        "²",
        "İ",
    ],
    "sql": [
        "' OR '1'='1",
        "'; DROP TABLE visits_visit; --",
        "1 UNION SELECT username, password FROM auth_user --",
        "%' AND 1=1 --",
        "\\",
        '"',
        "`",
        "$$",
        "?",
        ":name",
        "%s",
        "%(name)s",
    ],
    "markup": [
        SCRIPT,
        '"><svg onload=alert(1)>',
        "<!--",
        "]]>",
        "&amp;",
        "{{ 7*7 }}",
        "{% debug %}",
    ],
    "control": ["\x00", "AZ\x00", "a\x00b", "\r\n", "\t", "\x1b[31m", "\x7f", "\x85"],
    # Every C0 control character and DEL, alone and inside a word.
    "c0": [chr(code) for code in [*range(0x20), 0x7F]]
    + [f"talks{chr(code)}" for code in [*range(0x20), 0x7F]]
    + [f"{chr(code)}AZ{chr(code)}" for code in [*range(0x20), 0x7F]],
    "unicode": ["\u2028", "\ufeff", "\u202e", "𝔘𝔷", "../../etc/passwd", "\U0010ffff", "ﬁ"],
}
# Bytes that are not UTF-8: lone continuation bytes, overlong forms, surrogates, 0xff 0xfe.
BAD_UTF8 = [
    b"\xff\xfe",
    b"\xff",
    b"\x80",
    b"\xc3\x28",
    b"\xc0\xaf",
    b"\xe0\x80\xaf",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xf8\x88\x80\x80\x80",
    b"A\xffZ",
]
# Fragments that are not valid percent-encoding at all.
BROKEN_ESCAPES = [b"%", b"%%", b"%zz", b"%0", b"%u0041", b"%%30%30"]

# Every Unicode general category, each drawn as often as the others (surrogates, written as
# UTF-8 would write them, are bytes that are not UTF-8).
CATEGORIES = [
    *("Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe"),
    *("Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn"),
]
any_category = st.sampled_from(CATEGORIES).flatmap(
    lambda category: st.text(st.characters(categories=[category]), min_size=1, max_size=4)
)

curated = st.one_of(
    st.sampled_from(list(HOSTILE.values())).flatmap(st.sampled_from).map(str.encode),
    st.sampled_from(BAD_UTF8),
)
hostile_bytes = st.one_of(
    curated,
    curated,
    any_category.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.text(max_size=30).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.binary(max_size=30),
    # Overlong values: a hostile fragment repeated past any field's limit.
    st.tuples(
        st.sampled_from(["a", "9", "AZ,", "<b>", "\x00", "é"]), st.sampled_from([201, 2000, 5000])
    ).map(lambda pair: (pair[0] * pair[1]).encode()),
)


def value_for(name):
    """Mostly hostile, sometimes valid, sometimes a valid value with something hostile around."""
    valid = st.sampled_from(VALID.get(name, [""])).map(str.encode)
    return st.one_of(
        valid,
        hostile_bytes,
        hostile_bytes,
        st.tuples(valid, hostile_bytes).map(lambda pair: pair[0] + pair[1]),
        st.tuples(hostile_bytes, valid).map(lambda pair: pair[0] + pair[1]),
    )


def encode(raw, how):
    """The bytes of a name or value as they could arrive in a query string (latin-1 text, as
    WSGI hands it on)."""
    if how == "percent":
        text = quote_from_bytes(raw, safe="")
    elif how == "loose":
        # What a careless client sends: only the characters that would break the structure
        # encoded, markup, quotes and spaces as they are.
        text = quote_from_bytes(raw, safe=" <>\"'`{}|\\^[]!$()*,;:@/?").replace(" ", "+")
    else:
        text = raw.decode("latin-1")
    return text


def one_in(n):
    return st.sampled_from([False] * (n - 1) + [True])


odd_name = st.one_of(
    st.sampled_from(PARAMETERS).map(lambda name: name.upper().encode()),
    st.sampled_from(PARAMETERS).map(lambda name: f"{name}[]".encode()),
    st.sampled_from(PARAMETERS).map(lambda name: f" {name}".encode()),
    hostile_bytes,
)


@st.composite
def query_strings(draw):
    """A raw query string: each real parameter perhaps, with a valid or hostile value, some
    twice, unknown parameters among them, broken escapes and bytes that are not UTF-8."""
    pairs = []
    for name in PARAMETERS:
        if draw(one_in(3)):
            pairs.append((name.encode(), draw(value_for(name))))
    for _ in range(draw(st.integers(0, 3))):
        pairs.append((draw(odd_name), draw(value_for(""))))
    pairs = draw(st.permutations(pairs))
    parts = []
    for name, value in pairs:
        how = draw(st.sampled_from(["percent", "percent", "loose", "raw"]))
        part = encode(name, how) + "=" + encode(value, how)
        if draw(one_in(10)):
            part += draw(st.sampled_from(BROKEN_ESCAPES)).decode()
        parts.append(part)
        if draw(one_in(6)):
            parts.append(part)  # the same parameter twice
    return draw(st.sampled_from(["&"] * 8 + [";", "&&"])).join(parts)


segment = st.one_of(
    st.sampled_from(
        ["az", "AZ", "Az", "uz", "su", "SUHH", "xk", "zz", "a", VISIT, PERSON, "export.csv"]
    ).map(str.encode),
    hostile_bytes,
)

PATH_TEMPLATES = [
    "/visits/{}/",
    "/visits/{}",
    "/visits/{}/{}/",
    "/visits/export.{}",
    "/visits/feed/{}",
    "/meetings/{}/",
    "/meetings/export.{}",
    "/agreements/{}/",
    "/organizations/{}/",
    "/people/{}/",
    "/sources/{}/",
    "/countries/{}/",
    "/countries/{}/{}/",
    "/countries/az/{}/",
    "/countries/{}/uz/",
    "/countries/{}/{}/{}/",
    "/{}/",
]


@st.composite
def paths(draw):
    template = draw(st.sampled_from(PATH_TEMPLATES))
    segments = [
        quote_from_bytes(draw(segment), safe="") or "%20" for _ in range(template.count("{}"))
    ]
    return template.format(*segments)


def database_state():
    """The data version, which moves on any write to a record table (visits.caching), and
    every other table's row count and digest (reading the 43,000 ISO names took minutes)."""
    tracked = set(tracked_tables())
    tables = sorted(set(connection.introspection.table_names()) - tracked)
    return read_version(), table_digests(tables)


def table_digests(tables):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s, COUNT(*), MD5(COALESCE(STRING_AGG(t::text, ',' ORDER BY t::text),"
                    f" '')) FROM {connection.ops.quote_name(table)} t"
                    for table in tables
                ),
                tables,
            )
            return {table: (count, digest) for table, count, digest in cursor.fetchall()}
        state = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            state[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return state


def test_the_state_compared_sees_any_write():
    """check() sees a write that keeps the number of rows, and a new session."""
    from django.contrib.sessions.backends.db import SessionStore

    from visits.models import CountryName

    with transaction.atomic():
        before = database_state()
        CountryName.objects.filter(pk=CountryName.objects.order_by("pk")[0].pk).update(name="X")
        assert database_state() != before
        before = database_state()
        SessionStore().create()
        assert database_state() != before
        transaction.set_rollback(True)


@pytest.fixture
def visitor():
    """A client that hands back the server's error response instead of raising its exception
    (one for the whole test: building a client's handler loads every middleware)."""
    return Client(raise_request_exception=False)


def fetch(client, path, query=""):
    """The response to a GET, its body read to the end (exports stream), and the exception
    behind a server error or raised while streaming."""
    client.cookies.clear()
    response = client.get(path, QUERY_STRING=query)
    error = response.exc_info[1] if getattr(response, "exc_info", None) else None
    if response.streaming:
        try:
            b"".join(response.streaming_content)
        except Exception as streaming_error:
            error = streaming_error
    return response, error


def check(client, path, query=""):
    """No 5xx, no exception, no change to the database, no markup reflected into a page, and
    a feed that is well-formed XML."""
    address = f"{path}?{query}" if query else path
    with transaction.atomic():  # a savepoint: each example starts from the same data
        before = database_state()
        response, error = fetch(client, path, query)
        assert error is None, f"{address!r} raised {error!r}"
        assert response.status_code < 500, f"{address!r} gave {response.status_code}"
        assert database_state() == before, f"{address!r} changed the database"
        if response.get("Content-Type", "").startswith("text/html"):
            body = response.content.decode("utf-8", "replace").lower()
            assert SCRIPT not in body, f"{address!r} put a raw <script> in the page"
            assert "<svg onload" not in body, f"{address!r} put raw markup in the page"
        if response.status_code == 200 and path.startswith("/visits/feed/"):
            ET.fromstring(response.content)  # raises on a control character, among others
        transaction.set_rollback(True)


FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@FUZZ
@given(path=st.sampled_from(LISTS), query=query_strings())
@example(path="/visits/", query="country=%ff%fe&q=%00&page=-1&date_after=2025-02-30")
@example(path="/countries/", query="all=%3Cscript%3E&status=%27%20OR%201=1--")
def test_lists_survive_hostile_query_strings(visitor, path, query):
    check(visitor, path, query)


@FUZZ
@given(path=st.sampled_from(RECORDS), query=query_strings())
def test_record_pages_survive_hostile_query_strings(visitor, path, query):
    check(visitor, path, query)


@FUZZ
@given(path=st.sampled_from(DOWNLOADS), query=query_strings())
@example(path="/visits/export.json", query="year=1e309&sort=%ff")
def test_exports_and_feed_survive_hostile_query_strings(visitor, path, query):
    check(visitor, path, query)


@FUZZ
@given(path=paths(), query=st.one_of(st.just(""), query_strings()))
@example(path="/countries/%ff%fe/%c3%28/", query="")
@example(path="/visits/..%2F..%2Fetc%2Fpasswd/", query="")
def test_random_path_segments_are_never_server_errors(visitor, path, query):
    check(visitor, path, query)


@st.composite
def controls_everywhere(draw):
    """A query string with every parameter, each holding one C0 control character (or DEL),
    alone, around a valid value or inside it, percent-encoded or raw."""
    parts = []
    for name in PARAMETERS:
        character = chr(draw(st.sampled_from([*range(0x20), 0x7F])))
        valid = draw(st.sampled_from(VALID[name]))
        where = draw(st.integers(0, len(valid)))
        value = draw(
            st.sampled_from(
                [
                    character,
                    valid + character,
                    character + valid,
                    valid[:where] + character + valid[where:],
                ]
            )
        )
        how = draw(st.sampled_from(["percent", "percent", "raw"]))
        parts.append(encode(name.encode(), how) + "=" + encode(value.encode(), how))
    return "&".join(parts)


@FUZZ
@given(path=st.sampled_from(PUBLIC), query=controls_everywhere())
@example(path="/visits/feed/", query="q=%16")
@example(path="/visits/feed/", query="q=talks%0b&country=AZ%1f&kind=official%7f")
def test_control_characters_in_every_parameter(visitor, path, query):
    check(visitor, path, query)


@pytest.fixture
def stored_controls(article):
    """The article's records, their text holding control characters (raw updates: no signals)."""
    from visits.models import Agreement, Meeting, Organization, Person, Source, Visit

    Visit.objects.filter(slug=VISIT).update(
        title="Prosecutor\x0b General\x1f visits\x7f", summary="Talks\x08 in\x1b Tashkent"
    )
    Meeting.objects.filter(slug=MEETING).update(title="4th\x0c meeting\x01")
    Agreement.objects.filter(slug=AGREEMENT).update(summary="Programme\x02")
    Organization.objects.filter(slug=ORGANIZATION).update(name="Prosecutor\x1e General's Office")
    Person.objects.filter(slug=PERSON).update(name="Kamran\x0b Aliyev")
    Source.objects.filter(slug=SOURCE).update(title="AZERTAC\x0b report")


@FUZZ
@given(path=st.sampled_from(PUBLIC), query=st.one_of(st.just(""), query_strings()))
@example(path="/visits/feed/", query="")
@example(path="/visits/feed/", query="organization=prosecutor-generals-office-of-azerbaijan")
def test_stored_control_characters_never_break_a_page(visitor, stored_controls, path, query):
    check(visitor, path, query)


NUL_IN_COUNTRY_CODE = [
    ("/countries/%00/", 404),
    ("/countries/AZ%00/", 404),
    ("/countries/az/%00/", 404),
    ("/countries/%00/uz/", 404),
    ("/visits/?country=%00", 400),
    ("/visits/?guest=AZ%00", 400),
    ("/visits/?host=%00", 400),
    ("/meetings/?country=%00", 400),
    ("/agreements/?country=%00", 400),
    ("/organizations/?country=%00", 400),
    ("/people/?country=%00", 400),
]


@pytest.mark.parametrize(("address", "status"), NUL_IN_COUNTRY_CODE)
def test_a_nul_byte_in_a_country_code_is_the_clients_error(visitor, address, status):
    path, _, query = address.partition("?")
    response, error = fetch(visitor, path, query)
    assert error is None
    assert response.status_code == status
