"""Every visit, meeting and agreement an editor saves in the admin names the source it comes
from: a form without one shows why and saves nothing."""

import pytest
from django.urls import reverse

from tests import factories
from tests.admin import test_admin
from tests.admin.test_admin_concurrency import form_data
from visits.models import Agreement, Meeting, Visit

pytestmark = pytest.mark.django_db

MESSAGE = "Give the source this record comes from."


def no_rows(*prefixes):
    """The management forms of inlines left empty."""
    data = {}
    for prefix in prefixes:
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


def visit_form():
    """A visit with a meeting, the meeting with a source, the visit without one."""
    data = test_admin.visit_form()
    del data["sources"]
    return data


def meeting_form():
    return {
        "title": "Talks in Paris",
        "slug": "talks-in-paris",
        "kind": "bilateral",
        "position": "0",
        "date_precision": "day",
        **no_rows("participants"),
    }


def agreement_form():
    return {
        "title": "Cooperation programme for 2026–2027",
        "slug": "cooperation-programme-2026-2027",
        "kind": "cooperation-programme",
        "signed_precision": "month",
        "validity_precision": "year",
        **no_rows("signatories"),
    }


FORMS = {
    "visit": (Visit, visit_form),
    "meeting": (Meeting, meeting_form),
    "agreement": (Agreement, agreement_form),
}


def error_of(response, field):
    form = response.context["adminform"].form
    return form.errors.get(field, [])


@pytest.mark.parametrize("name", FORMS)
def test_a_record_without_a_source_is_refused_with_the_reason(admin_client, name):
    model, form = FORMS[name]
    response = admin_client.post(reverse(f"admin:visits_{name}_add"), form())
    assert response.status_code == 200
    assert error_of(response, "sources") == [MESSAGE]
    assert MESSAGE in response.content.decode()
    assert not model.objects.exists()


@pytest.mark.parametrize("name", FORMS)
def test_a_record_with_a_source_is_saved_with_it(admin_client, name):
    model, form = FORMS[name]
    source = factories.source()
    response = admin_client.post(
        reverse(f"admin:visits_{name}_add"), {**form(), "sources": [source.pk]}
    )
    assert response.status_code == 302, error_of(response, "sources")
    assert list(model.objects.get().sources.all()) == [source]


def test_a_change_that_takes_the_source_away_is_refused(admin_client):
    source = factories.source()
    data = {**agreement_form(), "sources": [source.pk]}
    assert admin_client.post(reverse("admin:visits_agreement_add"), data).status_code == 302
    agreement = Agreement.objects.get()
    change = reverse("admin:visits_agreement_change", args=[agreement.pk])
    data = form_data(admin_client.get(change), title="Renamed")
    del data["sources"]
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert error_of(response, "sources") == [MESSAGE]
    agreement.refresh_from_db()
    assert agreement.title == "Cooperation programme for 2026–2027"
    assert list(agreement.sources.all()) == [source]


def test_a_meeting_added_in_its_visits_form_needs_a_source_too(admin_client):
    source = factories.source()
    data = {**visit_form(), "sources": [source.pk]}
    del data["meetings-0-sources"]
    response = admin_client.post(reverse("admin:visits_visit_add"), data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Visit.objects.exists()
    assert not Meeting.objects.exists()

    response = admin_client.post(
        reverse("admin:visits_visit_add"), {**data, "meetings-0-sources": [source.pk]}
    )
    assert response.status_code == 302
    assert list(Meeting.objects.get().sources.all()) == [source]
