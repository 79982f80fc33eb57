"""The world map's drawing: the TopoJSON decoder, the projection, the successor rule, the
classes, and the SVG it writes (no database)."""

import math
import re
import time
from xml.etree import ElementTree

import pytest

from visits import worldmap
from visits.worldmap import Entry


def test_arcs_are_decoded_from_quantized_deltas():
    topology = {
        "transform": {"scale": [0.5, 0.25], "translate": [-10, 20]},
        "arcs": [[[0, 0], [4, 8], [-2, -4]]],
    }
    assert worldmap.decode_arcs(topology) == [[(-10, 20), (-8, 22), (-9, 21)]]


def test_rings_join_arcs_and_reverse_negative_ones():
    arcs = [[(0, 0), (1, 0)], [(1, 1), (1, 0)]]
    # ~1 is arc 1 reversed; shared ends are not repeated.
    assert worldmap.ring_points(arcs, [0, ~1]) == [(0, 0), (1, 0), (1, 1)]


def test_equal_earth_keeps_the_equator_and_the_prime_meridian_at_zero():
    assert worldmap.project(0, 0) == (0, 0)
    x, _ = worldmap.project(180, 0)
    assert x == pytest.approx(2.7066, abs=1e-3)  # the published half-width of Equal Earth
    _, y = worldmap.project(0, 90)
    assert y == pytest.approx(1.3174, abs=1e-3)
    # Equal-area: a cell of one degree covers cos(latitude) of the area of one at the equator.

    def area(lat):
        width = worldmap.project(1, lat)[0] - worldmap.project(0, lat)[0]
        return width * (worldmap.project(0, lat + 0.5)[1] - worldmap.project(0, lat - 0.5)[1])

    for lat in (30, 60, 80):
        assert area(lat) / area(0) == pytest.approx(math.cos(math.radians(lat)), rel=1e-3)


def test_a_ring_across_the_antimeridian_is_cut_in_two():
    ring = [(179, 1), (-179, 1), (-179, -1), (179, -1), (179, 1)]
    parts = worldmap.split_at_antimeridian(ring)
    assert len(parts) == 2
    for part in parts:
        longitudes = [lon for lon, _ in part]
        assert max(longitudes) - min(longitudes) <= 1 + 1e-9


@pytest.mark.parametrize(
    ("code", "shape"),
    [
        ("FR", "FR"),
        ("SUHH", "RU"),
        ("YUCS", "RS"),
        ("CSXX", "RS"),
        ("CSHH", "CZ"),
        ("DDDE", "DE"),
        ("ANHH", "CW"),
        ("ZRCD", "CD"),
        ("BYAA", "BY"),
        ("XK", "XK"),
    ],
)
def test_former_states_are_drawn_on_their_successor(code, shape):
    assert worldmap.successor(code) == shape


def test_every_shape_has_a_country_and_kosovo_is_found_by_name():
    geometry = worldmap.geometry()
    assert "XK" in geometry.paths
    assert geometry.names["XK"] == "Kosovo"
    assert "AQ" not in geometry.paths  # Antarctica is left out
    assert {"SG", "VA", "MT", "BH"} <= set(geometry.dots)  # too small: dots
    assert len(geometry.paths) > 170
    assert geometry.width == worldmap.WIDTH and 400 < geometry.height < 500


def test_the_shapes_are_read_once_per_process():
    worldmap.geometry()
    start = time.perf_counter()
    worldmap.geometry()
    assert time.perf_counter() - start < 0.001


def test_classes_hold_about_a_fifth_of_the_values_each():
    classes = worldmap.quantile_classes(list(range(1, 101)))
    assert [(c.low, c.high) for c in classes] == [(1, 20), (21, 40), (41, 60), (61, 80), (81, 100)]
    assert [c.css for c in classes] == ["q1", "q2", "q3", "q4", "q5"]
    assert classes[0].label == "1–20"


def test_few_distinct_values_make_fewer_classes_spread_over_the_colours():
    classes = worldmap.quantile_classes([1, 1, 1, 1, 9])
    assert [(c.css, c.low, c.high) for c in classes] == [("q1", 1, 1), ("q5", 2, 9)]
    assert [c.css for c in worldmap.quantile_classes([3, 3])] == ["q3"]
    assert worldmap.quantile_classes([]) == []


def link(entries):
    return "/visits/?" + "&".join(f"country={entry.code}" for entry in entries)


def parse(world):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg">{world.shapes}</svg>'
    return ElementTree.fromstring(svg)


NS = "{http://www.w3.org/2000/svg}"


def test_the_svg_colours_each_country_by_its_class_and_links_it():
    counts = {"FR": 120, "DE": 60, "IT": 30, "ES": 10, "PT": 5, "SG": 1}
    entries = [Entry(code, code, n) for code, n in counts.items()]
    world = worldmap.draw(entries, link)
    links = {a.get("href"): a for a in parse(world).iter(f"{NS}a")}
    assert set(links) == {f"/visits/?country={code}" for code in counts}
    france = links["/visits/?country=FR"]
    assert france.find(f"{NS}title").text == "France: 120 visits"
    assert france.find(f"{NS}path").get("class") == "q5"
    assert links["/visits/?country=PT"].find(f"{NS}path").get("class") == "q1"
    # Singapore is too small for the shapes: a dot.
    assert links["/visits/?country=SG"].find(f"{NS}circle") is not None
    # A country without visits is drawn, grey, and is no link.
    titles = {g.find(f"{NS}title").text: g for g in parse(world).iter(f"{NS}g")}
    assert titles["Brazil: no visits"].find(f"{NS}path").get("class") == "q0"
    assert [row.code for row in world.rows] == ["FR", "DE", "IT", "ES", "PT", "SG"]


def test_former_states_share_their_successors_shape_and_are_noted():
    entries = [Entry("RU", "Russia", 10), Entry("SUHH", "USSR", 5), Entry("AQ", "Antarctica", 1)]
    world = worldmap.draw(entries, link)
    links = {a.get("href"): a for a in parse(world).iter(f"{NS}a")}
    russia = links["/visits/?country=RU&country=SUHH"]
    assert russia.find(f"{NS}title").text == "Russian Federation: 15 visits (Russia 10, USSR 5)"
    assert [(row.code, row.shown_on) for row in world.merged] == [("SUHH", "Russian Federation")]
    assert [row.code for row in world.undrawn] == ["AQ"]
    # Every country of the figures is a row of the table, with its own link.
    assert {row.code: row.url for row in world.rows} == {
        "RU": "/visits/?country=RU",
        "SUHH": "/visits/?country=SUHH",
        "AQ": "/visits/?country=AQ",
    }


def test_names_are_escaped():
    world = worldmap.draw([Entry("FR", "<b>France</b>", 1), Entry("CSHH", "A & B", 1)], link)
    assert "<b>" not in world.shapes
    assert "A &amp; B 1" in world.shapes


def test_the_whole_world_stays_small_and_fast():
    entries = [Entry(code, code, n + 1) for n, code in enumerate(worldmap.geometry().names)]
    start = time.perf_counter()
    world = worldmap.draw(entries, link)
    elapsed = time.perf_counter() - start
    assert len(world.shapes.encode()) < 120_000
    assert elapsed < 0.5
    # Coordinates are kept to one decimal.
    assert not any(re.search(r"\.\d\d", path) for path in worldmap.geometry().paths.values())
    assert len(world.legend) == 5
