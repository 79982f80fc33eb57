"""The API's description: an OpenAPI 3.1 document (/api/openapi.json) and what its page
(/api/) shows, both built here from the same parts, so they cannot disagree.

Each list's parameters are read from its FilterSet (visits.filters): their names, whether
they repeat, their type and values (choices, limits) come from the filters' form fields, and
what they mean from the QuerySet rule a filter names (its docstring) or, for the parameters
every list shares, from MEANINGS below. A filter added to a list is documented at once.
The paths are reversed from visits.api.urls. The shapes of the answers are written here and
checked against real answers by the tests (tests/api/test_schema.py)."""

from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django_filters.fields import RangeField

from ..forms import DATE_HINT, MAX_VALUES, CountryCodesField, PartialDateField, RecordField
from ..listing import PER_PAGE
from .endpoints import ENDPOINTS
from .shapes import STRING, components, ref

TITLE = "Diplomatic visits API"
VERSION = "1.0"

# What the parameters that no QuerySet rule explains mean (the others: the rule's docstring).
MEANINGS = {
    "q": "Free text: every word must appear, in any field (a phrase in double quotes "
    "matches as written).",
    "page": "The page number, from 1. A number past the last page is a 404.",
    "per_page": f"How many records a page holds (default {PER_PAGE}).",
    "sort": "A column, ascending, or with `-` descending. Default: newest first (for visits "
    "with a text search, the best match first).",
    "date_after": "From this day: a year or month means its first day. Visits and journeys "
    "match when they overlap the period; meetings by their date, agreements by signature.",
    "date_before": "Until this day: a year or month means its last day.",
    "year": "A whole year, as a period (as date_after and date_before).",
    "guest": "The visits made by this country (the one that travelled).",
    "host": "The visits received by this country.",
    "in_force_on": "In force on that day: its validity (else its signature) has begun and "
    "not ended.",
    "events": "`once`: leave out the visits that were part of another (a Secretary of State "
    "who accompanied the President), so that each event counts once.",
    "status": "current (ISO 3166-1), former (ISO 3166-3) or other (no ISO code).",
    "all": "true: include the countries that no record refers to.",
    "person": "A person taking part.",
    "organization": "An organization taking part.",
    "country": "A country.",
}
WRITTEN = {
    CountryCodesField: "A country's code or name, in any case (AZ, uz, Uzbekistan); repeat "
    "the parameter for any of several.",
    RecordField: "A slug, or the exact name (any case).",
    PartialDateField: DATE_HINT.replace("e.g.", "As") + ".",
}
EXAMPLES = {
    "visit": "country=AZ&date_after=2025-09",
    "meeting": "country=UZ&year=2025",
    "agreement": "country=AZ&in_force_on=2026-01-01",
    "journey": "date_after=2025&per_page=25",
    "organization": "country=AZ",
    "person": "q=Aliyev",
    "country": "q=stan",
}
RECORD_EXAMPLES = {
    "visit": "2025-09-24-azerbaijan-uzbekistan-prosecutor-general",
    "meeting": "4th-meeting-general-prosecutors-council-organization-of-turkic-states",
    "agreement": "azerbaijan-uzbekistan-prosecutors-cooperation-program-2026-2027",
    "journey": "SLUG",
    "organization": "organization-of-turkic-states",
    "person": "kamran-aliyev",
    "country": "az",
    "source": "azertac-2025-09-25-prosecutor-general-visit",
}


@dataclass
class Parameter:
    name: str
    description: str
    schema: dict
    repeatable: bool = False

    @property
    def type_text(self):
        """The type as the page says it."""
        schema = self.schema.get("items", self.schema)
        if "enum" in schema:
            return "one of " + ", ".join(f"{value}" for value in schema["enum"])
        if "pattern" in schema:
            return "date: year, month or day"
        if schema.get("type") == "integer":
            return f"whole number, {schema['minimum']} to {schema['maximum']}"
        return {"boolean": "true or false"}.get(schema.get("type"), schema.get("format", "text"))

    def as_openapi(self):
        found = {
            "name": self.name,
            "in": "query",
            "required": False,
            "description": self.description,
            "schema": self.schema,
        }
        if self.repeatable:
            found.update(style="form", explode=True)
        return found


