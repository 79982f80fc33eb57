"""The pages the benchmark measures, drawn from the database it runs on: every page type of the
site (home, each list unfiltered and filtered, search with a common and a rare word, a list with
a facet opened, every kind of record page, the country, partners and pair pages, the API's visit
list). Imported by bench/run.py in its child process, after django.setup().

Each page is a dict: its name, its addresses (a record page rotates over up to RECORDS records
drawn at random, the same ones every run; the others have one), whether it is a list (lists are
also measured with the page cache through gunicorn) and its kind.
"""

import random

from django.db.models import Count, Max, Min
from django.urls import reverse

from visits.models import (
    Agreement,
    Journey,
    Meeting,
    Organization,
    Person,
    Source,
    Visit,
)

# visits.demo.words.TOPICS: "trade" is the most frequent topic (in about a third of the demo
# visits' texts), "fisheries" one of the rarest (a few %).
COMMON_WORD = "trade"
RARE_WORD = "fisheries"
DATES = "date_after=1990-01-01&date_before=1994-12-31"
RECORDS = 40  # record pages rotate over this many records


def drawn(model, count=RECORDS, seed=1):
    """Up to `count` slugs of `model`, drawn at random from its ids (the same every run)."""
    bounds = model.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    rng = random.Random(seed)
    ids = [rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 10)]
    slugs = dict(model.objects.filter(pk__in=ids).values_list("pk", "slug"))
    return list(dict.fromkeys(slugs[pk] for pk in ids if pk in slugs))[:count]


def busiest_countries():
    """Country codes, busiest first (visits made and received), with their visit counts."""
    busy = {}
    for side in ("guest_country__code", "host_country__code"):
        for code, n in Visit.objects.values_list(side).annotate(n=Count("pk")):
            busy[code] = busy.get(code, 0) + n
    return sorted(busy, key=busy.get, reverse=True), busy


def share(queryset, total):
    return queryset.count() / total if total else 0


def page(name, urls, is_list=False, kind="page"):
    return {"name": name, "urls": urls, "list": is_list, "kind": kind}


def record_page(name, url_name, slugs, first=None):
    urls = [reverse(url_name, kwargs={"slug": slug}) for slug in [first, *slugs] if slug]
    return page(name, list(dict.fromkeys(urls))[:RECORDS], kind="record")


def site_pages():
    """(pages, facts): every page type with its addresses, and what the report says of the
    data (the busiest country and its share, the search words' shares)."""
    total = Visit.objects.count()
    order, busy = busiest_countries()
    first, second = [*order, "US", "CN"][:2]
    involving = busy.get(first, 0) / total if total else 0
    # The first visit page, whose queries are counted, has members, meetings and agreements.
    full = (
        Visit.objects.filter(
            delegation__members__isnull=False, meetings__isnull=False, agreements__isnull=False
        )
        .values_list("slug", flat=True)
        .first()
    )
    visits, meetings, agreements = (
        reverse(name) for name in ("visit_list", "meeting_list", "agreement_list")
    )
    code, other = first.lower(), second.lower()
    pages = [
        page("Home", [reverse("home")]),
        page("Visit list", [visits], True, "list"),
        page(f"… by country ({first})", [f"{visits}?country={first}"], True, "list"),
        page("… by dates (1990–1994)", [f"{visits}?{DATES}"], True, "list"),
        page("… by country and dates", [f"{visits}?country={first}&{DATES}"], True, "list"),
        page(f"… by text, common (q={COMMON_WORD})", [f"{visits}?q={COMMON_WORD}"], True, "list"),
        page(f"… by text, rare (q={RARE_WORD})", [f"{visits}?q={RARE_WORD}"], True, "list"),
        page("… with a facet opened (person)", [f"{visits}?facet=person"], True, "list"),
        page("Meeting list", [meetings], True, "list"),
        page(f"Meetings by country ({first})", [f"{meetings}?country={first}"], True, "list"),
        page("Agreement list", [agreements], True, "list"),
        page(f"Agreements by country ({first})", [f"{agreements}?country={first}"], True, "list"),
        page("Organization list", [reverse("organization_list")], True, "list"),
        page("Person list", [reverse("person_list")], True, "list"),
        page("Journey list", [reverse("journey_list")], True, "list"),
        page("Country list", [reverse("country_list")], True, "list"),
        page("API visit list", [reverse("api:visit_list")], True, "list"),
        record_page("Visit page", "visit_detail", drawn(Visit), first=full),
        record_page("Meeting page", "meeting_detail", drawn(Meeting)),
        record_page("Agreement page", "agreement_detail", drawn(Agreement)),
        record_page("Person page", "person_detail", drawn(Person)),
        record_page("Organization page", "organization_detail", drawn(Organization)),
        record_page("Journey page", "journey_detail", drawn(Journey)),
        record_page("Source page", "source_detail", drawn(Source)),
        page(f"Country page ({first})", [reverse("country_detail", args=[code])]),
        page(f"Partners page ({first})", [reverse("country_partners", args=[code])]),
        page(f"Pair page ({first}–{second})", [reverse("country_pair", args=[code, other])]),
    ]
    skipped = [p["name"] for p in pages if not p["urls"]]
    facts = {
        "visits": total,
        "busiest": first,
        "busiest_share": involving,
        "common_word": COMMON_WORD,
        "common_share": share(Visit.objects.filter(search_text__icontains=COMMON_WORD), total),
        "rare_word": RARE_WORD,
        "rare_share": share(Visit.objects.filter(search_text__icontains=RARE_WORD), total),
        "record_pages": RECORDS,
        "no_records": skipped,  # page types with no record in this database
    }
    return [p for p in pages if p["urls"]], facts
