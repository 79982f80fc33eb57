"""Import and export from the admin: a CSV or XML upload is checked and previewed with nothing
saved, refused with its line-numbered problems, imported all or nothing on confirmation; the
visit list exports exactly the rows its filters select."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.importing.csv_files import HEADER, csv_line
from tests.importing.hsg_files import trip
from visits import admin_import
from visits.models import Visit

pytestmark = pytest.mark.django_db

IMPORT = "admin:visits_visit_import"
IMPORT_HSG = "admin:visits_visit_import_hsg"
EXPORT = "admin:visits_visit_export"
CHANGELIST = "admin:visits_visit_changelist"


@pytest.fixture
def editor(client):
    user = User.objects.create_superuser("editor", password="a-long-pass-phrase")
    client.force_login(user)
    return user


def staff(client, *codenames):
    user = User.objects.create_user("staff", password="a-long-pass-phrase", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


def csv_file(*lines, name="visits.csv"):
    return SimpleUploadedFile(name, (HEADER + "\r\n" + "".join(lines)).encode(), "text/csv")


def upload(client, file, url=IMPORT):
    return client.post(reverse(url), {"files": file})


def confirm(client, preview, url=IMPORT, **extra):
    return client.post(reverse(url), {"digest": preview.context["digest"], **extra})


def history_count():
    return Visit.history.count()


TWO_NEW = (
    csv_line(slug="visit-a", title="Talks in Tashkent", places="Tashkent"),
    csv_line(slug="visit-b", title="Return visit", guest="UZ", host="AZ", end_date=""),
)


def test_the_preview_shows_each_row_with_its_line_and_saves_nothing(client, editor):
    kept = factories.visit(title="Old title", start=datetime.date(2024, 3, 1))
    file = csv_file(
        TWO_NEW[0], csv_line(slug=kept.slug, title="New title", end_date=""), TWO_NEW[1]
    )
    visits, history = Visit.objects.count(), history_count()

    response = upload(client, file)

    assert response.status_code == 200
    assert (Visit.objects.count(), history_count()) == (visits, history)
    assert Visit.objects.get(pk=kept.pk).title == "Old title"
    assert not Visit.objects.filter(slug__in=["visit-a", "visit-b"]).exists()
    assert response.context["outcome"].counts["created"] == 2
    assert response.context["outcome"].counts["updated"] == 1
    assertions = [
        '<tr><th scope="row">Visits created</th><td>2</td></tr>',
        '<tr><th scope="row">Visits updated</th><td>1</td></tr>',
        '<tr><td>2</td><th scope="row">Talks in Tashkent <small>(visit-a)</small></th>'
        '<td>AZ → UZ</td><td><time datetime="2024-03-01">1 March 2024</time> – '
        '<time datetime="2024-03-02">2 March 2024</time></td></tr>',
        '<tr><td>4</td><th scope="row">Return visit <small>(visit-b)</small></th>'
        '<td>UZ → AZ</td><td><time datetime="2024-03-01">1 March 2024</time></td></tr>',
        "<li><code>title</code>: <del>Old title</del> → <ins>New title</ins></li>",
        "<li><code>kind</code>: <del>unspecified</del> → <ins>official</ins></li>",
    ]
    for fragment in assertions:
        assert fragment in html(response), fragment
    updated = response.context["outcome"].updated
    assert [(row.where, row.values["slug"]) for row in updated] == [("3", kept.slug)]


def html(response):
    """The page with runs of white space made one space, and no space between tags."""
    text = re.sub(r"\s+", " ", response.content.decode())
    return re.sub(r">\s+<", "><", text).replace("&rarr;", "→")


def test_a_bad_file_is_refused_with_line_numbers_and_nothing_changes(client, editor):
    file = csv_file(
        TWO_NEW[0],
        csv_line(slug="bad-country", guest="XX"),
        csv_line(slug="bad-dates", start_date="2024-03-05", end_date="2024-03-01"),
    )
    visits, history = Visit.objects.count(), history_count()

    response = upload(client, file)

    assert response.status_code == 200
    assert (Visit.objects.count(), history_count()) == (visits, history)
    page = html(response)
    assert "visits.csv was not imported: 2 problems. Nothing was changed" in page
    assert "<li>line 3: unknown guest country code &#x27;XX&#x27;</li>" in page
    assert "<li>line 4: end_date 2024-03-01 is before start_date 2024-03-05</li>" in page
    assert admin_import.SESSION_KEY not in client.session


def test_confirming_imports_the_file_and_the_list_shows_the_visits(client, editor):
    preview = upload(client, csv_file(*TWO_NEW))
    assert admin_import.SESSION_KEY in client.session

    response = confirm(client, preview, confirm="Import")

    assert response.status_code == 302
    assert response["Location"] == reverse(CHANGELIST)
    a, b = Visit.objects.get(slug="visit-a"), Visit.objects.get(slug="visit-b")
    assert (a.title, a.guest_country.code, a.host_country.code) == ("Talks in Tashkent", "AZ", "UZ")
    assert (a.start_date, a.end_date, a.places) == (
        datetime.date(2024, 3, 1),
        datetime.date(2024, 3, 2),
        "Tashkent",
    )
    assert (b.guest_country.code, b.end_date) == ("UZ", None)
    record = a.history.get()
    assert (record.history_user, record.history_change_reason) == (editor, "import_csv visits.csv")
    assert admin_import.SESSION_KEY not in client.session

    listing = client.get(response["Location"])
    page = listing.content.decode()
    assert "Imported visits.csv. Visits: 2 created, 0 updated, 0 unchanged." in page
    assert "Talks in Tashkent" in page and "Return visit" in page


def test_uploading_the_same_file_again_changes_nothing_and_shows_hand_edits(client, editor):
    confirm(client, upload(client, csv_file(*TWO_NEW)))

    again = upload(client, csv_file(*TWO_NEW))
    counts = again.context["outcome"].counts
    assert (counts["created"], counts["updated"], counts["unchanged"]) == (0, 0, 2)
    assert 'id="import-updated"' not in again.content.decode()

    # import_csv's rule: a row sets its visit to the file's values. An editor's change shows in
    # the preview, and is kept when the editor cancels.
    visit = Visit.objects.get(slug="visit-a")
    visit.title = "Corrected by hand"
    visit.save()
    preview = upload(client, csv_file(*TWO_NEW))
    assert preview.context["outcome"].counts["updated"] == 1
    assert (
        "<li><code>title</code>: <del>Corrected by hand</del> → <ins>Talks in Tashkent</ins></li>"
        in html(preview)
    )
    assert Visit.objects.get(slug="visit-a").title == "Corrected by hand"

    cancelled = confirm(client, preview, cancel="Cancel, import nothing")
    assert cancelled.status_code == 302
    assert Visit.objects.get(slug="visit-a").title == "Corrected by hand"
    assert admin_import.SESSION_KEY not in client.session


def test_a_confirmation_that_is_not_the_waiting_preview_imports_nothing(client, editor):
    preview = upload(client, csv_file(TWO_NEW[0]))
    upload(client, csv_file(TWO_NEW[1]))  # another preview since, in another tab

    stale = confirm(client, preview)

    assert stale.status_code == 409
    assert "This preview is no longer the import waiting for confirmation" in stale.content.decode()
    assert not Visit.objects.filter(slug__in=["visit-a", "visit-b"]).exists()
    forged = client.post(reverse(IMPORT), {"digest": "0" * 64})
    assert forged.status_code == 409
    assert not Visit.objects.filter(slug__in=["visit-a", "visit-b"]).exists()


def test_a_file_over_the_limit_is_refused_with_its_size(client, editor, monkeypatch):
    monkeypatch.setattr(admin_import, "MAX_UPLOAD", 300)
    file = csv_file(*TWO_NEW)
    assert file.size > 300

    response = upload(client, file)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"The upload is {file.size}\xa0bytes; the admin imports up to 300\xa0bytes" in page
    assert not Visit.objects.filter(slug="visit-a").exists()


def test_a_file_that_is_not_utf8_is_refused_with_its_line(client, editor):
    lines = HEADER + "\r\n" + TWO_NEW[0] + csv_line(slug="visit-c", title="Café")
    file = SimpleUploadedFile("latin.csv", lines.encode("latin-1"), "text/csv")

    response = upload(client, file)

    assert response.status_code == 200
    assert (
        "<li>latin.csv, line 3: the file is not UTF-8 text (byte 0xE9); save it as UTF-8 and "
        "try again; nothing was imported.</li>"
    ) in html(response)
    assert not Visit.objects.filter(slug="visit-a").exists()


def test_only_staff_who_may_add_and_change_visits_may_import(client):
    staff(client, "view_visit", "change_visit")
    for url in [IMPORT, IMPORT_HSG]:
        assert client.get(reverse(url)).status_code == 403
        assert upload(client, csv_file(*TWO_NEW), url).status_code == 403
    assert not Visit.objects.filter(slug="visit-a").exists()
    listing = client.get(reverse(CHANGELIST)).content.decode()
    assert "Import CSV" not in listing and "Export these 0 visits as CSV" in listing

    User.objects.get(username="staff").user_permissions.add(
        Permission.objects.get(codename="add_visit")
    )
    client.force_login(User.objects.get(username="staff"))
    assert client.get(reverse(IMPORT)).status_code == 200
    assert "Import CSV" in client.get(reverse(CHANGELIST)).content.decode()


def xml_file(name, *trips):
    text = '<?xml version="1.0" encoding="UTF-8"?>\n<trips>' + "".join(trips) + "</trips>"
    return SimpleUploadedFile(name, text.encode(), "application/xml")


def test_hsg_files_are_previewed_then_imported(client, editor):
    files = [
        xml_file("acheson.xml", trip(3290), trip(3291, country=("atlantis", "Atlantis"))),
        xml_file(
            "more.xml",
            trip(3292, country=("russia", "U.S.S.R."), start="1949-07-01", end="1949-07-05"),
        ),
    ]
    visits = Visit.objects.count()

    preview = upload(client, files, IMPORT_HSG)

    assert preview.status_code == 200
    assert Visit.objects.count() == visits
    page = html(preview)
    assert '<tr><th scope="row">Visits created</th><td>2</td></tr>' in page
    assert "<li>acheson.xml, record 3291: unknown country id &#x27;atlantis&#x27;" in page
    assert '<tr><td>hsg-travels 3290</td><th scope="row">Secretary of State Dean' in page

    response = confirm(client, preview, url=IMPORT_HSG)

    assert response.status_code == 302
    imported = Visit.objects.filter(dataset="hsg-travels").order_by("record_id")
    assert [(v.record_id, v.host_country.code) for v in imported] == [
        ("3290", "FR"),
        ("3292", "SUHH"),
    ]
    assert "1 rejected" in client.get(response["Location"]).content.decode()


def test_an_xml_file_that_is_not_well_formed_is_refused(client, editor):
    file = SimpleUploadedFile("broken.xml", b"<trips>\n<trip><id>1</id>\n</trips>", "text/xml")

    response = upload(client, [file], IMPORT_HSG)

    assert response.status_code == 200
    assert "broken.xml, line 3: this is not well-formed XML" in response.content.decode()
    assert not Visit.objects.filter(dataset="hsg-travels").exists()


def exported(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_holds_exactly_the_rows_the_list_selects(client, editor):
    talks = factories.visit(title="Talks", places="Tashkent", start=datetime.date(2024, 1, 2))
    summit = factories.visit(title="Summit", places="Tashkent, Samarkand", kind="official")
    forum = factories.visit(title="Tashkent forum", guest="UZ", host="AZ", places="Baku")
    factories.visit(title="Elsewhere", places="Baku")

    listing = client.get(reverse(CHANGELIST), {"q": "Tashkent"})
    link = re.search(r'<a href="([^"]+)" download>Export these 3 visits as CSV</a>', html(listing))
    assert link, "the list links to its export"
    assert link[1].startswith(reverse(EXPORT) + "?")

    rows = exported(client.get(link[1].replace("&amp;", "&")))

    slugs = [row["slug"] for row in rows]
    assert sorted(slugs) == sorted([talks.slug, summit.slug, forum.slug])
    assert slugs == [visit.slug for visit in listing.context["cl"].queryset]  # in its order
    exported_forum = rows[slugs.index(forum.slug)]
    assert (exported_forum["title"], exported_forum["guest"], exported_forum["host"]) == (
        "Tashkent forum",
        "UZ",
        "AZ",
    )
    assert exported_forum["url"].endswith(forum.get_absolute_url())
    assert rows[slugs.index(summit.slug)]["kind"] == "official"


def test_the_action_exports_the_selected_visits(client, editor):
    chosen = factories.visit(title="Chosen", places="Tashkent")
    factories.visit(title="Not chosen")

    response = client.post(
        reverse(CHANGELIST), {"action": "export_selected", "_selected_action": [chosen.pk]}
    )

    rows = exported(response)
    assert [(row["slug"], row["title"], row["guest"], row["host"]) for row in rows] == [
        (chosen.slug, "Chosen", "AZ", "UZ")
    ]


def test_an_unknown_filter_gets_a_400_not_an_export(client, editor):
    response = client.get(reverse(EXPORT), {"no_such_field__exact": "1"})

    assert response.status_code == 400
    assert "nothing was exported" in response.content.decode()
