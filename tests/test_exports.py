"""Every filtered list as CSV and JSON: exactly the rows of the filtered list, all pages."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from tests import factories
from visits import csvformat

pytestmark = pytest.mark.django_db


def download(client, name, fmt, query=None):
    response = client.get(reverse("export", args=[name, fmt]), query or {})
    assert response.status_code == 200
    assert response.streaming, "exports stream"
    body = b"".join(response.streaming_content).decode("utf-8")
    return response, body


def csv_rows(body):
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def listed_slugs(client, url_name, query):
    """The slugs of every page of a filtered list, in order."""
    slugs, page = [], 1
    while True:
        pages = {"page": page} if page > 1 else {}  # page 1 is the list's own address
        response = client.get(reverse(url_name), {**query, **pages})
        slugs += [record.slug for record in response.context["object_list"]]
        if not response.context["page_obj"].has_next():
            return slugs
        page += 1


@pytest.mark.parametrize(
    ("name", "url_name", "query"),
    [
        ("visits", "visit_list", {"host": ["uz", "fr"], "date_after": "2003-01-01"}),
        ("visits", "visit_list", {"sort": "host"}),
        ("meetings", "meeting_list", {"country": "AZ"}),
        ("agreements", "agreement_list", {"country": "AZ", "date_before": "2020-12-31"}),
    ],
)
def test_export_has_exactly_the_rows_of_the_filtered_list(client, name, url_name, query):
    factories.many_records(count=120, hosts=("UZ", "FR", "DE"))
    expected = listed_slugs(client, url_name, query)
    assert len(expected) > 50, "more than one page"
    _, body = download(client, name, "csv", {**query, "page": "2"})
    assert [row["slug"] for row in csv_rows(body)] == expected
    _, body = download(client, name, "json", query)
    assert [record["slug"] for record in json.loads(body)] == expected


def test_visit_csv_columns_are_the_documented_format(client):
    factories.many_records(count=2)
    response, body = download(client, "visits", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="visits.csv"'
    header = next(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert tuple(header) == csvformat.VISIT_COLUMNS
    row = csv_rows(body)[0]
    assert row["guest"] == "AZ"
    assert row["head_office"] == "Minister"
    assert row["url"].startswith("http://testserver/visits/")


def test_json_fields_match_the_csv_columns(client):
    factories.many_records(count=1)
    response, body = download(client, "visits", "json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    (record,) = json.loads(body)
    assert tuple(record) == csvformat.VISIT_COLUMNS
    _, body = download(client, "meetings", "json")
    (meeting,) = json.loads(body)
    assert meeting["participants"] == ["Minister 0 (Minister)"]
    _, body = download(client, "agreements", "json")
    (agreement,) = json.loads(body)
    assert sorted(agreement["party_countries"]) == ["AZ", "UZ"]


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)"])
def test_cells_a_spreadsheet_would_run_are_neutralised(client, formula):
    factories.visit("AZ", "UZ", title=formula, summary=formula)
    factories.meeting(title=formula)
    for name in ("visits", "meetings"):
        _, body = download(client, name, "csv")
        row = csv_rows(body)[0]
        assert row["title"] == "'" + formula
    _, body = download(client, "visits", "json")
    assert json.loads(body)[0]["title"] == formula, "JSON is data, not a spreadsheet"


def test_text_is_data_in_exports(client):
    factories.visit("AZ", "UZ", title="<script>alert(1)</script>", summary='Quote " and, comma')
    _, body = download(client, "visits", "csv")
    row = csv_rows(body)[0]
    assert row["title"] == "<script>alert(1)</script>"
    assert row["summary"] == 'Quote " and, comma'


def test_bad_filters_give_a_400_with_the_reason(client):
    response = client.get(reverse("export", args=["visits", "csv"]), {"date_after": "soon"})
    assert response.status_code == 400
    assert "Enter a date as 2025, 2025-09 or 2025-09-24." in response.content.decode()
    response = client.get(reverse("export", args=["visits", "json"]), {"country": "ZZ"})
    assert response.status_code == 400
    assert "Unknown country: ZZ" in json.loads(response.content)["errors"]["country"][0]


def test_list_pages_link_their_downloads_with_the_filters(client):
    factories.visit("AZ", "UZ", datetime.date(2025, 9, 24))
    page = client.get(reverse("visit_list"), {"country": "az", "page": "2"}).content.decode()
    assert 'href="/visits/export.csv?country=az"' in page
    assert 'href="/visits/export.json?country=az"' in page
    page = client.get(reverse("meeting_list")).content.decode()
    assert 'href="/meetings/export.csv"' in page


def test_export_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    factories.many_records(count=60)
    for name in ("visits", "meetings", "agreements"):
        with django_assert_max_num_queries(6):
            download(client, name, "csv")


def test_agreement_export_keeps_iso_dates_and_says_how_precise_they_are(client, article):
    _, body = download(client, "agreements", "csv")
    rows = {row["slug"]: row for row in csv_rows(body)}
    programme = rows["azerbaijan-uzbekistan-prosecutors-cooperation-program-2026-2027"]
    validity = ("valid_from", "valid_until", "validity_precision")
    assert [programme[name] for name in validity] == ["2026-01-01", "2027-12-31", "year"]
    assert (programme["signed_place"], programme["signed_country"]) == ("", "")
    assert [programme["signed_on"], programme["signed_precision"]] == ["2025-09-01", "month"]
