"""Issue 15, validation in the editor's words: a new person who may already be here, and an
office without the person who held it."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests import factories
from visits.models import Delegation, Person, PersonName, Source

pytestmark = pytest.mark.django_db

ADD_PERSON = reverse("admin:visits_person_add")


@pytest.fixture
def editor(client):
    user = User.objects.create_superuser("editor", password="a-long-pass-phrase")
    client.force_login(user)
    return client


@pytest.fixture
def aliyev():
    """Kamran Aliyev, who led a delegation in 2025, with another spelling of his name."""
    person = factories.person("Kamran Aliyev", country=factories.country("AZ"))
    PersonName.objects.create(person=person, name="Kamran Əliyev")
    visit = factories.visit(start=datetime.date(2025, 9, 24))
    Delegation.objects.create(visit=visit, head=person, head_office="Prosecutor General")
    return person


def person_form(name, **extra):
    return {
        "name": name,
        "slug": "new-person",
        "country": "",
        "names-TOTAL_FORMS": "0",
        "names-INITIAL_FORMS": "0",
        "names-MIN_NUM_FORMS": "0",
        "names-MAX_NUM_FORMS": "1000",
        **extra,
    }


@pytest.mark.parametrize("name", ["Kamran Aliyev", "KAMRAN ƏLIYEV", "K. Aliyev"])
def test_a_new_person_who_may_be_someone_held_is_shown_the_candidates(editor, aliyev, name):
    response = editor.post(ADD_PERSON, person_form(name))
    assert response.status_code == 200
    assert Person.objects.count() == 1
    page = response.content.decode()
    assert "This may be someone already here: Kamran Aliyev, Azerbaijan, Prosecutor General, " in (
        page
    )
    assert "2025" in page
    assert reverse("admin:visits_person_change", args=[aliyev.pk]) in page
    assert "This is someone new" in page
    assert f"{reverse('admin:visits_person_changelist')}?q=Aliyev" in page


def test_the_editor_can_say_it_is_someone_new(editor, aliyev):
    response = editor.post(ADD_PERSON, person_form("Kamran Aliyev", someone_new="on"))
    assert response.status_code == 302
    assert Person.objects.filter(name="Kamran Aliyev").count() == 2


def test_a_name_nobody_has_is_saved_at_once(editor, aliyev):
    response = editor.post(ADD_PERSON, person_form("Nigmatilla Yuldashev"))
    assert response.status_code == 302
    assert Person.objects.filter(name="Nigmatilla Yuldashev").exists()


def test_editing_a_person_is_not_held_up_by_their_namesakes(editor, aliyev):
    namesake = factories.person("Kamran Aliyev")
    change = reverse("admin:visits_person_change", args=[namesake.pk])
    page = editor.get(change).content.decode()
    assert "someone_new" not in page
    data = person_form("Kamran Aliyev", slug=namesake.slug)
    data["_fingerprint"] = fingerprint(editor, change)
    response = editor.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def fingerprint(client, url):
    """The edit guard's token of the form as served (visits.admin_concurrency)."""
    page = client.get(url).content.decode()
    marker = 'name="_fingerprint" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_an_office_needs_the_person_who_held_it(editor):
    visit = factories.visit()
    delegation = Delegation(visit=visit, head_office="Minister of Foreign Affairs")
    with pytest.raises(Exception) as raised:
        delegation.full_clean()
    assert "An office needs the person who held it" in str(raised.value)
    assert "head" in raised.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        delegation.save()


def test_a_sources_date_is_typed_as_every_other_date(editor):
    """One format everywhere: a source's date too is YYYY-MM-DD, and another form is refused
    beside the field, in the editor's words."""
    publisher = factories.organization("AZERTAC", classification="news-agency")
    data = {"slug": "azertac-note", "publisher": publisher.pk, "dateline": "Baku"}
    add = reverse("admin:visits_source_add")
    response = editor.post(add, data | {"published_on": "25/09/2025"})
    assert response.status_code == 200
    assert "Enter a date as YYYY-MM-DD." in response.content.decode()
    response = editor.post(add, data | {"published_on": "2025-09-25"})
    assert response.status_code == 302
    source = Source.objects.get(slug="azertac-note")
    assert source.published_on == datetime.date(2025, 9, 25)
    page = editor.get(reverse("admin:visits_source_change", args=[source.pk])).content.decode()
    assert 'value="2025-09-25"' in page
