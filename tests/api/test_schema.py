"""The API's description: a valid OpenAPI document that lists every address of the API, every
parameter of every list's FilterSet, and response shapes that real answers fit; and its page."""

import re

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django_filters.fields import RangeField
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from tests import factories
from visits.api.endpoints import ENDPOINTS

from .helpers import answer, records

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client):
    return answer(client.get(reverse("api:openapi")))


def api_routes():
    """The OpenAPI form of every address visits.urls serves under /api/ (its JSON 404 for
    anything else aside)."""
    for outer in get_resolver().url_patterns:
        if isinstance(outer, URLResolver) and outer.namespace == "api":
            prefix = "/" + str(outer.pattern)
            for pattern in outer.url_patterns:
                if pattern.name != "not_found":
                    yield prefix + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))


def parameter_names(filterset_class):
    """The query parameters a FilterSet reads, as its form names them."""
    names = set()
    for name, filter_ in filterset_class.base_filters.items():
        if issubclass(filter_.field_class, RangeField):
            names.update(f"{name}_{suffix}" for suffix in filter_.field_class.widget.suffixes)
        else:
            names.add(name)
    return names - {"facet"}


def check(document, name, instance):
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        instance
    )


def test_the_document_is_valid_openapi_and_lists_every_address(document):
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": "http://testserver"}]
    routes = set(api_routes())
    assert len(routes) == 2 + 2 * len(ENDPOINTS) + 1
    assert set(document["paths"]) == routes
    assert "/api/countries/{code}/" in routes and "/api/visits/{slug}/" in routes


def test_each_list_documents_its_filtersets_parameters(document):
    for endpoint in ENDPOINTS:
        operation = document["paths"][reverse(f"api:{endpoint.name}_list")]["get"]
        documented = {parameter["name"]: parameter for parameter in operation["parameters"]}
        assert set(documented) == parameter_names(endpoint.filterset_class), endpoint.name
        for parameter in documented.values():
            assert parameter["in"] == "query" and parameter["description"]
    visits = {
        parameter["name"]: parameter
        for parameter in document["paths"]["/api/visits/"]["get"]["parameters"]
    }
    assert visits["country"]["schema"]["type"] == "array" and visits["country"]["explode"]
    assert "Made by or to any of the countries" in visits["country"]["description"]
    assert visits["kind"]["schema"]["enum"][:2] == ["state", "official"]
    assert visits["per_page"]["schema"]["enum"] == ["25", "50", "100", "200"]
    assert visits["year"]["schema"] == {"type": "integer", "minimum": 1000, "maximum": 9999}
    assert "explode" not in visits["q"]
    agreements = {
        parameter["name"]: parameter
        for parameter in document["paths"]["/api/agreements/"]["get"]["parameters"]
    }
    assert agreements["in_force_on"]["schema"]["format"] == "date"
    assert agreements["country"]["description"].startswith(
        "Country. A party is one of the countries"
    )


def test_every_answer_fits_its_documented_shape(client, document, article):
    records(count=3)
    factories.visit(part_of=factories.visit(), title="Accompanying")
    for endpoint in ENDPOINTS:
        name = endpoint.model._meta.object_name
        page = answer(client.get(reverse(f"api:{endpoint.name}_list"), {"per_page": "200"}))
        check(document, f"{name}Page", page)
        assert page["results"], endpoint.name
        for item in page["results"][:40]:
            check(document, f"{name}Record", answer(client.get(item["url"])))
    source = answer(
        client.get(
            reverse("api:source_detail", args=["azertac-2025-09-25-prosecutor-general-visit"])
        )
    )
    check(document, "SourceRecord", source)
    check(document, "Error", answer(client.get("/api/visits/?country=Narnia&year=1"), 400))
    check(document, "Error", answer(client.get("/api/visits/none/"), 404))


def test_the_page_describes_every_list_and_record_without_inline_code(client, db):
    response = client.get(reverse("api:index"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Access-Control-Allow-Origin"] == "*" and response.has_header("ETag")
    page = response.content.decode()
    assert "<title>API · Diplomatic visits</title>" in page
    assert '<main id="content"' in page
    assert f'href="{reverse("api:openapi")}"' in page
    for endpoint in ENDPOINTS:
        path = reverse(f"api:{endpoint.name}_list")
        assert f'<h2 id="api-{endpoint.plural}"><code>{path}</code></h2>' in page
        assert f"curl &#x27;http://testserver{path}?" in page
        for name in parameter_names(endpoint.filterset_class):
            assert f'<th scope="row"><code>{name}</code></th>' in page
    assert "/api/countries/{code}/" in page and "/api/sources/{slug}/" in page
    assert "curl &#x27;http://testserver/api/people/kamran-aliyev/&#x27;" in page
    # Under the CSP: no inline script or style.
    assert "<style" not in page and " style=" not in page
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))
