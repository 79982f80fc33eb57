"""The interface is ready for translation: every text a template shows is marked for it, and
the language comes from the request (English by default) without changing any address."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"

# Templates whose text is not checked, each with the reason.
EXEMPT = {
    # Django admin overrides: the admin's own strings are Django's and translated by Django.
    "admin",
    # The API's browsable index is for developers and stays in English (its examples are code).
    "api",
}

# Marks that remain once the text is taken out and that need no translation.
NON_WORDS = {"×", "→", "·", "–", "—", "…", "▲", "▼", "✓", "(", ")", ",", ";", ":", ".", "&amp;"}

# Attributes whose text people see or hear (data-label heads a table cell on narrow screens).
TEXT_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "data-label")
TEXT_ATTRIBUTE = re.compile(r'\b(?:{})="([^"]*)"'.format("|".join(TEXT_ATTRIBUTES)))


def untranslated(source):
    """What is left of a template's text once everything marked for translation and all markup
    are taken out: a list of the words left."""
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    text = re.sub(r"{#.*?#}", " ", text, flags=re.S)
    text = re.sub(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", " ", text, flags=re.S)
    text = re.sub(r"{%\s*translate\b.*?%}", " ", text, flags=re.S)
    text = re.sub(r"{%.*?%}", " ", text, flags=re.S)
    text = re.sub(r"{{.*?}}", " ", text, flags=re.S)

    def keep_text_attributes(tag):
        kept = TEXT_ATTRIBUTE.findall(tag.group(0))
        return " " + " ".join(kept) + " "

    text = re.sub(r"<[^>]*>", keep_text_attributes, text, flags=re.S)
    words = text.split()
    return [
        word for word in words if word not in NON_WORDS and len(re.findall(r"[^\W\d_]", word)) >= 2
    ]


# Arguments of tags that are never shown: element ids, a query string, an address.
NOT_SHOWN_ARGUMENTS = {"chart_id", "timeline_query", "list_url", "map_id"}
TAG = re.compile(r"{%.*?%}", re.S)
LITERAL = re.compile(r""""[^"]*"|'[^']*'""")
# A literal a filter gets in a shown output, such as {{ caption|default:"Visits" }}.
FILTER_LITERAL = re.compile(r"""{{[^}]*\|(?:default|default_if_none):("[^"]*"|'[^']*')""")


def literal_arguments(source):
    """The literal strings a template passes to a tag (`label="Signed"`, `chart_subject="by
    "|add:name`) or to a default filter without marking them with _( ), as "name=text"."""
    found = []
    for tag in TAG.finditer(source):
        body = tag.group(0)
        if re.match(r"{%\s*(?:translate|blocktranslate|url|load|extends|partialdef)\b", body):
            continue
        literals = []

        def hold(literal, literals=literals):
            literals.append(literal.group(0)[1:-1])
            return f"\x00{len(literals) - 1}\x00"

        held = LITERAL.sub(hold, body)
        for argument in re.finditer(r"(\w+)=(\S+)", held):
            name, expression = argument.groups()
            if name in NOT_SHOWN_ARGUMENTS:
                continue
            for held_literal in re.finditer(r"(_\()?\x00(\d+)\x00", expression):
                value = literals[int(held_literal.group(2))]
                if not held_literal.group(1) and len(re.findall(r"[^\W\d_]", value)) >= 2:
                    found.append(f"{name}={value}")
    for literal in FILTER_LITERAL.finditer(source):
        value = literal.group(1)[1:-1]
        if len(re.findall(r"[^\W\d_]", value)) >= 2:
            found.append(f"default={value}")
    return found


def checked_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES)
        if relative.parts[0] in EXEMPT:
            continue
        yield relative


@pytest.mark.parametrize("relative", list(checked_templates()), ids=str)
def test_every_text_in_a_template_is_marked_for_translation(relative):
    left = untranslated((TEMPLATES / relative).read_text())
    assert not left, f"{relative}: text not marked for translation: {left}"


@pytest.mark.parametrize("relative", list(checked_templates()), ids=str)
def test_every_text_a_template_passes_to_a_tag_is_marked_for_translation(relative):
    left = literal_arguments((TEMPLATES / relative).read_text())
    assert not left, f"{relative}: arguments not marked for translation: {left}"


