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
