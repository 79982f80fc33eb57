"""A timeline that helps: drawn from the first year with data (a few outlier years before a
long gap are noted, not drawn), bars that link to their year's list with the page's filters,
labels spaced never to touch, and the figures alone for fewer than three periods."""

import datetime
import itertools
import re

import pytest
from django.urls import reverse

from tests import factories
from visits.models import Visit
from visits.timeline import LABEL_SIZE, build, text_width

pytestmark = pytest.mark.django_db


def drawn_periods(html):
    return re.findall(r'<rect class="bar"[^>]*data-period="([^"]+)"', html)


def test_outlier_years_before_a_long_gap_are_noted_not_drawn(client):
    factories.visit("AZ", "UZ", datetime.date(1866, 1, 9))
    for year in range(1990, 2021):
        for _ in range(3):
            factories.visit("AZ", "UZ", datetime.date(year, 5, 1))
    timeline = build(Visit.objects.all())
    assert timeline.bars[0].label == "1990" and timeline.bars[-1].label == "2020"
    assert timeline.omitted.label == "1866" and timeline.omitted.visits == 1
    html = client.get(reverse("home")).content.decode()
    assert drawn_periods(html)[0] == "1990"
    assert "Not drawn: 1866, 1 visit, 123 years before the next." in html
    assert 'data-count="1" data-period="1866"' in html, "the figures keep every visit"


def test_a_gap_with_many_visits_before_it_is_drawn():
    for year in (1950, 1951, 1952, 1990, 1991):
        for _ in range(5):
            factories.visit("AZ", "UZ", datetime.date(year, 1, 1))
    timeline = build(Visit.objects.all())
    assert timeline.omitted is None and timeline.bars[0].label == "1950"


def test_bars_link_to_their_year_keeping_the_filters(client):
    for year in (2019, 2020, 2022):
        factories.visit("AZ", "UZ", datetime.date(year, 3, 1))
    page = client.get(
        reverse("visit_list"), {"guest": "AZ", "year": "", "sort": "date"}, follow=True
    )
    html = page.content.decode()
    assert '<a href="/visits/?guest=AZ&amp;sort=date&amp;year=2020" tabindex="-1">' in html
    country = client.get(reverse("country_detail", args=["az"])).content.decode()
    assert '<a href="/visits/?country=AZ&amp;year=2019" tabindex="-1">' in country
    home = client.get(reverse("home")).content.decode()
    assert '<a href="/visits/?year=2022">2022</a>' in home, "the figures link too"


def test_month_bars_link_to_their_month(client):
    for day in (datetime.date(2024, 1, 3), datetime.date(2024, 2, 3), datetime.date(2024, 4, 3)):
        factories.visit("AZ", "UZ", day)
    html = client.get(reverse("home")).content.decode()
    assert '<a href="/visits/?date_after=2024-02-01&amp;date_before=2024-02-29"' in html


def test_fewer_than_three_periods_give_the_figures_alone(client):
    factories.visit("AZ", "UZ", datetime.date(2024, 1, 3))
    factories.visit("AZ", "UZ", datetime.date(2024, 2, 3))
    html = client.get(reverse("home")).content.decode()
    assert "<svg" not in html.split('class="timeline-figures"')[0].split("<main")[1]
    assert drawn_periods(html) == []
    assert 'data-count="1" data-period="Jan 2024"' in html


def test_labels_never_touch_and_zero_is_not_printed():
    for year in range(1900, 2026):
        factories.visit("AZ", "UZ", datetime.date(year, 1, 1))
    timeline = build(Visit.objects.all())
    shown = [float(bar.middle) for bar in timeline.bars if bar.show_label]
    assert len(shown) >= 4
    gaps = [b - a for a, b in itertools.pairwise(shown)]
    assert min(gaps) > text_width("2000") + LABEL_SIZE / 2
    assert all(int(bar.label) % 10 == 0 for bar in timeline.bars if bar.show_label)
    assert timeline.ticks[0]["value"] == "", "no 0 to collide with the first year"


def test_the_chart_is_kept_as_rendered_text(client, monkeypatch):
    from visits.templatetags import timelines

    rendered = []
    original = timelines.render_to_string
    monkeypatch.setattr(
        timelines, "render_to_string", lambda *args: rendered.append(1) or original(*args)
    )
    for year in (2019, 2020, 2022):
        factories.visit("AZ", "UZ", datetime.date(year, 3, 1))
    client.get(reverse("home"))
    client.get(reverse("home"))
    assert len(rendered) == 1, "drawn once per data version"
    factories.visit("AZ", "UZ", datetime.date(2023, 3, 1))
    html = client.get(reverse("home")).content.decode()
    assert len(rendered) == 2 and 'data-period="2023"' in html, "a change shows at once"
