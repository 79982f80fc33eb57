"""Records as the API gives them: plain dicts of JSON values, with stable field names.

Every record carries `id` (its slug, or a country's code), `url` (its address in the API) and
`html_url` (its page); every other record it names is a link, an object with the same three
and its `name`. Dates are ISO 8601 texts; a value not known is null (an empty text stays
empty). A list's item is the record without its longer collections; the record itself
(`/api/<kind>/<id>/`) has them all.

The functions read only what their querysets fetched (visits.api.endpoints): none of them
makes a query."""

from django.urls import reverse

# The records a link can name: (API route name, page route name, keyword of the route).
ROUTES = {
    "visit": ("api:visit_detail", "visit_detail", "slug"),
    "meeting": ("api:meeting_detail", "meeting_detail", "slug"),
    "agreement": ("api:agreement_detail", "agreement_detail", "slug"),
    "journey": ("api:journey_detail", "journey_detail", "slug"),
    "organization": ("api:organization_detail", "organization_detail", "slug"),
    "person": ("api:person_detail", "person_detail", "slug"),
    "country": ("api:country_detail", "country_detail", "code"),
    "source": ("api:source_detail", "source_detail", "slug"),
}
PLACEHOLDER = "0key0"  # a value every route's converter accepts, replaced by the real one


def day(value):
    return value.isoformat() if value is not None else None


class Links:
    """Absolute addresses of records in the API and on the site, for one request. Each kind's
    address is reversed once and then filled in: a page of 200 records names thousands."""

    def __init__(self, request):
        self.base = request.build_absolute_uri("/")[:-1]
        self.templates = {}

    def template(self, route, keyword):
        found = self.templates.get(route)
        if found is None:
            path = reverse(route, kwargs={keyword: PLACEHOLDER})
            found = self.templates[route] = self.base + path.replace(PLACEHOLDER, "{}", 1)
        return found

    def addresses(self, kind, key):
        """(API address, page address) of a record of a kind, by its key."""
        api_route, page_route, keyword = ROUTES[kind]
        return (
            self.template(api_route, keyword).format(key),
            self.template(page_route, keyword).format(key),
        )

    def absolute(self, path):
        return self.base + path

    def head(self, kind, record):
        """What every record and every link starts with: id, url and html_url."""
        if kind == "country":
            ident, key = record.code, record.code.lower()
        else:
            ident = key = record.slug
        url, html_url = self.addresses(kind, key)
        return {"id": ident, "url": url, "html_url": html_url}

    def link(self, kind, record):
        """A link to a record (or None): its id, name, url and html_url."""
        if record is None:
            return None
        found = self.head(kind, record)
        found["name"] = name_of(kind, record)
        return found

    def links(self, kind, records):
        return [self.link(kind, record) for record in records]

    def role(self, role):
        """A person's part in something, with the office held then and the body stood for."""
        return {
            "person": self.link("person", role.person),
            "office": role.office,
            "organization": self.link("organization", role.organization),
        }


def name_of(kind, record):
    if kind in ("visit", "meeting", "agreement", "journey"):
        return record.title
    if kind == "source":
        return str(record)
    return record.name


def filtered(links, kind, param, value):
    """The address of an API list filtered by one parameter (`/api/visits/?person=…`)."""
    return links.absolute(reverse(f"api:{kind}_list")) + f"?{param}={value}"


# Visits -------------------------------------------------------------------------------------


def visit(links, record):
    delegation = record.delegation_or_none
    return {
        **links.head("visit", record),
        "title": record.title,
        "kind": record.kind,
        "guest_country": links.link("country", record.guest_country),
        "host_country": links.link("country", record.host_country),
        "start_date": day(record.start_date),
        "end_date": day(record.end_date),
        "places": record.places,
        "summary": record.summary,
        "delegation": None
        if delegation is None
        else {
            "organization": links.link("organization", delegation.organization),
            "head": links.link("person", delegation.head),
            "head_office": delegation.head_office,
        },
        "part_of": links.link("visit", record.part_of),
        "journey": links.link("journey", record.journey),
        "sources": links.links("source", record.sources.all()),
        "dataset": record.dataset,
        "record_id": record.record_id,
    }


def visit_record(links, record):
    found = visit(links, record)
    if found["delegation"] is not None:
        found["delegation"]["members"] = [
            links.role(member) for member in record.delegation.members.all()
        ]
    found.update(
        meetings=links.links("meeting", record.meetings.all()),
        agreements=links.links("agreement", record.agreements.all()),
        accompanying=links.links(
            "visit",
            sorted(record.accompanying.all(), key=lambda other: (other.start_date, other.slug)),
        ),
    )
    return found


# Meetings and agreements ----------------------------------------------------------------------


