"""A visit list row is dense: compact dates, the kind as a short tag, the head on the title's
line."""

import datetime

import pytest

from visits.models import Agreement
from visits.templatetags.records import compact_period, validity

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
    assert (
        '<td data-label="Kind" class="unstated"><span class="muted" aria-hidden="true">–</span>'
        '<span class="visually-hidden">kind not stated</span></td>' in page
    )
    assert ">visit (kind not stated)</td>" not in page


@pytest.mark.django_db
def test_a_row_names_the_head_only_where_the_title_does_not(client, article):
    from tests import factories

    head = factories.person("Jane Example")
    factories.visit(guest="US", host="FR", head=head, title="Talks in Paris")
    page = client.get("/visits/").content.decode()
    assert f'· led by <a href="/people/{head.slug}/">Jane Example</a>' in page
    assert "Official visit of Prosecutor General Kamran Aliyev to Uzbekistan</a></th>" in page
    assert ">Kamran Aliyev</a>" not in page, "the title names him already"


@pytest.mark.django_db
def test_guest_and_host_are_codes_with_the_names_for_screen_readers(client, article):
    page = client.get("/visits/").content.decode()
    assert (
        '<td data-label="Guest → host" class="route">'
        '<a href="/countries/az/" title="Azerbaijan"><span class="code">AZ</span>'
        '<span class="name"> Azerbaijan</span></a>'
        '<span aria-hidden="true"> → </span><span class="visually-hidden"> to </span>'
        '<a href="/countries/uz/" title="Uzbekistan"><span class="code">UZ</span>'
        '<span class="name"> Uzbekistan</span></a></td>'
    ) in page


@pytest.mark.parametrize(
    "start, end, precision, shown",
    [
        (
            D(2025, 1, 1),
            D(2027, 12, 31),
            "year",
            '<time datetime="2025">2025</time>–<time datetime="2027">2027</time>',
        ),
        (D(2025, 1, 1), D(2025, 12, 31), "year", '<time datetime="2025">2025</time>'),
        (
            D(2025, 10, 1),
            D(2027, 9, 30),
            "day",
            'from <time datetime="2025-10-01">1 October 2025</time> '
            'until <time datetime="2027-09-30">30 September 2027</time>',
        ),
        (D(2025, 9, 1), None, "month", 'from <time datetime="2025-09">September 2025</time>'),
        (None, D(2030, 1, 1), "year", 'until <time datetime="2030">2030</time>'),
        (None, None, "day", ""),
    ],
)
def test_an_agreements_validity_is_shown_as_precisely_as_it_is_known(start, end, precision, shown):
    """The agreement list draws this for each row, without an include."""
    agreement = Agreement(valid_from=start, valid_until=end, validity_precision=precision)
    assert validity(agreement) == shown
