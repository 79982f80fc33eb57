"""The API over HTTP: JSON, CORS for any origin, ETags from the data version with 304 Not
Modified, read-only methods; the exports beside it unchanged."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

from .helpers import answer

pytestmark = pytest.mark.django_db

ADDRESSES = [
    "/api/visits/",
    "/api/visits/?country=AZ&per_page=25",
    "/api/meetings/",
    "/api/agreements/",
    "/api/journeys/",
    "/api/organizations/",
    "/api/people/",
    "/api/countries/",
    "/api/countries/az/",
    "/api/openapi.json",
]


@pytest.fixture
def trips():
    return factories.many_records(count=3)


@pytest.mark.usefixtures("trips")
@pytest.mark.parametrize("url", ADDRESSES)
def test_any_origin_may_read_with_an_etag_and_304(client, url):
    response = client.get(url, headers={"Origin": "https://example.org"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    etag = response["ETag"]
    assert etag.startswith('"') and "no-cache" in response["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": etag, "Origin": "https://example.org"})
    assert again.status_code == 304
    assert again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    head = client.head(url)
    assert head.status_code == 200 and head["ETag"] == etag
    assert head["Access-Control-Allow-Origin"] == "*"


def test_the_etag_changes_with_the_data_and_the_address(client, trips):
    url = reverse("api:visit_list")
    etag = client.get(url)["ETag"]
    assert client.get(url, {"per_page": "25"})["ETag"] != etag
    trips[0].title = "Renamed"
    trips[0].save()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Renamed" in [visit["title"] for visit in answer(response)["results"]]


def test_errors_carry_cors_but_no_etag(client, trips):
    for url, status in (("/api/visits/?country=Narnia", 400), ("/api/visits/none/", 404)):
        response = client.get(url)
        assert response.status_code == status
        assert response["Access-Control-Allow-Origin"] == "*"
        assert not response.has_header("ETag")
        assert response["Content-Type"].startswith("application/json")


def test_a_preflight_is_answered_and_writes_are_refused(client, trips):
    response = client.options(
        "/api/visits/",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 204
    assert response.content == b""
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    strict = Client(enforce_csrf_checks=True)
    for method in (strict.post, strict.put, strict.delete, strict.patch):
        response = method("/api/visits/")
        body = answer(response, 405)
        assert "only reads" in body["detail"]
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response["Access-Control-Allow-Origin"] == "*"


def test_names_are_written_as_they_are(client):
    factories.visit(title="Визит в Ташкент")
    response = client.get("/api/visits/")
    assert "Визит в Ташкент".encode() in response.content


def test_the_exports_keep_working(client, trips):
    for name in ("visits", "meetings", "agreements"):
        for fmt in ("csv", "json"):
            response = client.get(f"/{name}/export.{fmt}", {"country": "AZ"})
            assert response.status_code == 200, (name, fmt)
            assert response["Content-Disposition"] == f'attachment; filename="{name}.{fmt}"'
            assert b"".join(response.streaming_content)


def test_the_api_is_linked_from_every_page(client, trips):
    response = client.get(reverse("home"))
    assert f'href="{reverse("api:index")}"'.encode() in response.content
