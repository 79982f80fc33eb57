"""Small helpers that make records for a test, with sensible defaults."""

import datetime
import itertools

from visits.models import (
    Agreement,
    Country,
    Delegation,
    Meeting,
    Organization,
    Person,
    Source,
    Visit,
)

_numbers = itertools.count(1)


def country(code):
    return Country.objects.get(code=code.upper())


def organization(name=None, **fields):
    number = next(_numbers)
    fields.setdefault("classification", Organization.Classification.GOVERNMENT_BODY)
    return Organization.objects.create(
        name=name or f"Ministry {number}", slug=f"organization-{number}", **fields
    )


def person(name=None, **fields):
    number = next(_numbers)
    return Person.objects.create(name=name or f"Person {number}", slug=f"person-{number}", **fields)


def source(**fields):
    number = next(_numbers)
    fields.setdefault("publisher", organization(classification="news-agency"))
    return Source.objects.create(slug=f"source-{number}", **fields)


def visit(guest="AZ", host="UZ", start=datetime.date(2020, 1, 1), head=None, **fields):
    number = next(_numbers)
    fields.setdefault("title", f"Visit {number}")
    made = Visit.objects.create(
        slug=f"visit-{number}",
        guest_country=country(guest),
        host_country=country(host),
        start_date=start,
        **fields,
    )
    if head is not None:
        Delegation.objects.create(visit=made, head=head, head_office="Minister")
    return made


def meeting(**fields):
    number = next(_numbers)
    fields.setdefault("title", f"Meeting {number}")
    fields.setdefault("kind", Meeting.Kind.BILATERAL)
    return Meeting.objects.create(slug=f"meeting-{number}", **fields)


def agreement(**fields):
    number = next(_numbers)
    fields.setdefault("title", f"Agreement {number}")
    fields.setdefault("kind", Agreement.Kind.AGREEMENT)
    return Agreement.objects.create(slug=f"agreement-{number}", **fields)
