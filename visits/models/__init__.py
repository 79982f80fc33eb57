"""Diplomatic visits and what surrounds them: countries, organizations, people,
delegations, meetings, agreements, and the sources every record comes from.

Offices are stored where a person takes part (delegation head or member, meeting
participant, signatory: a PersonInRole), because a person's office changes over time.
"""

from .agreements import Agreement, AgreementQuerySet, Signatory
from .base import DatePrecision, JoinText, PersonInRole, SlugQuerySet, format_partial_date
from .countries import AlternateName, Country, CountryName, CountryQuerySet
from .journeys import Journey
from .meetings import Meeting, MeetingParticipant, MeetingQuerySet
from .people import Organization, OrganizationName, Person, PersonName
from .places import PlaceName
from .sources import Source
from .visits import SEARCH_VECTOR, Delegation, DelegationMember, Visit, VisitQuerySet

__all__ = [
    "SEARCH_VECTOR",
    "Agreement",
    "AgreementQuerySet",
    "AlternateName",
    "Country",
    "CountryName",
    "CountryQuerySet",
    "DatePrecision",
    "Delegation",
    "DelegationMember",
    "JoinText",
    "Journey",
    "Meeting",
    "MeetingParticipant",
    "MeetingQuerySet",
    "Organization",
    "OrganizationName",
    "Person",
    "PersonInRole",
    "PersonName",
    "PlaceName",
    "Signatory",
    "SlugQuerySet",
    "Source",
    "Visit",
    "VisitQuerySet",
    "format_partial_date",
]
