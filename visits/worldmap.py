"""Visits per country on a world map: a choropleth SVG drawn on the server (no JavaScript,
nothing fetched from elsewhere), with its legend and the same figures as a table.

The shapes are Natural Earth's 1:110 million country boundaries (visits/data/world/, with
their source), read and projected once per process; countries too small for that scale are
dots. The projection is Equal Earth (Šavrič, Patterson and Jenny, 2018): it is equal-area, so
a country's share of the map is its share of the land and a large country at a high latitude
(Russia, Canada, Greenland) does not outweigh the others as it would on Mercator, and its
formulas are closed-form, a few lines with no iteration. Antarctica is left out (it would take
a fifth of the height for a handful of visits, which the table and the note under it give).

Records name countries by the codes of visits.countries: ISO 3166-1 alpha-2, ISO 3166-3
alpha-4 for former states, XK for Kosovo. A former state is counted on the shape of its
successor (see successor()), as the note under each map says. What a map counts (visits made
or received, host countries, partners) is the caller's (visits.maps, which keeps each map
drawn on the data version); the shapes are kept in memory.
"""

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

import pycountry
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

DATA = Path(__file__).resolve().parent / "data" / "world"
WIDTH = 1000  # viewBox units; coordinates are kept to a tenth of one
PAD = 4
DOT_RADIUS = 4
CLASSES = 5
LEFT_OUT = {"AQ"}  # Antarctica
# Shapes with no ISO numeric id in world-atlas, known by name: Kosovo is ours; the two others
# are drawn as part of the state the ISO standard counts them in.
BY_NAME = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}

# Former states whose ISO 3166-3 code names no single successor ("HH": split; "XX": deleted),
# or an entity without an ISO code: the state whose shape counts them. The Soviet Union,
# Yugoslavia and Serbia and Montenegro on their continuator states; Czechoslovakia on the
# Czech Republic and the Netherlands Antilles on Curaçao (their capitals); the Kingdom of
# Hawaii on the United States, whose shape holds its islands.
SUCCESSORS = {"SUHH": "RU", "YUCS": "RS", "CSXX": "RS", "CSHH": "CZ", "ANHH": "CW"}
SUCCESSORS |= {"XHAW": "US", "NTHH": "SA", "GEHH": "KI", "PCHH": "FM", "FQHH": "TF"}

# Equal Earth
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def successor(code):
    """The code of the country whose shape a record's country is drawn on: itself, a current
    country; for a former state, SUCCESSORS, else what its ISO 3166-3 code says (its last two
    letters are the new alpha-2 code, DDDE → DE, ZRCD → CD, BUMM → MM; "AA" means the old
    alpha-2 code stayed, BYAA → BY)."""
    code = code.upper()
    if code in SUCCESSORS:
        return SUCCESSORS[code]
    if len(code) == 4:
        return code[:2] if code[2:] == "AA" else code[2:]
    return code


def project(longitude, latitude):
    """Equal Earth, in units of the sphere's radius; y grows northwards."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def decode_arcs(topology):
    """TopoJSON's arcs as lists of (longitude, latitude): each arc's positions are quantized
    and delta-encoded (every one but the first is the difference from the one before)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(arcs, indexes):
    """A ring's positions from its arcs (~i is arc i reversed); arcs share their ends."""
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def unwrap(points):
    """A ring's longitudes made continuous: a step of more than 180° goes the short way round
    (Russia and Fiji cross the antimeridian, so their rings jump from 180° to -180°)."""
    shift = 0
    out = [points[0]]
    for (lon, lat), (before, _) in zip(points[1:], points, strict=False):
        if lon - before > 180:
            shift -= 360
        elif lon - before < -180:
            shift += 360
        out.append((lon + shift, lat))
    return out


def clip(points, edge, below):
    """The part of a ring on one side of the meridian `edge` (Sutherland–Hodgman)."""

    def inside(point):
        return point[0] <= edge if below else point[0] >= edge

    def crossing(a, b):
        t = (edge - a[0]) / (b[0] - a[0])
        return (edge, a[1] + t * (b[1] - a[1]))

    out = []
    for previous, current in zip([points[-1], *points[:-1]], points, strict=True):
        if inside(current):
            if not inside(previous):
                out.append(crossing(previous, current))
            out.append(current)
        elif inside(previous):
            out.append(crossing(previous, current))
    return out


