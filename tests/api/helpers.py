"""What the API tests share: a set of records with something in every list, and reading
answers."""

import datetime
import json

from tests import factories
from visits.models import Journey, Person, Visit

# Each list's API address and page address (route names), and a filter it takes.
LISTS = {
    "visits": ("api:visit_list", "visit_list", {"country": "AZ", "date_after": "2001"}),
    "meetings": ("api:meeting_list", "meeting_list", {"country": "AZ", "date_after": "2005"}),
    "agreements": (
        "api:agreement_list",
        "agreement_list",
        {"country": "Azerbaijan", "date_before": "2010"},
    ),
    "journeys": ("api:journey_list", "journey_list", {"date_before": "2020"}),
    "organizations": ("api:organization_list", "organization_list", {"q": "Department"}),
    "people": ("api:person_list", "person_list", {"country": "AZ"}),
    "countries": ("api:country_list", "country_list", {"all": "true", "q": "an"}),
}


def journeys(count):
    """A journey for each of `count` visits that have none, its traveller the visit's head."""
    made = []
    without = Visit.objects.filter(journey=None).select_related("delegation__head")
    for visit in without[:count]:
        journey = Journey.objects.create(
            slug=f"journey-{visit.slug}",
            title=f"Journey of {visit.title}",
            traveller=visit.delegation.head,
            start_date=visit.start_date,
            end_date=visit.end_date or visit.start_date,
        )
        Visit.objects.filter(pk=visit.pk).update(journey=journey)
        made.append(journey)
    return made


def records(count=30):
    """`count` visits with all that surrounds them, a journey for each, departments of the
    ministry (organizations with a parent)."""
    factories.many_records(count=count)
    journeys(count)
    ministry = factories.organization("Parent ministry", country=factories.country("AZ"))
    for number in range(count):
        factories.organization(f"Department {number}", country=ministry.country, parent=ministry)
    return Person.objects.filter(name__startswith="Minister").first()


def answer(response, status=200):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def ids(results):
    return [record["id"] for record in results]


def day(text):
    return datetime.date.fromisoformat(text)
