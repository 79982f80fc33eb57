"""Two editors, one record: a save over a change made since the form was opened is refused,
with who changed what and when, and the editor's input kept for a second, deliberate save."""

import html
import re
import threading
import time
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from tests import factories
from visits.admin_concurrency import EditGuardMixin
from visits.models import Delegation, Meeting, MeetingParticipant, Visit

pytestmark = pytest.mark.django_db


class FormReader(HTMLParser):
    """What a browser sends for a form of a page: its inputs (boxes only when ticked), the
    selected options of its lists and its text areas, in the order of the page."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.select = None
        self.options = []
        self.textarea = None
        self.text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append(
                (attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "select":
            self.select = (attrs.get("name"), "multiple" in attrs)
            self.options = []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self.text = []

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]
            self.fields.extend((name, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea:
            text = "".join(self.text)
            # A browser drops the newline that starts a text area's content.
            self.fields.append((self.textarea, text[1:] if text.startswith("\n") else text))
            self.textarea = None


def form_data(response, form_id=None, **changes):
    """The change form of an admin page as its editor would submit it, with some fields
    changed; a dict of lists, as the test client posts it."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    if form_id is None:
        form_id = re.search(r'<form [^>]*id="(\w+_form)"', page).group(1)
    reader = FormReader(form_id)
    reader.feed(page)
    data = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    assert data, f"no form {form_id} on the page"
    for name, value in changes.items():
        assert name in data, f"no field {name} in the form"
        data[name] = [value]
    data["_save"] = ["Save"]
    return data


def field_value(response, name):
    return form_data(response)[name]


def errors(response):
    """The errors at the top of a form, as the editor reads them."""
    found = re.findall(
        r'<ul class="errorlist nonfield"[^>]*>(.*?)</ul>', response.content.decode(), re.S
    )
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", block)).strip() for block in found)


def editor(username):
    user = User.objects.create_user(username, password="a-long-pass-phrase", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="visits"))
    client = Client()
    client.force_login(user)
    return client


WHEN = r"on \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} UTC"


def test_a_save_over_another_editors_change_is_refused_and_a_second_save_keeps_mine():
    visit = factories.sourced_visit(title="Original title", summary="Old summary.")
    alice, bob = editor("alice"), editor("bob")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    alices_page, bobs_page = alice.get(change), bob.get(change)

    response = alice.post(change, form_data(alices_page, title="Alice's title"))
    assert response.status_code == 302

    response = bob.post(change, form_data(bobs_page, summary="Bob's summary."))
    assert response.status_code == 200
    message = errors(response)
    assert re.search(
        rf"^This visit was changed by alice {WHEN} after you opened it; your changes were not "
        r"saved\. Check the form \(the saved title is now “Alice's title”\), then save again "
        r"to keep your version\.$",
        message,
    ), message
    visit.refresh_from_db()
    assert (visit.title, visit.summary) == ("Alice's title", "Old summary.")
    # Bob's input is still on the form, as he typed it.
    assert field_value(response, "summary") == ["Bob's summary."]
    assert field_value(response, "title") == ["Original title"]

    # Saving again, after reading the message, is a deliberate choice: it goes through.
    response = bob.post(change, form_data(response))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.title, visit.summary) == ("Original title", "Bob's summary.")


def test_a_change_to_an_inline_row_refuses_the_parent_form():
    visit = factories.sourced_visit(title="A visit", head=factories.person("Kamran Aliyev"))
    delegation = visit.delegation
    alice, bob = editor("alice"), editor("bob")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    bobs_page = bob.get(change)

    # Alice edits the delegation on its own page.
    delegation_change = reverse("admin:visits_delegation_change", args=[delegation.pk])
    page = alice.get(delegation_change)
    assert alice.post(delegation_change, form_data(page, head_office="Prosecutor General"))[
        "Location"
    ].endswith(reverse("admin:visits_delegation_changelist"))

    response = bob.post(change, form_data(bobs_page, summary="Bob's summary."))
    assert response.status_code == 200
    message = errors(response)
    assert re.search(rf"^This visit was changed by alice {WHEN} after you opened it", message)
    assert "in the delegation, the office of the head is now “Prosecutor General”" in message
    delegation.refresh_from_db()
    assert delegation.head_office == "Prosecutor General"
    assert Visit.objects.get().summary == ""
    assert field_value(response, "delegation-0-head_office") == ["Minister"]

    response = bob.post(change, form_data(response))
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.head_office == "Minister"
    assert Visit.objects.get().summary == "Bob's summary."