def split_at_antimeridian(points):
    """A ring as one or two rings within -180°..180°: a ring that crosses the antimeridian is
    cut there, and the part beyond is moved to the other edge of the map."""
    points = unwrap(points)
    low, high = min(lon for lon, _ in points), max(lon for lon, _ in points)
    if high > 180 or low < -180:
        edge = 180 if high > 180 else -180
        beyond = clip(points, edge, below=edge < 0)
        rings = [clip(points, edge, below=edge > 0), [(lon - edge * 2, lat) for lon, lat in beyond]]
        return [ring for ring in rings if len(ring) > 2]
    return [points]


def number(tenths):
    """A coordinate kept in tenths, written as shortly as SVG reads it: 12, 1.5, -.3."""
    whole, tenth = divmod(abs(tenths), 10)
    text = (str(whole) if whole else "") + (f".{tenth}" if tenth else "")
    return ("-" if tenths < 0 else "") + (text or "0")


def path_data(rings):
    """SVG path data for rings of points in tenths: the first point of each absolute, then
    relative steps, leaving out those that rounding made empty."""
    parts = []
    for ring in rings:
        steps = []
        (x0, y0), previous = ring[0], ring[0]
        for x, y in ring[1:]:
            if (x, y) != previous:
                steps.extend((x - previous[0], y - previous[1]))
                previous = (x, y)
        if len(steps) < 4:  # fewer than three distinct points: nothing to see
            continue
        text = ""
        for value in steps:
            word = number(value)
            text += word if word.startswith("-") or not text else " " + word
        parts.append(f"M{number(x0)} {number(y0)}l{text}z")
    return "".join(parts)


@dataclass
class Geometry:
    """The projected map: path data per country code, dots for small countries, names."""

    paths: dict
    dots: dict
    names: dict
    width: int
    height: int


def country_code(numeric):
    country = pycountry.countries.get(numeric=numeric)
    return country.alpha_2 if country else None


def country_name(code):
    if code == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name


@functools.cache
def geometry():
    """Read, project and write as path data the shapes, once per process."""
    topology = json.loads((DATA / "countries-110m.json").read_text())
    arcs = decode_arcs(topology)
    rings = {}  # code: [[(x, y) projected]]
    for shape in topology["objects"]["countries"]["geometries"]:
        code = BY_NAME.get(shape["properties"]["name"]) or country_code(shape.get("id"))
        if code is None or code in LEFT_OUT:
            continue
        polygons = shape["arcs"] if shape["type"] == "MultiPolygon" else [shape["arcs"]]
        for polygon in polygons:
            for indexes in polygon:
                for part in split_at_antimeridian(ring_points(arcs, indexes)):
                    rings.setdefault(code, []).append([project(*point) for point in part])
    small = json.loads((DATA / "small-countries.json").read_text())
    dots = {
        country_code(numeric): project(*entry["point"])
        for numeric, entry in small.items()
        if country_code(numeric)
    }
    everything = [point for shapes in rings.values() for ring in shapes for point in ring]
    everything += dots.values()
    left = min(x for x, _ in everything)
    top = max(y for _, y in everything)
    scale = (WIDTH - 2 * PAD) / (max(x for x, _ in everything) - left)
    height = math.ceil((top - min(y for _, y in everything)) * scale + 2 * PAD)

    def tenths(point):
        x, y = point
        return round(((x - left) * scale + PAD) * 10), round(((top - y) * scale + PAD) * 10)

    paths = {
        code: path_data([[tenths(point) for point in ring] for ring in shapes])
        for code, shapes in rings.items()
    }
    dots = {
        code: tuple(number(value) for value in tenths(point))
        for code, point in dots.items()
        if code not in paths
    }
    names = {code: country_name(code) for code in [*paths, *dots]}
    return Geometry(paths=paths, dots=dots, names=names, width=WIDTH, height=height)


# The map of some figures ------------------------------------------------------------------


@dataclass
class Entry:
    """A country of the records and its figure; detail says more in words (each way)."""

    code: str
    name: str
    visits: int
    url: str = ""
    detail: str = ""
    shown_on: str = ""  # the shape it is counted on, when not its own
    drawn: bool = True