def meeting(links, record):
    return {
        **links.head("meeting", record),
        "title": record.title,
        "kind": record.kind,
        "date": day(record.date),
        "date_precision": record.date_precision,
        "place": record.place,
        "country": links.link("country", record.country),
        "host_organization": links.link("organization", record.host_organization),
        "body": links.link("organization", record.body),
        "ordinal": record.ordinal,
        "visit": links.link("visit", record.visit),
        "summary": record.summary,
        "participants": [
            {**links.role(participant), "role": participant.role}
            for participant in record.participants.all()
        ],
        "sources": links.links("source", record.sources.all()),
    }


def meeting_record(links, record):
    return {
        **meeting(links, record),
        "agreements": links.links("agreement", record.agreements.all()),
    }


def agreement(links, record):
    return {
        **links.head("agreement", record),
        "title": record.title,
        "kind": record.kind,
        "signed_on": day(record.signed_on),
        "signed_precision": record.signed_precision,
        "signed_place": record.signed_place,
        "signed_country": links.link("country", record.signed_country),
        "valid_from": day(record.valid_from),
        "valid_until": day(record.valid_until),
        "validity_precision": record.validity_precision,
        "party_countries": links.links("country", record.party_countries.all()),
        "party_organizations": links.links("organization", record.party_organizations.all()),
        "signatories": [links.role(signatory) for signatory in record.signatories.all()],
        "visit": links.link("visit", record.visit),
        "meeting": links.link("meeting", record.meeting),
        "summary": record.summary,
        "sources": links.links("source", record.sources.all()),
    }


agreement_record = agreement  # an agreement's list item is the whole record


# Journeys -------------------------------------------------------------------------------------


def journey(links, record):
    return {
        **links.head("journey", record),
        "title": record.title,
        "traveller": links.link("person", record.traveller),
        "start_date": day(record.start_date),
        "end_date": day(record.end_date),
        "days": record.days,
        "stop_count": record.stop_count or 0,
        "country_count": record.country_count or 0,
        "grouping": record.grouping,
    }


def journey_record(links, record):
    found = journey(links, record)
    found["stops"] = [
        {
            **links.link("visit", stop),
            "start_date": day(stop.start_date),
            "end_date": day(stop.end_date),
            "host_country": links.link("country", stop.host_country),
        }
        for stop in record.stops.all()
    ]
    return found


# Organizations, people, countries and sources ------------------------------------------------


def organization(links, record):
    return {
        **links.head("organization", record),
        "name": record.name,
        "short_name": record.short_name,
        "classification": record.classification,
        "country": links.link("country", record.country),
        "parent": links.link("organization", record.parent),
    }


def organization_record(links, record):
    return {
        **organization(links, record),
        "children": links.links("organization", record.children.all()),
        "visits_url": filtered(links, "visit", "organization", record.slug),
        "meetings_url": filtered(links, "meeting", "organization", record.slug),
        "agreements_url": filtered(links, "agreement", "organization", record.slug),
    }


def person(links, record):
    return {
        **links.head("person", record),
        "name": record.name,
        "country": links.link("country", record.country),
    }


def person_record(links, record):
    return {
        **person(links, record),
        "other_names": [
            {"name": other.name, "language": other.language}
            for other in record.names.all()
            if other.name != record.name
        ],
        "visits_url": filtered(links, "visit", "person", record.slug),
        "meetings_url": filtered(links, "meeting", "person", record.slug),
        "agreements_url": filtered(links, "agreement", "person", record.slug),
        "journeys_url": filtered(links, "journey", "person", record.slug),
    }


def country(links, record):
    """A country, with the visits it made and received (record.visit_counts: the pair, as
    the country list counts them)."""
    made, received = getattr(record, "visit_counts", (0, 0))
    return {
        **links.head("country", record),
        "name": record.name,
        "official_name": record.official_name,
        "alpha_3": record.alpha_3,
        "numeric": record.numeric,
        "status": record.status,
        "withdrawn": record.withdrawn,
        "visits_made_count": made,
        "visits_received_count": received,
    }


def country_record(links, record):
    code = record.code
    return {
        **country(links, record),
        "visits_url": filtered(links, "visit", "country", code),
        "visits_made_url": filtered(links, "visit", "guest", code),
        "visits_received_url": filtered(links, "visit", "host", code),
        "meetings_url": filtered(links, "meeting", "country", code),
        "agreements_url": filtered(links, "agreement", "country", code),
        "organizations_url": filtered(links, "organization", "country", code),
        "people_url": filtered(links, "person", "country", code),
    }


def source_record(links, record):
    """A source, with the first records taken from it (record.cuts: visits.views.details
    first_rows of each kind) and how many there are of each."""
    found = {
        **links.head("source", record),
        "name": str(record),
        "title": record.title,
        "publisher": links.link("organization", record.publisher),
        "dateline": record.dateline,
        "published_on": day(record.published_on),
        "document_url": record.url,
    }
    for kind, plural in (("visit", "visits"), ("meeting", "meetings"), ("agreement", "agreements")):
        cut = record.cuts[plural]
        found[plural] = links.links(kind, cut.rows)
        found[f"{kind}_count"] = cut.total
    return found