def test_a_meeting_added_by_a_command_refuses_the_visit_form_and_says_so():
    visit = factories.sourced_visit()
    bob = editor("bob")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    page = bob.get(change)
    factories.meeting(visit=visit, title="Talks in Tashkent")

    response = bob.post(change, form_data(page, title="Bob's title"))
    assert response.status_code == 200
    message = errors(response)
    assert re.search(rf"^This visit was changed by an import or a command {WHEN}", message)
    assert "a meeting was added: “Talks in Tashkent”" in message
    assert Visit.objects.get().title != "Bob's title"
    assert bob.post(change, form_data(response)).status_code == 302
    assert Visit.objects.get().title == "Bob's title"
    assert Meeting.objects.get().title == "Talks in Tashkent"


def test_a_meeting_removed_by_another_editor_refuses_the_visit_form():
    visit = factories.sourced_visit()
    meeting = factories.meeting(visit=visit, title="Talks in Tashkent")
    alice, bob = editor("alice"), editor("bob")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    page = bob.get(change)
    delete = reverse("admin:visits_meeting_delete", args=[meeting.pk])
    assert alice.post(delete, {"post": "yes"}).status_code == 302

    response = bob.post(change, form_data(page, summary="Bob's summary."))
    assert response.status_code == 200
    assert "the meeting “Talks in Tashkent” was removed" in errors(response)
    assert Visit.objects.get().summary == ""


def test_a_participant_added_on_the_meetings_own_page_refuses_the_visit_form():
    """A row nested on the visit's page (a meeting's participant) is in its fingerprint too."""
    visit = factories.sourced_visit()
    meeting = factories.meeting(visit=visit, title="Talks in Tashkent")
    alice, bob = editor("alice"), editor("bob")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    page = bob.get(change)
    MeetingParticipant.objects.create(meeting=meeting, person=factories.person("Jeyhun Bayramov"))

    response = bob.post(change, form_data(page, summary="Bob's summary."))
    assert response.status_code == 200
    assert "a meeting participant was added: “Jeyhun Bayramov”" in errors(response)
    assert Visit.objects.get().summary == ""
    assert bob.post(change, form_data(response, summary="Bob's summary.")).status_code == 302
    assert Visit.objects.get().summary == "Bob's summary."
    assert alice.get(change).status_code == 200


def test_an_invalid_save_keeps_the_version_the_form_was_opened_on():
    """A form sent back for a mistake still refuses a change made before the mistake."""
    visit = factories.sourced_visit(title="Original title")
    alice, bob = editor("alice"), editor("bob")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    page = bob.get(change)
    response = bob.post(change, form_data(page, end_date="2019-01-01"))
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert "after you opened it" not in errors(response)

    alices_page = alice.get(change)
    assert alice.post(change, form_data(alices_page, title="Alice's title")).status_code == 302
    response = bob.post(change, form_data(response, end_date="2020-01-02"))
    assert response.status_code == 200
    assert "the saved title is now “Alice's title”" in errors(response)

    response = bob.post(change, form_data(response))
    assert response.status_code == 302
    assert str(Visit.objects.get().end_date) == "2020-01-02"


def test_the_same_editor_saving_from_two_tabs_is_told_so():
    visit = factories.sourced_visit(title="Original title")
    alice = editor("alice")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    first, second = alice.get(change), alice.get(change)
    assert alice.post(change, form_data(first, title="First tab")).status_code == 302
    response = alice.post(change, form_data(second, summary="Second tab."))
    assert "changed by you, in another window or tab, on" in errors(response)


@pytest.mark.parametrize("fingerprint", [None, "", "forged:value"])
def test_a_form_without_a_valid_fingerprint_is_refused(fingerprint):
    visit = factories.sourced_visit(title="Original title")
    alice = editor("alice")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    data = form_data(alice.get(change), title="New title")
    if fingerprint is None:
        del data["_fingerprint"]
    else:
        data["_fingerprint"] = [fingerprint]
    response = alice.post(change, data)
    assert response.status_code == 200
    assert errors(response).startswith(
        "Your changes were not saved: this form did not say which version of the visit it was "
        "opened on"
    )
    assert Visit.objects.get().title == "Original title"
    assert alice.post(change, form_data(response)).status_code == 302
    assert Visit.objects.get().title == "New title"


def test_the_revert_form_refuses_to_save_over_a_newer_change():
    visit = factories.sourced_visit(title="First title")
    alice, bob = editor("alice"), editor("bob")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    assert alice.post(change, form_data(alice.get(change), title="Second")).status_code == 302
    first = visit.history.earliest()
    revert = reverse("admin:visits_visit_simple_history", args=[visit.pk, first.history_id])
    page = bob.get(revert)
    assert alice.post(change, form_data(alice.get(change), title="Third")).status_code == 302

    response = bob.post(revert, form_data(page))
    assert response.status_code == 200
    assert "the saved title is now “Third”" in errors(response)
    assert Visit.objects.get().title == "Third"
    assert bob.post(revert, form_data(response)).status_code == 302
    assert Visit.objects.get().title == "First title"


