"""Editors work in the admin: staff only, with forms that respect the database's rules."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from tests import factories
from visits.models import Meeting, Visit

pytestmark = pytest.mark.django_db


def staff_user(*codenames):
    user = User.objects.create_user("editor", password="a-long-pass-phrase", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


EDITOR_PERMISSIONS = [
    f"{action}_{model}"
    for action in ("add", "change", "view")
    for model in ("visit", "delegation", "meeting", "country", "source", "person", "organization")
]


def visit_form(**overrides):
    source = factories.source().pk
    data = {
        "title": "Working visit of the Foreign Minister to France",
        "slug": "working-visit-foreign-minister-france",
        "kind": "working",
        "guest_country": factories.country("AZ").pk,
        "host_country": factories.country("FR").pk,
        "start_date": "2025-10-01",
        "end_date": "2025-10-03",
        "places": "Paris",
        "summary": "Talks on trade.",
        "sources": [source],
        "dataset": "",
        "record_id": "",
        "delegation-TOTAL_FORMS": "1",
        "delegation-INITIAL_FORMS": "0",
        "delegation-MIN_NUM_FORMS": "0",
        "delegation-MAX_NUM_FORMS": "1",
        "delegation-0-head_office": "",
        "meetings-TOTAL_FORMS": "1",
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "1000",
        "meetings-0-title": "Talks at the Quai d'Orsay",
        "meetings-0-slug": "talks-quai-dorsay",
        "meetings-0-kind": "bilateral",
        "meetings-0-date": "2025-10-02",
        "meetings-0-date_precision": "day",
        "meetings-0-position": "1",
        "meetings-0-place": "Paris",
        "meetings-0-country": factories.country("FR").pk,
        "meetings-0-summary": "",
        "meetings-0-sources": [source],
    }
    data.update(overrides)
    return data


def test_anonymous_users_are_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:visits_visit_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_non_staff_users_cannot_sign_in(client):
    User.objects.create_user("reader", password="a-long-pass-phrase")
    response = client.post(
        reverse("admin:login"), {"username": "reader", "password": "a-long-pass-phrase"}
    )
    assert response.status_code == 200
    assert b"staff account" in response.content
    assert client.get(reverse("admin:index")).status_code == 302


def test_staff_user_adds_a_visit_with_a_meeting_through_the_admin(client):
    client.force_login(staff_user(*EDITOR_PERMISSIONS))
    response = client.post(reverse("admin:visits_visit_add"), visit_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    visit = Visit.objects.get(slug="working-visit-foreign-minister-france")
    assert (visit.guest_country.code, visit.host_country.code) == ("AZ", "FR")
    assert visit.end_date == datetime.date(2025, 10, 3)
    meeting = visit.meetings.get()
    assert meeting.title == "Talks at the Quai d'Orsay"
    assert meeting.date == datetime.date(2025, 10, 2)
    # The admin's own history records who added it.
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.get(object_id=str(visit.pk)).user.username == "editor"


def test_admin_form_that_breaks_a_constraint_shows_an_error(client):
    client.force_login(staff_user(*EDITOR_PERMISSIONS))
    response = client.post(
        reverse("admin:visits_visit_add"),
        visit_form(end_date="2025-09-01", host_country=factories.country("AZ").pk),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The end date cannot be before the start date." in page
    assert "The guest and host countries must differ." in page
    assert not Visit.objects.exists()
    assert not Meeting.objects.exists()


def test_view_only_user_cannot_change_a_record(client):
    visit = factories.sourced_visit(title="Original title")
    client.force_login(staff_user("view_visit", "view_meeting", "view_delegation"))
    change_url = reverse("admin:visits_visit_change", args=[visit.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert b"Original title" in page.content
    assert b'name="_save"' not in page.content
    response = client.post(change_url, visit_form(title="Changed"))
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.title == "Original title"
    assert client.get(reverse("admin:visits_visit_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:visits_visit_delete", args=[visit.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Visit.objects.filter(pk=visit.pk).exists()


@pytest.mark.parametrize(
    "model",
    [
        "visit",
        "delegation",
        "meeting",
        "agreement",
        "organization",
        "person",
        "country",
        "source",
    ],
)
def test_every_model_has_a_working_changelist(admin_client, model, article):
    response = admin_client.get(reverse(f"admin:visits_{model}_changelist"))
    assert response.status_code == 200
    response = admin_client.get(reverse(f"admin:visits_{model}_changelist"), {"q": "Aliyev"})
    assert response.status_code == 200


def test_view_on_site_links_to_the_public_page(admin_client, article):
    visit = Visit.objects.get()
    response = admin_client.get(reverse("admin:visits_visit_change", args=[visit.pk]))
    assert b"View on site" in response.content