def test_the_check_finds_unmarked_arguments():
    source = (
        '{% include "_partials.html#visit_table" with visits=rows caption="Latest visits" %}'
        '{% include "x.html#sort_header" with link=sorting.date label=_("Dates") %}'
        '{% include "x.html#cut_note" with nouns=\'meetings\' list_url=url|add:"?person=" %}'
        '{% include "x.html#timeline" with chart_id="pair-timeline" '
        'chart_subject="between "|add:first.name|add:" and "|add:second.name %}'
        '{% translate "Marked" as marked %}{% url "visit_list" %}{{ caption|default:"Visits" }}'
        '{{ caption|default:_("Visits") }}{% include "x.html" with here=_("Partner countries") %}'
    )
    assert literal_arguments(source) == [
        "caption=Latest visits",
        "nouns=meetings",
        "chart_subject=between ",
        "chart_subject= and ",
        "default=Visits",
    ]


def test_the_check_finds_unmarked_text():
    source = (
        '{% load i18n %}<p title="A hint">{% translate "Marked" %} Unmarked '
        "{% blocktranslate %}Also {{ x }} marked{% endblocktranslate %} →</p>"
        "{# a note #}{% comment %}Notes{% endcomment %}"
    )
    assert untranslated(source) == ["hint", "Unmarked"]
    assert untranslated('{% translate "Only" %} <span aria-hidden="true">→</span>') == []


def test_the_locale_middleware_is_installed_between_session_and_common():
    middleware = settings.MIDDLEWARE
    locale = middleware.index("django.middleware.locale.LocaleMiddleware")
    assert middleware.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < middleware.index("django.middleware.common.CommonMiddleware")
    assert settings.USE_I18N
    assert settings.LANGUAGE_CODE == "en"
    assert ("en", "English") in settings.LANGUAGES


@pytest.mark.django_db
def test_a_page_answers_in_english_at_the_same_address(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de, fr;q=0.8")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    assert client.get("/en/").status_code == 404


@pytest.mark.parametrize("relative", list(checked_templates()), ids=str)
def test_plurals_are_left_to_the_catalogue_not_to_pluralize(relative):
    """An English plural ending glued on with |pluralize cannot be translated: the blocks use
    {% blocktranslate count %}…{% plural %}… instead."""
    blocks = re.findall(r"{%\s*blocktranslate\b[^%]*%}", (TEMPLATES / relative).read_text())
    assert not [block for block in blocks if "|pluralize" in block]


def marked(message):
    return f"«{message}»"


def fake_ngettext(singular, plural, number):
    return marked(singular if number == 1 else plural)


def fake_pgettext(context, message):
    return marked(message)


@pytest.fixture
def fake_language():
    """Every string marked for translation comes out in «…», as a catalogue would change it."""
    from unittest import mock

    from django.utils import translation

    with (
        mock.patch.object(translation._trans, "gettext", marked, create=True),
        mock.patch.object(translation._trans, "ngettext", fake_ngettext, create=True),
        mock.patch.object(translation._trans, "pgettext", fake_pgettext, create=True),
    ):
        yield


# Interface texts each page shows, marked once a language is active.
MARKED_ON_PAGES = {
    "/": ["«Latest visits»", "«Dates»"],
    "/visits/": ["«Filters»", "«Apply filters»", "«Guest»", "«Guest country»", "«Kind»"],
    "/countries/az/": ["«Visits made, newest first»"],
    "visit": ["«Sources»", "«official visit»"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(MARKED_ON_PAGES))
def test_marked_texts_come_out_translated_and_records_do_not(client, article, fake_language, path):
    from visits.models import Visit

    visit = Visit.objects.get()
    page = client.get(visit.get_absolute_url() if path == "visit" else path).content.decode()
    missing = [text for text in MARKED_ON_PAGES[path] if text not in page]
    assert not missing, f"{path}: not translated: {missing}"
    assert visit.title in page
    assert f"«{visit.title}»" not in page


@pytest.mark.django_db
def test_the_world_maps_tooltips_come_out_translated(client, article, fake_language):
    """A country's map: its own shape, a partner's visits and their count each way."""
    page = client.get("/countries/az/").content.decode()
    assert "«Azerbaijan: this country»" in page
    assert "«1 visit»" in page
    assert "«1 from Azerbaijan»" in page
    assert "«0 to Azerbaijan»" in page
    home = client.get("/").content.decode()
    assert "«Uzbekistan: «1 visit»»" in home
    assert "«Chile: no visits»" in home


@pytest.mark.django_db
def test_a_feed_entrys_fixed_words_come_out_translated(client, article, fake_language):
    from django.urls import reverse

    from visits.models import Visit

    visit = Visit.objects.get()
    feed = client.get(reverse("visit_feed")).content.decode()
    assert "««official visit» from " in feed
    assert "«Source: " in feed
    assert visit.title in feed
    assert f"«{visit.title}»" not in feed
