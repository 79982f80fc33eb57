"""Every change recoverable: each record's history shows who changed what from what to what and
reverts to an earlier state; a deleted visit comes back with everything deleted with it."""

import datetime
import html
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.db.models import F
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.admin.test_admin_concurrency import editor, form_data
from visits.models import (
    Agreement,
    Delegation,
    DelegationMember,
    Meeting,
    MeetingParticipant,
    Person,
    Visit,
)

pytestmark = pytest.mark.django_db


def text(response):
    """The page as text, tags removed and spaces collapsed."""
    page = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(page)).strip()


def messages(response):
    found = re.findall(
        r'<li class="(success|error|warning|info)">(.*?)</li>', response.content.decode(), re.S
    )
    return [(level, html.unescape(message).strip()) for level, message in found]


def history_changes(response):
    """The "Changes" column of a history page, one list per version, newest first."""
    page = response.content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>", 1)[1], re.S)
    return [
        [
            re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", item))).strip()
            for item in re.findall(r"<li>(.*?)</li>", row, re.S)
        ]
        for row in rows
    ]


def a_visit_with_everything():
    publisher = factories.organization("AZERTAC", classification="news-agency")
    ministry = factories.organization("Prosecutor General's Office")
    visit = factories.visit(
        title="Official visit of the Prosecutor General to Uzbekistan",
        summary="Talks on cooperation.",
        places="Tashkent, Samarkand",
        kind=Visit.Kind.OFFICIAL,
        end_date=datetime.date(2020, 1, 3),
    )
    visit.sources.set(
        [factories.source(publisher=publisher), factories.source(publisher=publisher)]
    )
    delegation = Delegation.objects.create(
        visit=visit,
        organization=ministry,
        head=factories.person("Kamran Aliyev"),
        head_office="Prosecutor General",
    )
    for name, office in [("Deputy One", "Deputy"), ("Adviser Two", "Adviser")]:
        DelegationMember.objects.create(
            delegation=delegation, person=factories.person(name), office=office
        )
    first = factories.meeting(visit=visit, title="Bilateral talks", position=1)
    second = factories.meeting(visit=visit, title="Council meeting", position=2)
    first.sources.set([factories.source(publisher=publisher)])
    for meeting, names in [(first, ["Host A", "Guest B"]), (second, ["Chair C"])]:
        for name in names:
            MeetingParticipant.objects.create(
                meeting=meeting, person=factories.person(name), office="Minister"
            )
    programme = factories.agreement(title="Cooperation programme", visit=visit, meeting=first)
    programme.party_countries.set([factories.country("AZ"), factories.country("UZ")])
    factories.agreement(title="Protocol", meeting=second)
    factories.agreement(title="Unrelated treaty")
    return visit


def everything():
    """Every row of every table a visit's deletion touches, field by field, with the sources
    of visits and meetings."""
    tables = [Visit, Delegation, DelegationMember, Meeting, MeetingParticipant, Agreement]
    rows = {
        model.__name__: sorted(
            (
                {
                    field.attname: str(getattr(obj, field.attname))
                    for field in model._meta.concrete_fields
                }
                for obj in model.objects.all()
            ),
            key=lambda row: int(row["id"]),
        )
        for model in tables
    }
    rows["visit sources"] = sorted(Visit.sources.through.objects.values_list("visit", "source"))
    rows["meeting sources"] = sorted(
        Meeting.sources.through.objects.values_list("meeting", "source")
    )
    return rows