def first_sentence(text):
    text = " ".join((text or "").split())
    return text.split(". ")[0].rstrip(".") + "." if text else ""


def meaning(model, name, filter_):
    rule = getattr(filter_, "rule", None)
    if rule:
        doc = getattr(model._default_manager._queryset_class, rule).__doc__
        if doc:
            return first_sentence(doc)
    return MEANINGS.get(name, "")


def value_schema(field):
    """The JSON Schema of one value of a form field."""
    if isinstance(field, PartialDateField):
        return {"type": "string", "pattern": r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"}
    if isinstance(field, RecordField):
        return {"type": "string", "maxLength": 200}
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [str(key) for key, _ in field.choices if key != ""]}
    if isinstance(field, forms.IntegerField):
        return {"type": "integer", "minimum": field.min_value, "maximum": field.max_value}
    if isinstance(field, forms.DateField):
        return {"type": "string", "format": "date"}
    if isinstance(field, forms.NullBooleanField):
        return {"type": "boolean"}
    found = {"type": "string"}
    if getattr(field, "max_length", None):
        found["maxLength"] = field.max_length
    return found


def described(*parts):
    return " ".join(str(part).strip() for part in parts if part and str(part).strip())


def choices_text(field):
    if isinstance(field, forms.ChoiceField) and not isinstance(field, RecordField):
        shown = [f"{key} ({label})" for key, label in field.choices if key != "" and key != label]
        return "Values: " + ", ".join(shown) + "." if shown else ""
    return ""


def parameters(filterset_class):
    """The query parameters of a list, in the order of its form, from its FilterSet."""
    filterset = filterset_class()
    model = filterset_class._meta.model
    found = []
    for name in filterset.form.fields:
        if name == "facet":  # the pages' facets: not in the API
            continue
        filter_ = filterset.filters[name]
        field = filter_.field
        label = str(filter_.label or name)
        if isinstance(field, RangeField):
            labels = getattr(field.widget, "summary_labels", field.widget.suffixes)
            for suffix, end_label, end_field in zip(
                field.widget.suffixes, labels, field.fields, strict=True
            ):
                param = f"{name}_{suffix}"
                text = described(f"{end_label}.", MEANINGS.get(param), WRITTEN[type(end_field)])
                found.append(Parameter(param, text, value_schema(end_field)))
            continue
        written = WRITTEN.get(type(field), "")
        text = described(f"{label}.", meaning(model, name, filter_), written, choices_text(field))
        if isinstance(field, CountryCodesField):
            items = {"type": "string", "maxLength": 200}
            schema = {"type": "array", "items": items, "maxItems": MAX_VALUES}
            found.append(Parameter(name, text, schema, repeatable=True))
        else:
            found.append(Parameter(name, text, value_schema(field)))
    return found


# The document ---------------------------------------------------------------------------------


def path_of(route, **keys):
    """An address of visits.api.urls as an OpenAPI path: `/api/visits/{slug}/`."""
    placeholders = {name: f"0{name}0" for name in keys}
    path = reverse(route, kwargs=placeholders) if keys else reverse(route)
    for name, placeholder in placeholders.items():
        path = path.replace(placeholder, "{" + name + "}")
    return path


def response(description, schema_name=None, media="application/json", headers=None):
    found = {"description": description}
    if schema_name:
        found["content"] = {media: {"schema": ref(schema_name)}}
    if headers:
        found["headers"] = headers
    return found


FRESH = {
    "ETag": {"description": "The version of the answer (from the data version).", "schema": STRING},
    "Access-Control-Allow-Origin": {"description": "Always `*`.", "schema": STRING},
}
NOT_MODIFIED = {"description": "Not Modified: the If-None-Match given is the current version."}


def key_parameter(name, description):
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


