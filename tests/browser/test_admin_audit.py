"""Issue 15: axe-core finds no violation on the admin's forms the project customises — the
visit's page with its nested sections, the meeting and agreement pages, a new person who may
already be here, "start from the source" before and after it reads the article, and the
import page — at a desk's width, with the seed article loaded."""

from collections import defaultdict

import pytest
from django.urls import reverse

from tests.admin.test_proposals import TEXT

from .test_admin_changelists import sign_in
from .test_admin_entry import choose
from .test_audit import AXE, audit, report, require

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SEED_VISIT = "2025-09-24-azerbaijan-uzbekistan-prosecutor-general"
TREATY = "2024-08-23-azerbaijan-uzbekistan-treaty-on-allied-relations"


def test_axe_finds_no_violation_on_the_customised_forms(browser, live_server, seed_data):
    from visits.models import Agreement, Meeting, Visit

    require(AXE, "axe-core")
    visit = Visit.objects.get(slug=SEED_VISIT)
    forms = [
        ("visit page", reverse("admin:visits_visit_change", args=[visit.pk])),
        ("new visit", reverse("admin:visits_visit_add")),
        ("meeting page", reverse("admin:visits_meeting_change", args=[Meeting.objects.first().pk])),
        (
            "agreement page",
            reverse("admin:visits_agreement_change", args=[Agreement.objects.get(slug=TREATY).pk]),
        ),
        ("import CSV", reverse("admin:visits_visit_import")),
        ("start from the source", reverse("admin:visits_source_propose")),
    ]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    problems = defaultdict(list)
    try:
        sign_in(context, live_server)
        page = context.new_page()
        for name, address in forms:
            page.goto(live_server.url + address)
            page.wait_for_selector("#content form")
            audit(page, name, problems)

        # A new person by a name already here: the candidates and the error beside the name.
        page.goto(live_server.url + reverse("admin:visits_person_add"))
        page.locator("#id_name").fill("Kamran Aliyev")
        page.locator("#id_slug").fill("kamran-aliyev-2")
        page.locator("input[name=_save]").click()
        page.wait_for_selector(".person-candidates")
        audit(page, "new person, candidates shown", problems)

        # What "start from the source" reads in the seed article.
        page.goto(live_server.url + reverse("admin:visits_source_propose"))
        page.locator("#id_dateline").fill("Baku")
        page.locator("#id_published_on").fill("2025-09-25")
        page.locator("#id_text").fill(TEXT)
        choose(page, "id_publisher", "AZERTAC")
        page.get_by_role("button", name="Propose records").click()
        page.wait_for_selector("text=Kamran Aliyev")
        audit(page, "start from the source, proposals", problems)
    finally:
        context.close()
    if problems:
        pytest.fail("axe-core found violations:\n" + report(problems), pytrace=False)
