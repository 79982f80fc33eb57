"""Merging people in the admin: every record moves to the person kept, the others' names stay
as other names, the others go, all with history; and the other names are edited inline."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests import factories
from tests.admin.test_admin_concurrency import form_data
from visits.models import (
    Delegation,
    DelegationMember,
    Journey,
    MeetingParticipant,
    Person,
    PersonName,
    Signatory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:visits_person_changelist"


@pytest.fixture
def editor(client):
    user = User.objects.create_superuser("editor", password="a-long-pass-phrase")
    client.force_login(user)
    return user


def person(name, slug, **fields):
    return Person.objects.create(name=name, slug=slug, country=factories.country("IL"), **fields)


@pytest.fixture
def netanyahus():
    """Three records of one human, each with records of its own, some shared."""
    kept = person("Benjamin Netanyahu", "benjamin-netanyahu")
    copy = person("Binyamin Netanyahu", "binyamin-netanyahu")
    other = person("Netanyahu", "netanyahu")
    PersonName.objects.create(person=copy, name="Bibi")
    PersonName.objects.create(person=other, name="Bibi")  # both have it: kept once
    first = factories.visit(guest="IL", host="US", start=datetime.date(1996, 7, 9))
    second = factories.visit(guest="IL", host="US", start=datetime.date(2011, 5, 20))
    Delegation.objects.create(visit=first, head=copy, head_office="Prime Minister")
    delegation = Delegation.objects.create(visit=second, head=other)
    DelegationMember.objects.create(delegation=delegation, person=kept)  # kept, head of it
    meeting = factories.meeting()
    MeetingParticipant.objects.create(meeting=meeting, person=kept)
    MeetingParticipant.objects.create(meeting=meeting, person=copy)  # the same meeting
    agreement = factories.agreement()
    Signatory.objects.create(agreement=agreement, person=other, office="Prime Minister")
    Journey.objects.create(
        slug="trip",
        title="Trip",
        traveller=copy,
        start_date=datetime.date(1996, 7, 9),
        end_date=datetime.date(1996, 7, 9),
    )
    return kept, copy, other


def post_merge(client, people, **data):
    return client.post(
        reverse(CHANGELIST),
        {"action": "merge_selected", "_selected_action": [p.pk for p in people], **data},
    )


def test_the_action_asks_which_person_to_keep_and_counts_their_records(client, editor, netanyahus):
    response = post_merge(client, netanyahus)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="radio" name="kept"' in page
    for p in netanyahus:
        assert f'value="{p.pk}"' in page
        assert p.name in page
    assert Person.objects.count() == 3  # nothing merged yet


def test_merging_moves_every_record_to_the_person_kept(client, editor, netanyahus):
    kept = netanyahus[0]

    response = post_merge(client, netanyahus, post="yes", kept=kept.pk)

    assert response.status_code == 302
    assert list(Person.objects.all()) == [kept]
    assert Delegation.objects.filter(head=kept).count() == 2
    assert not DelegationMember.objects.exists()  # kept leads that delegation
    assert MeetingParticipant.objects.get().person == kept
    assert Signatory.objects.get().person == kept
    assert Journey.objects.get().traveller == kept
    names = {(n.name, n.origin) for n in kept.names.all()}
    assert names == {("Bibi", "source"), ("Binyamin Netanyahu", "merge"), ("Netanyahu", "merge")}


def test_a_merge_is_in_the_history_with_its_reason(client, editor, netanyahus):
    kept, copy, other = netanyahus

    post_merge(client, netanyahus, post="yes", kept=kept.pk)

    deleted = Person.history.filter(history_type="-", history_change_reason="merged")
    assert {h.slug for h in deleted} == {copy.slug, other.slug}
    moved = Delegation.history.filter(history_type="~", history_change_reason="merged")
    assert {h.head_id for h in moved} == {kept.pk}
    assert {h.history_user for h in moved} == {editor}
    merged_name = PersonName.history.get(name="Netanyahu", history_type="+")
    assert merged_name.history_change_reason == "merged"


def test_a_merge_without_a_choice_shows_the_page_again(client, editor, netanyahus):
    response = post_merge(client, netanyahus, post="yes")

    assert response.status_code == 200
    assert "Choose the person to keep." in response.content.decode()
    assert Person.objects.count() == 3


@pytest.mark.parametrize("kept", ["", "not-a-number", "999999"])
def test_a_bad_choice_is_not_an_error(client, editor, netanyahus, kept):
    response = post_merge(client, netanyahus, post="yes", kept=kept)

    assert response.status_code == 200
    assert Person.objects.count() == 3


def test_one_person_is_not_merged(client, editor, netanyahus):
    response = post_merge(client, netanyahus[:1], post="yes", kept=netanyahus[0].pk)

    assert response.status_code == 302
    assert Person.objects.count() == 3


def test_an_editor_adds_another_name_inline_and_the_page_shows_it(client, editor):
    kept = person("Lee Hsien Loong", "lee-hsien-loong")
    url = reverse("admin:visits_person_change", args=[kept.pk])
    data = form_data(client.get(url))
    data["names-0-name"] = ["李显龙"]
    data["names-0-language"] = ["zh"]
    data["names-TOTAL_FORMS"] = ["1"]
    # A new row is the empty form's copy; what an editor adds is theirs.
    assert data["names-__prefix__-origin"] == ["editor"]
    data["names-0-origin"] = data["names-__prefix__-origin"]

    response = client.post(url, data)

    assert response.status_code == 302
    name = kept.names.get()
    assert (name.name, name.key, name.origin) == ("李显龙", "lixianlong", "editor")
    assert name.history.get().history_user == editor
    page = client.get(kept.get_absolute_url()).content.decode()
    assert 'Other names: <span lang="zh">李显龙</span> (Chinese)' in page