def record_operations(endpoint):
    """The list and record paths of one kind of record."""
    model = endpoint.model._meta
    name = model.object_name
    keyword = endpoint.key
    key_text = "The country's code, in any case (az)." if keyword == "code" else "Its slug."
    list_operation = {
        "operationId": f"list_{endpoint.plural}",
        "summary": f"{model.verbose_name_plural.capitalize()}, filtered and paged",
        "description": endpoint.summary + " The same filters, order and messages as the page "
        f"{reverse(f'{endpoint.name}_list')}.",
        "tags": [endpoint.plural],
        "parameters": [
            parameter.as_openapi() for parameter in parameters(endpoint.filterset_class)
        ],
        "responses": {
            "200": response(
                f"A page of {model.verbose_name_plural}.", f"{name}Page", headers=FRESH
            ),
            "304": NOT_MODIFIED,
            "400": response("A parameter could not be used: the messages, by parameter.", "Error"),
            "404": response("A page past the last.", "Error"),
        },
    }
    record_operation = {
        "operationId": f"get_{endpoint.name}",
        "summary": f"A {model.verbose_name}, with everything it links to",
        "tags": [endpoint.plural],
        "parameters": [key_parameter(keyword, key_text)],
        "responses": {
            "200": response(f"The {model.verbose_name}.", f"{name}Record", headers=FRESH),
            "304": NOT_MODIFIED,
            "404": response(f"No {model.verbose_name} has that {keyword}.", "Error"),
        },
    }
    return {
        path_of(f"api:{endpoint.name}_list"): {"get": list_operation},
        path_of(f"api:{endpoint.name}_detail", **{keyword: 1}): {"get": record_operation},
    }


def document(request):
    """The OpenAPI 3.1 document of the API, its server the site that serves it."""
    paths = {
        path_of("api:index"): {
            "get": {
                "operationId": "guide",
                "summary": "This description, as a page",
                "tags": ["description"],
                "responses": {"200": {"description": "The page.", "content": {"text/html": {}}}},
            }
        },
        path_of("api:openapi"): {
            "get": {
                "operationId": "openapi",
                "summary": "This description, as an OpenAPI 3.1 document",
                "tags": ["description"],
                "responses": {
                    "200": {
                        "description": "The document.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    }
    for endpoint in ENDPOINTS:
        paths.update(record_operations(endpoint))
    paths[path_of("api:source_detail", slug=1)] = {
        "get": {
            "operationId": "get_source",
            "summary": "A source, with the first 50 records of each kind taken from it",
            "tags": ["sources"],
            "parameters": [key_parameter("slug", "Its slug.")],
            "responses": {
                "200": response("The source.", "SourceRecord", headers=FRESH),
                "304": NOT_MODIFIED,
                "404": response("No source has that slug.", "Error"),
            },
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": "Read-only JSON of every list and record of the diplomatic visits "
            "records. Lists take the same filter parameters as the site's lists and page their "
            f"results ({PER_PAGE} a page unless per_page says otherwise) with absolute `next` "
            "and `previous` links. Every answer allows any origin (CORS) and carries an ETag; "
            "send it back in If-None-Match for a 304 while the data has not changed.",
        },
        "servers": [{"url": request.build_absolute_uri("/")[:-1]}],
        "paths": paths,
        "components": components(),
    }


# The page -------------------------------------------------------------------------------------


def guide(request):
    """What /api/ shows: each list with its parameters and an example, each record's address."""
    base = request.build_absolute_uri("/")[:-1]
    lists, records = [], []
    for endpoint in ENDPOINTS:
        path = path_of(f"api:{endpoint.name}_list")
        lists.append(
            {
                "name": endpoint.plural,
                "path": path,
                "summary": endpoint.summary,
                "page": reverse(f"{endpoint.name}_list"),
                "parameters": parameters(endpoint.filterset_class),
                "curl": f"curl '{base}{path}?{EXAMPLES[endpoint.name]}'",
            }
        )
        records.append(record_example(base, endpoint.name, endpoint.key))
    records.append(record_example(base, "source", "slug"))
    return {
        "lists": lists,
        "records": records,
        "openapi_url": reverse("api:openapi"),
        "base": base,
        "per_page": PER_PAGE,
    }


def record_example(base, name, keyword):
    example = RECORD_EXAMPLES[name]
    return {
        "name": name,
        "path": path_of(f"api:{name}_detail", **{keyword: 1}),
        "curl": f"curl '{base}{reverse(f'api:{name}_detail', kwargs={keyword: example})}'",
    }
