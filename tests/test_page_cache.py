"""Whole pages kept in the cache: served again without their view, never stale, never another
reader's (staff, language, host), and never what must not be shared."""

import datetime
import gzip

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.csp import LazyNonce

from tests import factories
from visits import caching, pagecache
from visits.models import Visit

pytestmark = pytest.mark.django_db

LIST = "/visits/"


@pytest.fixture
def visit():
    return factories.visit("AZ", "UZ", datetime.date(2025, 9, 24), title="Prosecutor in Tashkent")


def test_a_repeated_page_is_served_without_its_view(client, visit, django_assert_num_queries):
    first = client.get(LIST)
    assert first["X-Cache"] == "miss"
    assert first.templates, "the first request renders the page"
    with django_assert_num_queries(1) as captured:  # the data version, nothing else
        again = client.get(LIST)
    assert caching.VERSION_TABLE in captured.captured_queries[0]["sql"]
    assert again.status_code == 200
    assert again["X-Cache"] == "hit"
    assert not again.templates, "a hit renders nothing"
    assert again.content == first.content
    assert "Prosecutor in Tashkent" in again.content.decode()
    for header in ("Content-Type", "ETag", "Cache-Control", "Vary", "Content-Language"):
        assert again[header] == first[header], header
    assert int(again["Content-Length"]) == len(again.content)


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(
            lambda visit: Visit.objects.filter(pk=visit.pk).update(title="Renamed in the admin"),
            id="orm",
        ),
        pytest.param(
            lambda visit: connection.cursor().execute(
                "UPDATE visits_visit SET title = %s WHERE id = %s",
                ["Renamed in the admin", visit.pk],
            ),
            id="raw-sql",
        ),
    ],
)
def test_a_write_retires_every_kept_page(client, visit, write):
    for url in (LIST, visit.get_absolute_url()):
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit"
    write(visit)
    for url in (LIST, visit.get_absolute_url()):
        response = client.get(url)
        assert response["X-Cache"] == "miss", url
        html = response.content.decode()
        assert "Renamed in the admin" in html, url
        assert "Prosecutor in Tashkent" not in html, url


def test_a_save_through_the_orm_retires_the_page(client, visit):
    client.get(LIST)
    visit.title = "Saved again"
    visit.save()
    response = client.get(LIST)
    assert response["X-Cache"] == "miss"
    assert "Saved again" in response.content.decode()


def test_staff_and_visitors_each_get_their_own_page(visit):
    visitor = Client()
    assert visitor.get(LIST)["X-Cache"] == "miss"
    editor = Client()
    editor.force_login(User.objects.create_user("editor", password="x", is_staff=True))
    admin_link = f'href="{reverse("admin:index")}"'

    staff_page = editor.get(LIST)
    assert staff_page["X-Cache"] == "miss", "the visitor's page is not the editor's"
    assert admin_link in staff_page.content.decode()
    staff_again = editor.get(LIST)
    assert staff_again["X-Cache"] == "hit"
    assert admin_link in staff_again.content.decode()

    with CaptureQueriesContext(connection) as captured:
        visitor_again = visitor.get(LIST)
    assert visitor_again["X-Cache"] == "hit"
    assert admin_link not in visitor_again.content.decode()
    assert "Cookie" in visitor_again["Vary"]
    assert not [query for query in captured if "session" in query["sql"]], (
        "a visitor without a session cookie is answered without reading a session"
    )


def test_a_hit_answers_if_none_match_with_304(client, visit):
    first = client.get(LIST)
    client.get(LIST)
    response = client.get(LIST, headers={"if-none-match": first["ETag"]})
    assert response.status_code == 304
    assert response["X-Cache"] == "hit"
    assert response["ETag"] == first["ETag"]
    assert response.content == b""
    assert client.get(LIST, headers={"if-none-match": '"other"'}).status_code == 200


def test_each_language_gets_its_own_page(client, visit, settings):
    settings.LANGUAGES = [("en", "English"), ("ru", "Russian")]
    english = client.get(LIST, headers={"accept-language": "en"})
    russian = client.get(LIST, headers={"accept-language": "ru"})
    assert russian["X-Cache"] == "miss"
    assert russian["Content-Language"] == "ru"
    assert ">24 Сен 2025</time>" in russian.content.decode()  # Django's own Russian dates
    again = client.get(LIST, headers={"accept-language": "en"})
    assert again["X-Cache"] == "hit"
    assert ">24 Sep 2025</time>" in again.content.decode()
    assert again.content == english.content
    assert client.get(LIST, headers={"accept-language": "ru"}).content == russian.content