@dataclass
class LegendClass:
    css: str
    low: int
    high: int

    @property
    def label(self):
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


@dataclass
class WorldMap:
    shapes: str  # the SVG's links and shapes, ready to print
    width: int
    height: int
    legend: list
    rows: list  # every country of the figures, most first
    merged: list  # rows counted on another's shape
    highlight: str = ""  # the name of the country the page is about
    subject: str = ""  # what the figures count, in words

    @property
    def undrawn(self):
        return [row for row in self.rows if not row.drawn]


def quantile_classes(values):
    """Up to CLASSES classes holding about as many of the values each (values above zero):
    each class's (low, high), by the values at the fifths of the sorted list."""
    values, count = sorted(values), len(values)
    if not values:
        return []
    highs = []
    for k in range(1, CLASSES + 1):
        high = values[math.ceil(k * count / CLASSES) - 1]
        if not highs or high > highs[-1]:
            highs.append(high)
    lows = [values[0], *(high + 1 for high in highs[:-1])]
    # Few classes are spread over the colour scale rather than all pale.
    spread = (CLASSES - 1) / max(len(highs) - 1, 1)
    steps = [1 + round(i * spread) for i in range(len(highs))] if len(highs) > 1 else [3]
    return [
        LegendClass(css=f"q{step}", low=low, high=high)
        for step, low, high in zip(steps, lows, highs, strict=True)
    ]


def visits_count(n):
    """ "1 visit", "5 visits", in the active language."""
    return ngettext("%(n)d visit", "%(n)d visits", n) % {"n": n}


def draw(entries, link, highlight=None, subject=""):
    """The map of entries (one per country of the records), each shape filled by the class of
    its figure and a link to link(entries on it); highlight is the code of the page's own
    country, drawn apart and linked to link([])."""
    shapes = geometry()
    on_shape = {}
    for entry in entries:
        code = successor(entry.code)
        if code != entry.code:
            entry.shown_on = shapes.names.get(code, "")
        entry.drawn = code in shapes.names
        entry.url = link([entry])
        on_shape.setdefault(code, []).append(entry)
    highlight = successor(highlight) if highlight else None
    figures = {code: sum(entry.visits for entry in group) for code, group in on_shape.items()}
    legend = quantile_classes(
        [n for code, n in figures.items() if n and code in shapes.names and code != highlight]
    )
    out = []
    for code, name in sorted(shapes.names.items(), key=lambda item: item[1]):
        group = on_shape.get(code, [])
        n = figures.get(code, 0)
        if code == highlight:
            title = gettext("%(name)s: this country") % {"name": name}
            css, href = "self", link([])
        elif n:
            css = next(c.css for c in legend if n <= c.high)
            title, href = shape_title(name, group, n), link(group)
        elif code in shapes.paths:
            css, title, href = "q0", gettext("%(name)s: no visits") % {"name": name}, None
        else:
            continue  # a small country's dot only says something when it has visits
        out.append(shape_markup(shapes, code, css, title, href))
    rows = sorted(entries, key=lambda entry: (-entry.visits, entry.name))
    return WorldMap(
        shapes=mark_safe("".join(out)),
        width=shapes.width,
        height=shapes.height,
        legend=legend,
        rows=rows,
        merged=[entry for entry in rows if entry.shown_on],
        highlight=shapes.names.get(highlight, "") if highlight else "",
        subject=subject,
    )


def shape_title(name, group, n):
    title = gettext("%(name)s: %(visits)s") % {"name": name, "visits": visits_count(n)}
    if len(group) > 1 or group[0].shown_on:
        title += " (" + ", ".join(f"{e.name} {e.visits}" for e in group) + ")"
    elif group[0].detail:
        title += f" ({group[0].detail})"
    return title


def shape_markup(shapes, code, css, title, href):
    if code in shapes.paths:
        shape = f'<path class="{css}" d="{shapes.paths[code]}"/>'
    else:
        x, y = shapes.dots[code]
        shape = f'<circle class="{css} dot" cx="{x}" cy="{y}" r="{DOT_RADIUS}"/>'
    label = f"<title>{escape(title)}</title>"
    if href is None:
        return f"<g>{label}{shape}</g>"
    return f'<a href="{escape(href)}">{label}{shape}</a>'
