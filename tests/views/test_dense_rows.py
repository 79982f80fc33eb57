"""A visit list row is dense: compact dates, the kind as a short tag, the head on the title's
line."""

import datetime

import pytest

from visits.templatetags.records import compact_period

D = datetime.date


@pytest.mark.parametrize(
    "start, end, shown",
    [
        (D(2025, 9, 24), None, '<time datetime="2025-09-24">24 Sep 2025</time>'),
        (D(2025, 9, 24), D(2025, 9, 24), '<time datetime="2025-09-24">24 Sep 2025</time>'),
        (
            D(2025, 2, 17),
            D(2025, 2, 19),
            '<time datetime="2025-02-17">17</time>–<time datetime="2025-02-19">19 Feb 2025</time>',
        ),
        (
            D(2025, 1, 30),
            D(2025, 2, 2),
            '<time datetime="2025-01-30">30 Jan</time> – '
            '<time datetime="2025-02-02">2 Feb 2025</time>',
        ),
        (
            D(2024, 12, 28),
            D(2025, 1, 2),
            '<time datetime="2024-12-28">28 Dec 2024</time> – '
            '<time datetime="2025-01-02">2 Jan 2025</time>',
        ),
    ],
    ids=["one day", "same day", "same month", "same year", "over new year"],
)
def test_dates_are_compact_and_machine_readable(start, end, shown):
    assert compact_period(start, end) == shown


@pytest.mark.django_db
def test_a_row_tags_the_kind_and_says_when_it_is_not_stated(client, article):
    from tests import factories

    factories.visit(guest="US", host="FR", kind="unspecified", title="Unstated kind")
    page = client.get("/visits/").content.decode()
    assert '<td data-label="Kind"><span class="tag">official</span></td>' in page
    assert '<span class="visually-hidden">kind not stated</span>' in page
    assert ">visit (kind not stated)</td>" not in page
    assert "· led by <a" in page