def test_a_deleted_visit_is_restored_with_everything_deleted_with_it():
    visit = a_visit_with_everything()
    visit_id = visit.pk
    before = everything()
    alice = editor("alice")

    # Deleted through the admin's confirmation page.
    delete = reverse("admin:visits_visit_delete", args=[visit.pk])
    confirmation = text(alice.get(delete))
    assert "Bilateral talks" in confirmation
    assert "Delegation of Azerbaijan" in confirmation
    assert "Deputy One (Deputy)" in confirmation
    assert alice.post(delete, {"post": "yes"}).status_code == 302
    assert not Visit.objects.exists()
    assert not Meeting.objects.exists()
    assert not MeetingParticipant.objects.exists()
    assert not DelegationMember.objects.exists()
    assert list(Agreement.objects.values_list("visit", "meeting")) == [(None, None)] * 3

    # The visit list leads to the deleted visits; each has a button that restores it.
    changelist = alice.get(reverse("admin:visits_visit_changelist")).content.decode()
    deleted_url = reverse("admin:visits_visit_deleted")
    assert f'<a href="{deleted_url}">Deleted visits</a>' in changelist
    page = alice.get(deleted_url)
    assert "Official visit of the Prosecutor General to Uzbekistan" in text(page)
    assert "Azerbaijan → Uzbekistan" in text(page)
    restore = reverse("admin:visits_visit_restore", args=[visit_id])
    assert (
        f'<form method="post" action="{restore}" id="restore-{visit_id}">' in page.content.decode()
    )

    # The button's form is protected against cross-site requests.
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(User.objects.get(username="alice"))
    assert strict.post(restore).status_code == 403
    page = strict.get(deleted_url)
    response = strict.post(restore, form_data(page, form_id=f"restore-{visit_id}"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:visits_visit_change", args=[visit_id])
    assert messages(strict.get(response["Location"])) == [
        (
            "success",
            "The visit “Official visit of the Prosecutor General to Uzbekistan” was restored "
            "with its delegation (2 members), 2 meetings (3 participants), 2 agreements linked "
            "again.",
        )
    ]

    assert everything() == before
    latest = Visit.history.filter(id=visit_id).first()
    assert (latest.history_change_reason, latest.history_user.username) == ("restored", "alice")
    assert Agreement.history.filter(title="Protocol").first().history_change_reason == "restored"
    # Gone from the deleted visits, back in the visit list and on the site.
    assert "Official visit" not in text(alice.get(deleted_url))
    assert alice.get(Visit.objects.get().get_absolute_url()).status_code == 200


def test_restoring_refuses_when_a_new_visit_took_the_address():
    visit = factories.sourced_visit(title="The old visit")
    slug, visit_id = visit.slug, visit.pk
    alice = editor("alice")
    delete = reverse("admin:visits_visit_delete", args=[visit_id])
    assert alice.post(delete, {"post": "yes"}, follow=True).status_code == 200
    newer = factories.sourced_visit(title="The new visit")
    Visit.objects.filter(pk=newer.pk).update(slug=slug)

    response = alice.post(reverse("admin:visits_visit_restore", args=[visit_id]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("admin:visits_visit_deleted"), 302)]
    assert messages(response) == [
        (
            "error",
            f"The visit “The old visit” cannot be restored: its address (slug “{slug}”) now "
            "belongs to another visit, “The new visit”. Change that visit's slug, then restore "
            "this one.",
        )
    ]
    assert list(Visit.objects.values_list("title", flat=True)) == ["The new visit"]
    assert "The old visit" in text(response)


def test_restoring_is_all_or_nothing_when_a_person_was_deleted_since():
    visit = factories.sourced_visit(title="A visit", head=factories.person("Kamran Aliyev"))
    visit_id = visit.pk
    factories.meeting(visit=visit, title="Talks")
    visit.delete()
    Person.objects.get(name="Kamran Aliyev").delete()

    alice = editor("alice")
    response = alice.post(reverse("admin:visits_visit_restore", args=[visit_id]), follow=True)
    assert messages(response) == [
        (
            "error",
            "The delegation “Delegation of Azerbaijan (A visit)” cannot be restored: its head "
            f"(no. {Person.history.get(history_type='-').id}) has been deleted since.",
        )
    ]
    assert not Visit.objects.exists()
    assert not Meeting.objects.exists()
    assert "A visit" in text(response)


def test_a_meeting_deleted_on_its_own_earlier_stays_deleted():
    visit = factories.sourced_visit()
    visit_id = visit.pk
    kept = factories.meeting(visit=visit, title="Kept meeting")
    dropped = factories.meeting(visit=visit, title="Dropped meeting")
    dropped_id = dropped.pk
    dropped.delete()
    # Deleted an hour before the visit, not with it.
    Meeting.history.filter(id=dropped_id, history_type="-").update(
        history_date=F("history_date") - datetime.timedelta(hours=1)
    )
    visit.delete()
    alice = editor("alice")
    assert alice.post(reverse("admin:visits_visit_restore", args=[visit_id])).status_code == 302
    assert Visit.objects.filter(pk=visit_id).exists()
    assert list(Meeting.objects.values_list("pk", flat=True)) == [kept.pk]


def test_restoring_needs_the_permission_to_add_visits_and_a_post():
    visit = factories.sourced_visit(title="A deleted visit")
    visit_id = visit.pk
    visit.delete()
    reader = User.objects.create_user("reader", password="a-long-pass-phrase", is_staff=True)
    reader.user_permissions.set(Permission.objects.filter(codename="view_visit"))
    client = Client()
    client.force_login(reader)
    page = client.get(reverse("admin:visits_visit_deleted"))
    assert "A deleted visit" in text(page)
    restore = reverse("admin:visits_visit_restore", args=[visit_id])
    assert restore not in page.content.decode()
    assert "Restore “A deleted visit”" in text(editor("alice").get(page.request["PATH_INFO"]))
    assert client.post(restore).status_code == 403
    assert editor("ana").get(restore).status_code == 405
    assert not Visit.objects.exists()


def test_the_history_page_shows_who_changed_what_from_what_to_what():
    visit = factories.sourced_visit(title="Before", kind=Visit.Kind.WORKING)
    alice = editor("alice")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    data = form_data(alice.get(change), title="After", kind="official", summary="Talks.")
    assert alice.post(change, data).status_code == 302

    response = alice.get(reverse("admin:visits_visit_history", args=[visit.pk]))
    assert history_changes(response)[0] == [
        "Kind: working visit → official visit",
        "Summary: (empty) → Talks.",
        "Title: Before → After",
    ]
    newest = re.findall(r"<tr>(.*?)</tr>", response.content.decode().split("<tbody>")[1], re.S)[0]
    assert ">alice</a>" in newest
    assert "Changed" in newest


def test_reverting_through_the_history_restores_an_earlier_title():
    visit = factories.sourced_visit(title="The first title")
    alice = editor("alice")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    assert alice.post(change, form_data(alice.get(change), title="A mistake")).status_code == 302

    history = alice.get(reverse("admin:visits_visit_history", args=[visit.pk]))
    first = visit.history.earliest()
    revert = reverse("admin:visits_visit_simple_history", args=[visit.pk, first.history_id])
    assert f'href="{revert}"' in history.content.decode()
    page = alice.get(revert)
    assert form_data(page)["title"] == ["The first title"]
    response = alice.post(revert, form_data(page))
    assert response.status_code == 302
    assert Visit.objects.get().title == "The first title"
    assert visit.history.first().history_user.username == "alice"


@pytest.mark.parametrize("page", ["history", "deleted", "revert", "change"])
def test_the_history_pages_keep_the_content_security_policy(page):
    visit = factories.sourced_visit(title="A visit")
    alice = editor("alice")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    assert alice.post(change, form_data(alice.get(change), title="Renamed")).status_code == 302
    url = {
        "history": reverse("admin:visits_visit_history", args=[visit.pk]),
        "deleted": reverse("admin:visits_visit_deleted"),
        "revert": reverse(
            "admin:visits_visit_simple_history",
            args=[visit.pk, visit.history.earliest().history_id],
        ),
        "change": change,
    }[page]
    content = alice.get(url).content.decode()
    assert " style=" not in content
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", content)
