"""Public pages: lists that filter, and a page for every record."""

from .details import (
    agreement_detail,
    country_detail,
    country_partners,
    journey_detail,
    meeting_detail,
    organization_detail,
    person_detail,
    source_detail,
    visit_detail,
)
from .lists import (
    agreement_list,
    country_list,
    home,
    journey_list,
    meeting_list,
    organization_list,
    person_list,
    visit_list,
)
from .pairs import country_pair
from .site import favicon, healthz, robots_txt

__all__ = [
    "agreement_detail",
    "agreement_list",
    "country_detail",
    "country_list",
    "country_pair",
    "country_partners",
    "favicon",
    "healthz",
    "home",
    "journey_detail",
    "journey_list",
    "meeting_detail",
    "meeting_list",
    "organization_detail",
    "organization_list",
    "person_detail",
    "person_list",
    "robots_txt",
    "source_detail",
    "visit_detail",
    "visit_list",
]