# Each registered model: its change form refuses a save over a change made since, here by a
# command (a save with no editor behind it).
CHANGED_MEANWHILE = [
    ("country", "name", "name"),
    ("organization", "name", "name"),
    ("person", "name", "name"),
    ("source", "dateline", "dateline"),
    ("visit", "title", "title"),
    ("delegation", "head_office", "office of the head"),
    ("meeting", "title", "title"),
    ("agreement", "title", "title"),
]


@pytest.mark.parametrize(("model_name", "field", "label"), CHANGED_MEANWHILE)
def test_every_change_form_refuses_a_save_over_a_newer_change(article, model_name, field, label):
    model = apps.get_model("visits", model_name)
    records = model.objects.filter(code="AZ") if model_name == "country" else model.objects
    obj = records.order_by("pk").first()
    alice = editor("alice")
    change = reverse(f"admin:visits_{model_name}_change", args=[obj.pk])
    page = alice.get(change)
    assert 'type="hidden" name="_fingerprint"' in page.content.decode()
    setattr(obj, field, "Changed meanwhile")
    obj.save()

    response = alice.post(change, form_data(page))
    assert response.status_code == 200
    name = model._meta.verbose_name
    assert re.fullmatch(
        rf"This {name} was changed by an import or a command {WHEN} after you opened it; your "
        rf"changes were not saved\. Check the form \(the saved {label} is now “Changed "
        r"meanwhile”\), then save again to keep your version\.",
        errors(response),
    ), errors(response)
    response = alice.post(change, form_data(response))
    assert response.status_code == 302, errors(response)
    obj.refresh_from_db()
    assert getattr(obj, field) != "Changed meanwhile"


def test_a_change_that_left_no_history_is_refused_without_a_name():
    visit = factories.sourced_visit(title="Original title")
    # Long ago: nothing in its history is near the moment the form is opened.
    Visit.history.update(history_date=F("history_date") - timedelta(days=1))
    alice = editor("alice")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    page = alice.get(change)
    Visit.objects.filter(pk=visit.pk).update(places="Samarkand, Bukhara")
    response = alice.post(change, form_data(page))
    assert errors(response) == (
        "This visit was changed after you opened it; your changes were not saved. Check the form "
        "(the saved places is now “Samarkand, Bukhara”), then save again to keep your version."
    )


def app_models():
    return [
        model
        for model in apps.get_app_config("visits").get_models()
        if not model._meta.db_table.startswith("visits_historical")
    ]


@pytest.mark.parametrize("model", app_models(), ids=lambda model: model.__name__)
def test_every_model_is_edited_through_a_guarded_history_admin(model):
    if admin.site.is_registered(model):
        model_admin = admin.site.get_model_admin(model)
        assert isinstance(model_admin, EditGuardMixin)
        assert isinstance(model_admin, SimpleHistoryAdmin)
    else:
        # Edited only inline: the parent's form carries the inline's rows in its fingerprint.
        parents = [
            model_admin
            for model_admin in admin.site._registry.values()
            if any(inline.model is model for inline in model_admin.inlines)
        ]
        assert parents, f"{model.__name__} has no admin"
        assert all(isinstance(parent, EditGuardMixin) for parent in parents)


def test_the_guard_covers_the_models_it_should():
    registered = {model.__name__ for model in app_models() if admin.site.is_registered(model)}
    # Journeys: their guarded form is tested in tests/test_journeys.py.
    assert registered == {model[0].title() for model in CHANGED_MEANWHILE} | {"Journey"}
    assert Delegation in [inline.model for inline in admin.site.get_model_admin(Visit).inlines]


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database is shared between threads through one cache, where "
    "a second writer fails at once instead of waiting; on a database file each save takes the "
    "write lock when its transaction begins (BEGIN IMMEDIATE), so saves cannot interleave.",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_waits_for_a_save_in_progress_then_refuses_to_overwrite_it():
    """Two saves at the same moment: the second waits on the row lock until the first is
    committed, then sees its change and refuses."""
    visit = factories.sourced_visit(title="Original title")
    bob = editor("bob")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    page = bob.get(change)
    saving = threading.Event()

    def another_save_in_progress():
        try:
            with transaction.atomic():
                row = Visit.objects.select_for_update().get(pk=visit.pk)
                row.title = "Saved meanwhile"
                row.save()
                saving.set()
                time.sleep(1)
        finally:
            connection.close()

    other = threading.Thread(target=another_save_in_progress)
    other.start()
    assert saving.wait(10)
    response = bob.post(change, form_data(page, summary="Bob's summary."))
    other.join()
    assert response.status_code == 200
    assert "the saved title is now “Saved meanwhile”" in errors(response)
    visit.refresh_from_db()
    assert (visit.title, visit.summary) == ("Saved meanwhile", "")