def test_each_host_gets_its_own_page(client, visit, settings):
    """A page holds absolute addresses (its canonical link): one host's is never another's."""
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    client.get(LIST, headers={"host": "one.example"})
    response = client.get(LIST, headers={"host": "two.example"})
    assert response["X-Cache"] == "miss"
    html = response.content.decode()
    assert "http://two.example/visits/" in html
    assert "one.example" not in html


def test_a_hit_carries_its_own_request_id(client, visit):
    client.get(LIST, headers={"x-request-id": "first-request"})
    response = client.get(LIST, headers={"x-request-id": "second-request"})
    assert response["X-Cache"] == "hit"
    assert response["X-Request-ID"] == "second-request"
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def test_the_query_string_is_a_key_in_any_order(client, visit):
    client.get(LIST, {"country": "AZ", "q": "Tashkent"})
    response = client.get(f"{LIST}?q=Tashkent&country=AZ")
    assert response["X-Cache"] == "hit"
    assert client.get(LIST, {"country": "UZ", "q": "Tashkent"})["X-Cache"] == "miss"


def test_a_gzip_client_gets_the_kept_compressed_page(client, visit):
    plain = client.get(LIST)
    client.get(LIST, headers={"accept-encoding": "gzip"})
    response = client.get(LIST, headers={"accept-encoding": "gzip, deflate"})
    assert response["X-Cache"] == "hit"
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content)
    assert gzip.decompress(response.content) == plain.content
    identity = client.get(LIST)
    assert identity["X-Cache"] == "hit"
    assert "Content-Encoding" not in identity
    assert identity.content == plain.content


def test_head_is_served_from_the_kept_page(client, visit):
    client.get(LIST)
    response = client.head(LIST)
    assert response.status_code == 200
    assert response["X-Cache"] == "hit"


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        pytest.param("get", "/visits/export.csv", 200, id="csv-export"),
        pytest.param("get", "/visits/export.json", 200, id="json-export"),
        pytest.param("get", "/visits/?date_after=yesterday", 400, id="bad-filter"),
        pytest.param("get", "/visits", 301, id="redirect"),
        pytest.param("get", "/favicon.ico", 302, id="favicon-redirect"),
        pytest.param("get", "/no-such-page/", 404, id="not-found"),
        pytest.param("get", "/healthz", 200, id="healthz"),
    ],
)
def test_what_is_never_kept(client, visit, method, url, status):
    first = getattr(client, method)(url)
    assert first.status_code == status
    again = getattr(client, method)(url)
    assert again.status_code == status
    assert again.get("X-Cache") != "hit"


def test_the_admin_writes_and_the_health_check_are_never_looked_up(client, visit):
    login = client.get(reverse("admin:login"))
    assert login.status_code == 200
    assert "X-Cache" not in login
    assert "X-Cache" not in client.get(reverse("admin:login"))
    assert "X-Cache" not in client.post(LIST)
    for url in ("/healthz", "/robots.txt", "/favicon.ico"):
        assert "X-Cache" not in client.get(url), url


def test_a_long_query_string_is_rendered_every_time(client, visit):
    url = f"{LIST}?from=" + "x" * pagecache.MAX_QUERY  # a parameter the list ignores
    assert client.get(url).status_code == 200
    response = client.get(url)
    assert "X-Cache" not in response
    assert response.templates


def test_a_page_using_the_csp_nonce_is_never_kept(settings):
    """Were a page to carry the request's CSP nonce, another request must never get it."""

    def view(request):
        response = HttpResponse(f"<p>{request._csp_nonce}</p>", content_type="text/html")
        response["ETag"] = '"same"'
        return response

    middleware = pagecache.PageCacheMiddleware(view)
    factory = RequestFactory()
    bodies = []
    for _ in range(2):
        request = factory.get("/nonce/")
        request._csp_nonce = LazyNonce()
        response = middleware(request)
        assert response["X-Cache"] == "miss"
        bodies.append(response.content)
    assert bodies[0] != bodies[1]


def test_a_cache_that_cannot_be_reached_never_breaks_a_page(client, visit, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("the cache server is down")

    for kept in (caching.cache, caches["pages"]):
        monkeypatch.setattr(kept, "get", broken)
        monkeypatch.setattr(kept, "set", broken)
    for _ in range(2):
        response = client.get(LIST)
        assert response.status_code == 200
        assert response["X-Cache"] == "miss"
        assert "Prosecutor in Tashkent" in response.content.decode()


def test_the_switch_turns_it_off(client, visit, settings):
    settings.PAGE_CACHE = False
    client.get(LIST)
    response = client.get(LIST)
    assert "X-Cache" not in response
    assert response.templates


def test_a_304_from_a_kept_api_answer_keeps_its_cors_headers(client, visit):
    url = reverse("api:visit_list")
    first = client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    response = client.get(url, headers={"if-none-match": first["ETag"]})
    assert response.status_code == 304
    assert response["X-Cache"] == "hit"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Content-Type" not in response
