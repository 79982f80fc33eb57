"""The shapes of the API's answers, as JSON Schema (OpenAPI 3.1's dialect): one per list
item, record, page of a list and error. Every property is always there (null when not known)
and no other is: the tests check real answers against these (tests/api/test_schema.py)."""

from ..models import (
    Agreement,
    Country,
    DatePrecision,
    Journey,
    Meeting,
    MeetingParticipant,
    Organization,
    Visit,
)

STRING = {"type": "string"}
URI = {"type": "string", "format": "uri"}
DATE = {"type": ["string", "null"], "format": "date"}
COUNT = {"type": "integer", "minimum": 0}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def maybe(schema):
    return {"oneOf": [schema, {"type": "null"}]}


def many(schema):
    return {"type": "array", "items": schema}


def choice(values):
    return {"type": "string", "enum": list(values)}


def shape(**properties):
    """An object whose properties are always all there (null when not known)."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


HEAD = {"id": STRING, "url": URI, "html_url": URI}
LINK = ref("Link")
ROLE = {"person": LINK, "office": STRING, "organization": maybe(LINK)}
DELEGATION = {"organization": maybe(LINK), "head": maybe(LINK), "head_office": STRING}
VISIT = {
    **HEAD,
    "title": STRING,
    "kind": choice(Visit.Kind.values),
    "guest_country": LINK,
    "host_country": LINK,
    "start_date": {"type": "string", "format": "date"},
    "end_date": DATE,
    "places": STRING,
    "summary": STRING,
    "delegation": maybe(shape(**DELEGATION)),
    "part_of": maybe(LINK),
    "journey": maybe(LINK),
    "sources": many(LINK),
    "dataset": STRING,
    "record_id": STRING,
}
MEETING = {
    **HEAD,
    "title": STRING,
    "kind": choice(Meeting.Kind.values),
    "date": DATE,
    "date_precision": choice(DatePrecision.values),
    "place": STRING,
    "country": maybe(LINK),
    "host_organization": maybe(LINK),
    "body": maybe(LINK),
    "ordinal": {"type": ["integer", "null"]},
    "visit": maybe(LINK),
    "summary": STRING,
    "participants": many(shape(**ROLE, role=choice(MeetingParticipant.Role.values))),
    "sources": many(LINK),
}
AGREEMENT = {
    **HEAD,
    "title": STRING,
    "kind": choice(Agreement.Kind.values),
    "signed_on": DATE,
    "signed_precision": choice(DatePrecision.values),
    "signed_place": STRING,
    "signed_country": maybe(LINK),
    "valid_from": DATE,
    "valid_until": DATE,
    "validity_precision": choice(DatePrecision.values),
    "party_countries": many(LINK),
    "party_organizations": many(LINK),
    "signatories": many(shape(**ROLE)),
    "visit": maybe(LINK),
    "meeting": maybe(LINK),
    "summary": STRING,
    "sources": many(LINK),
}
JOURNEY = {
    **HEAD,
    "title": STRING,
    "traveller": maybe(LINK),
    "start_date": {"type": "string", "format": "date"},
    "end_date": {"type": "string", "format": "date"},
    "days": COUNT,
    "stop_count": COUNT,
    "country_count": COUNT,
    "grouping": choice(Journey.Grouping.values),
}
ORGANIZATION = {
    **HEAD,
    "name": STRING,
    "short_name": STRING,
    "classification": choice(Organization.Classification.values),
    "country": maybe(LINK),
    "parent": maybe(LINK),
}
PERSON = {**HEAD, "name": STRING, "country": maybe(LINK)}
COUNTRY = {
    **HEAD,
    "name": STRING,
    "official_name": STRING,
    "alpha_3": STRING,
    "numeric": STRING,
    "status": choice(Country.Status.values),
    "withdrawn": STRING,
    "visits_made_count": COUNT,
    "visits_received_count": COUNT,
}


def filtered_urls(*names):
    return {f"{name}_url": URI for name in names}


ITEMS = {
    "Visit": VISIT,
    "Meeting": MEETING,
    "Agreement": AGREEMENT,
    "Journey": JOURNEY,
    "Organization": ORGANIZATION,
    "Person": PERSON,
    "Country": COUNTRY,
}
RECORDS = {
    "VisitRecord": {
        **VISIT,
        "delegation": maybe(shape(**DELEGATION, members=many(shape(**ROLE)))),
        "meetings": many(LINK),
        "agreements": many(LINK),
        "accompanying": many(LINK),
    },
    "MeetingRecord": {**MEETING, "agreements": many(LINK)},
    "AgreementRecord": AGREEMENT,
    "JourneyRecord": {
        **JOURNEY,
        "stops": many(
            shape(
                **HEAD,
                name=STRING,
                start_date={"type": "string", "format": "date"},
                end_date=DATE,
                host_country=LINK,
            )
        ),
    },
    "OrganizationRecord": {
        **ORGANIZATION,
        "children": many(LINK),
        **filtered_urls("visits", "meetings", "agreements"),
    },
    "PersonRecord": {
        **PERSON,
        "other_names": many(shape(name=STRING, language=STRING)),
        **filtered_urls("visits", "meetings", "agreements", "journeys"),
    },
    "CountryRecord": {
        **COUNTRY,
        **filtered_urls(
            "visits",
            "visits_made",
            "visits_received",
            "meetings",
            "agreements",
            "organizations",
            "people",
        ),
    },
    "SourceRecord": {
        **HEAD,
        "name": STRING,
        "title": STRING,
        "publisher": LINK,
        "dateline": STRING,
        "published_on": DATE,
        "document_url": STRING,
        "visits": many(LINK),
        "visit_count": COUNT,
        "meetings": many(LINK),
        "meeting_count": COUNT,
        "agreements": many(LINK),
        "agreement_count": COUNT,
    },
}


def components():
    schemas = {
        "Link": shape(**HEAD, name=STRING),
        "Error": {
            "type": "object",
            "properties": {
                "detail": STRING,
                "errors": {"type": "object", "additionalProperties": many(STRING)},
            },
            "required": ["detail"],
            "additionalProperties": False,
        },
    }
    for name, properties in ITEMS.items():
        schemas[name] = shape(**properties)
        schemas[f"{name}Page"] = shape(
            count=COUNT, next=maybe(URI), previous=maybe(URI), results=many(ref(name))
        )
    for name, properties in RECORDS.items():
        schemas[name] = shape(**properties)
    return {"schemas": schemas}
