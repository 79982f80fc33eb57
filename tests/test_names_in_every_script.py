"""Names in every script: the article's visit is found by the names its people, places and
countries have in Azerbaijani, Uzbek and Russian, and pages show a record's other names."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from tests import factories
from tests.admin.test_admin_concurrency import form_data
from visits.countries import sync_countries
from visits.management.commands.populate import fixture_files, records_present
from visits.models import (
    Country,
    CountryName,
    DelegationMember,
    OrganizationName,
    Person,
    PersonName,
    PlaceName,
    Visit,
)
from visits.names import fold, folded_forms, language_name, name_key

pytestmark = pytest.mark.django_db

ARTICLE_VISIT = "Official visit of Prosecutor General Kamran Aliyev to Uzbekistan"
NAMES_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "azertac-2025-09-25-names.json"


def titles(response):
    assert response.status_code == 200, response.content.decode()[:500]
    return [visit.title for visit in response.context["object_list"]]


# Folding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Əliyev", "eliyev"),
        ("Алиев", "aliev"),
        ("Ташкент", "tashkent"),
        ("Azərbaycan", "azerbaycan"),
        ("Özbəkistan", "ozbekistan"),
        ("Pérez", "perez"),
        ("Tashkent", "tashkent"),
    ],
)
def test_fold_transliterates_every_script_to_lower_case_ascii(text, folded):
    assert fold(text) == folded


def test_a_name_key_joins_apostrophes_and_drops_punctuation():
    assert name_key("Oʻzbekiston") == name_key("O'zbekiston") == "ozbekiston"
    assert name_key("Kamran  Əliyev") == "kamran eliyev"
    assert name_key("Камран Алиев") == "kamran aliev"


def test_folded_forms_add_only_the_words_folding_changes():
    assert folded_forms(["Tashkent", "Kamran Əliyev", "Ташкент", "Tashkent"]) == [
        "eliyev",
        "tashkent",
    ]


def test_languages_are_named_for_readers():
    assert language_name("az") == "Azerbaijani"
    assert language_name("uz-Cyrl") == "Uzbek (Cyrillic)"
    assert language_name("pt-BR") == "Portuguese (Brazil)"
    assert language_name("qq") == "qq"
    assert language_name("") == ""


# Country names from pycountry ----------------------------------------------------------------


def test_every_database_has_the_countries_names_in_other_languages():
    uzbekistan = CountryName.objects.filter(country__code="UZ", origin=CountryName.Origin.ISO)
    assert {("az", "Özbəkistan"), ("ru", "Узбекистан"), ("uz", "Oʻzbekiston")} <= set(
        uzbekistan.values_list("language", "name")
    )
    assert CountryName.objects.get(country__code="AZ", language="az", name="Azərbaycan").key == (
        "azerbaycan"
    )
    assert CountryName.objects.count() > 40_000


def test_syncing_again_changes_nothing_and_keeps_an_editors_names():
    CountryName.objects.create(country=factories.country("UZ"), name="Uzbekistoni", language="tg")
    before = set(CountryName.objects.values_list("country__code", "name", "language", "origin"))
    assert sync_countries(Country) == (0, 0)
    assert set(CountryName.objects.values_list("country__code", "name", "language", "origin")) == (
        before
    )


def test_a_translation_pycountry_no_longer_has_is_removed():
    stale = CountryName.objects.create(
        country=factories.country("UZ"), name="Old name", language="az", origin="iso"
    )
    sync_countries(Country)
    assert not CountryName.objects.filter(pk=stale.pk).exists()


# The article's visit, found in every script ------------------------------------------------


@pytest.mark.usefixtures("article")
@pytest.mark.parametrize(
    "query",
    ["Aliev", "Алиев", "Əliyev", "Toshkent", "Ташкент", "Azərbaycan", "Узбекистан"],
)
def test_the_article_is_found_by_its_names_in_every_script(client, query):
    assert ARTICLE_VISIT in titles(client.get(reverse("visit_list"), {"q": query}))


@pytest.mark.usefixtures("article")
def test_a_phrase_in_another_script_and_two_words_in_two_scripts(client):
    found = titles(client.get(reverse("visit_list"), {"q": '"Камран Алиев" Toshkent'}))
    assert found == [ARTICLE_VISIT]


@pytest.mark.usefixtures("article")
def test_a_name_of_nothing_finds_nothing_and_the_page_says_so(client):
    response = client.get(reverse("visit_list"), {"q": "Самарканд"})
    assert titles(response) == []


@pytest.mark.usefixtures("article")
def test_the_matches_shown_are_the_records_own_words(client):
    response = client.get(reverse("visit_list"), {"q": "Tashkent"})
    page = response.content.decode()
    assert "<mark>Tashkent</mark>" in page
    assert "toshkent" not in page


@pytest.mark.usefixtures("article")
@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("country", "Özbəkistan"),
        ("country", "ozbekiston"),
        ("country", "Oʻzbekiston"),
        ("host", "Узбекистан"),
        ("guest", "Azərbaycan"),
        ("guest", "Азербайджан"),
    ],
)
def test_a_country_filter_takes_its_name_in_any_language(client, parameter, value):
    assert titles(client.get(reverse("visit_list"), {parameter: value})) == [ARTICLE_VISIT]


@pytest.mark.usefixtures("article")
def test_an_unknown_country_name_is_a_400_that_names_it(client):
    response = client.get(reverse("visit_list"), {"host": "Ўзбекистонстан"})
    assert response.status_code == 400
    assert "Unknown country: Ўзбекистонстан" in response.content.decode()


@pytest.mark.usefixtures("article")
def test_the_country_datalist_offers_names_in_the_regions_languages(client):
    page = client.get(reverse("visit_list")).content.decode()
    assert '<option value="Özbəkistan" data-value="UZ" lang="az">UZ · Uzbekistan</option>' in page
    assert '<option value="Узбекистан" data-value="UZ" lang="ru">UZ · Uzbekistan</option>' in page
    assert 'lang="de"' not in page  # not a hundred languages on every page


@pytest.mark.usefixtures("article")
@pytest.mark.parametrize("name", ["Камран Алиев", "kamran eliyev", "Kamran Əliyev"])
def test_the_person_filter_takes_any_of_their_names(client, name):
    assert titles(client.get(reverse("visit_list"), {"person": name})) == [ARTICLE_VISIT]


@pytest.mark.usefixtures("article")
def test_the_organization_filter_takes_any_of_its_names(client):
    response = client.get(
        reverse("meeting_list"), {"organization": "Ўзбекистон Республикаси Бош прокуратураси"}
    )
    assert response.status_code == 200
    assert [meeting.title for meeting in response.context["object_list"]] == [
        "Bilateral meeting of the Prosecutors General of Azerbaijan and Uzbekistan"
    ]


@pytest.mark.usefixtures("article")
def test_a_name_two_people_share_is_a_400_that_says_so(client):
    other = factories.person("Kamran Aliev Junior")
    PersonName.objects.create(person=other, name="Камран Алиев", language="ru")
    response = client.get(reverse("visit_list"), {"person": "Камран Алиев"})
    assert response.status_code == 400
    assert "Several have the name" in response.content.decode()


# Pages ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("article")
def test_a_persons_page_lists_their_other_names_with_the_language(client):
    page = client.get(Person.objects.get(slug="kamran-aliyev").get_absolute_url())
    html = page.content.decode()
    assert '<span lang="az">Kamran Əliyev</span> (Azerbaijani)' in html
    assert '<span lang="ru">Камран Алиев</span> (Russian)' in html
    assert "Other names: " in html


@pytest.mark.usefixtures("article")
def test_an_organizations_page_lists_its_other_names(client):
    response = client.get(reverse("organization_detail", args=["organization-of-turkic-states"]))
    assert '<span lang="az">Türk Dövlətləri Təşkilatı</span> (Azerbaijani)' in (
        response.content.decode()
    )


def test_a_country_page_folds_its_hundred_names(client):
    html = client.get(factories.country("UZ").get_absolute_url()).content.decode()
    assert '<details class="other-names"><summary>Other names (' in html
    assert '<span lang="az">Özbəkistan</span> (Azerbaijani)' in html
    assert re.search(r">Узбекистан</span> \([^)]*Russian", html)


def test_a_record_without_other_names_shows_none(client):
    person = factories.person("Plain Name")
    assert "Other names" not in client.get(person.get_absolute_url()).content.decode()


# Search text kept fresh ----------------------------------------------------------------------


def search_text(visit):
    return Visit.objects.get(pk=visit.pk).search_text


def test_a_place_name_added_or_removed_moves_the_visits_to_that_place(client):
    visit = factories.visit("AZ", "UZ", datetime.date(2020, 5, 1), places="Samarkand, Bukhara")
    elsewhere = factories.visit("AZ", "TR", datetime.date(2020, 6, 1), places="Samarkand")
    name = PlaceName.objects.create(
        place="Samarkand", country=factories.country("UZ"), name="Самарканд", language="ru"
    )
    assert name.key == "samarkand" and name.place_key == "samarkand"
    PlaceName.objects.create(
        place="Bukhara", country=factories.country("UZ"), name="Buxoro", language="uz"
    )
    assert titles(client.get(reverse("visit_list"), {"q": "Buxoro"})) == [visit.title]
    assert "samarkand" not in search_text(elsewhere).split("Samarkand", 1)[1]
    PlaceName.objects.filter(name="Buxoro").delete()
    assert "buxoro" not in search_text(visit)


def test_a_heads_and_a_members_other_names_are_searched(client):
    head = factories.person("Ilham Aliyev")
    member = factories.person("Jeyhun Bayramov")
    visit = factories.visit("AZ", "FR", head=head)
    DelegationMember.objects.create(delegation=visit.delegation, person=member)
    PersonName.objects.create(person=head, name="İlham Əliyev", language="az")
    PersonName.objects.create(person=member, name="Джейхун Байрамов", language="ru")
    assert titles(client.get(reverse("visit_list"), {"q": "Байрамов"})) == [visit.title]
    assert titles(client.get(reverse("visit_list"), {"q": "ilham eliyev"})) == [visit.title]


def test_a_bodys_other_names_are_searched(client):
    body = factories.organization("Ministry of Foreign Affairs of Azerbaijan")
    visit = factories.visit("AZ", "FR")
    visit.delegation = None
    from visits.models import Delegation

    Delegation.objects.create(visit=visit, organization=body)
    OrganizationName.objects.create(
        organization=body, name="Azərbaycan Xarici İşlər Nazirliyi", language="az"
    )
    assert titles(client.get(reverse("visit_list"), {"q": "nazirliyi"})) == [visit.title]


def test_the_search_text_of_plain_ascii_records_is_unchanged():
    visit = factories.visit("FR", "DE", title="Visit to Berlin", places="Berlin", summary="Talks.")
    assert search_text(visit) == "Visit to Berlin Berlin France Germany    Talks."


# The names fixture ---------------------------------------------------------------------------


def test_the_names_fixture_is_names_only_each_an_editors_with_its_language():
    entries = json.loads(NAMES_FIXTURE.read_text(encoding="utf-8"))
    models = {entry["model"] for entry in entries}
    assert models == {"visits.personname", "visits.organizationname", "visits.placename"}
    for entry in entries:
        assert entry["fields"]["origin"] == "editor"
        assert entry["fields"]["language"] in {"az", "uz", "uz-Cyrl", "ru", "en"}


def test_populate_loads_the_names_after_the_records_they_name_and_once():
    files = [path.name for path in fixture_files()]
    assert files.index("azertac-2025-09-25-names.json") > files.index(
        "azertac-2025-09-25-prosecutor-general-visit.json"
    )
    assert records_present(NAMES_FIXTURE)[0] == 0
    from django.core.management import call_command

    call_command("loaddata", "azertac-2025-09-25-prosecutor-general-visit", verbosity=0)
    call_command("loaddata", "azertac-2025-09-25-names", verbosity=0)
    present, total = records_present(NAMES_FIXTURE)
    assert present == total == len(json.loads(NAMES_FIXTURE.read_text(encoding="utf-8")))
    call_command("loaddata", "azertac-2025-09-25-names", verbosity=0)  # again: no duplicates
    assert (
        PersonName.objects.count() + OrganizationName.objects.count() + (PlaceName.objects.count())
        == total
    )


# Admin ---------------------------------------------------------------------------------------


def test_an_editor_adds_a_country_name_and_a_place_name_on_the_countrys_form(client):
    client.force_login(User.objects.create_superuser("editor", password="a-long-pass-phrase"))
    uzbekistan = factories.country("UZ")
    change = reverse("admin:visits_country_change", args=[uzbekistan.pk])
    page = client.get(change)
    html = page.content.decode()
    assert "names-TOTAL_FORMS" in html and "place_names-TOTAL_FORMS" in html
    assert "Özbəkistan" not in html  # the ISO translations are pycountry's, not the form's
    data = form_data(page)
    data.update(
        {
            "names-TOTAL_FORMS": "1",
            "names-0-name": "Uzbekistoni",
            "names-0-language": "tg",
            "names-0-origin": data["names-__prefix__-origin"],
            "place_names-TOTAL_FORMS": "1",
            "place_names-0-place": "Tashkent",
            "place_names-0-name": "Taschkent",
            "place_names-0-language": "de",
            "place_names-0-origin": data["place_names-__prefix__-origin"],
        }
    )
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = CountryName.objects.get(name="Uzbekistoni")
    assert (added.key, added.origin) == ("uzbekistoni", "editor")
    assert PlaceName.objects.get().place_key == "tashkent"


def test_an_organizations_form_holds_its_other_names(client):
    client.force_login(User.objects.create_superuser("editor", password="a-long-pass-phrase"))
    body = factories.organization("Ministry")
    OrganizationName.objects.create(organization=body, name="Vazirlik", language="uz")
    page = client.get(reverse("admin:visits_organization_change", args=[body.pk]))
    assert 'value="Vazirlik"' in page.content.decode()
