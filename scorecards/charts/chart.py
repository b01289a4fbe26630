"""The ``Chart`` every dashboard piece is, and the look all figures share.

Colours are Okabe–Ito (told apart with the common colour-vision deficiencies), each
at least 3:1 against white; nothing is told by colour alone, so every figure also
carries text, markers or patterns, and every chart has a table and a summary.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import TypedDict

import plotly.graph_objects as go

from scorecards.charts.text import escape
from scorecards.scoring.scores import BANDS, to_percent
from scorecards.scoring.shape import SnapshotData
from scorecards.scoring.words import gettext as _
from scorecards.scoring.words import gettext_noop, group_name

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1a1a1a"
MUTED = "#595959"  # 7:1 on white: axis lines and quiet labels stay readable
LIGHT = "#e8e8e8"
WHITE = "#ffffff"
BLUE, VERMILLION, GREEN, ORANGE = "#0072B2", "#D55E00", "#009E73", "#E69F00"

# One style per series (a domain, say): colour, bar pattern, line dash and marker all
# differ, so a series can be told apart in greyscale print as well.
SERIES = (
    {"colour": BLUE, "pattern": "", "dash": "solid", "symbol": "circle"},
    {"colour": VERMILLION, "pattern": "/", "dash": "dash", "symbol": "square"},
    {"colour": GREEN, "pattern": "x", "dash": "dot", "symbol": "diamond"},
    {"colour": INK, "pattern": ".", "dash": "dashdot", "symbol": "triangle-up"},
)

BAND_SHADES = {"concern": VERMILLION, "discuss": ORANGE, "strength": GREEN}
# Names above the shaded bands; "<br>" breaks a long one over two lines.
BAND_LABELS = {
    "concern": gettext_noop("Concern"),
    "discuss": gettext_noop("Worth<br>discussing"),
    "strength": gettext_noop("Strength"),
}
ROW_PX = 44  # one labelled bar row, in pixels


@dataclass(frozen=True)
class Table:
    """A chart's numbers as display text: for screen readers, print and table lovers.

    Cells are plain (unescaped) text; the template escapes them.
    """

    columns: list[str]
    rows: list[list[str]]


class StoredTable(TypedDict):
    columns: list[str]
    rows: list[list[str]]


class StoredChart(TypedDict):
    """A ``Chart`` as the worker stores it with its snapshot and pages read it."""

    key: str
    title: str
    summary: str
    figure: dict | None
    table: StoredTable
    empty_message: str | None
    variant: str | None


@dataclass(frozen=True)
class Chart:
    """One dashboard chart: a Plotly figure with its table and one-sentence summary.

    ``key`` is a slug for DOM ids. ``figure`` is plain JSON ({"data", "layout"}) with
    every user-typed string escaped, or None when there is nothing to draw, and then
    ``empty_message`` says why. ``title`` and ``summary`` are plain text. ``variant``
    names one of several charts of which a page shows one at a time (the group
    comparisons, by breakdown).
    """

    key: str
    title: str
    summary: str
    figure: dict | None
    table: Table
    empty_message: str | None = None
    variant: str | None = None

    def to_json(self) -> StoredChart:
        return StoredChart(**asdict(self))


def empty(key: str, title: str, message: str, table: Table | None = None) -> Chart:
    """A chart with nothing to draw: the message doubles as its summary."""
    return Chart(key, title, message, None, table or Table([], []), empty_message=message)


def withheld(snapshot: SnapshotData) -> str | None:
    """Why results are held back (quality T1), or None once the round is released."""
    if snapshot.get("released"):
        return None
    threshold = (snapshot.get("context") or {}).get("threshold") or 5
    return _("Fewer than %(threshold)s people have answered, so results are not shown yet.") % {
        "threshold": threshold
    }


def title_of(code: object, labels: Mapping[str, str]) -> str:
    """The title callers gave for a code, else the code itself (a group's name, ours in
    the reader's language)."""
    return str(labels.get(str(code)) or group_name(code))


def ordered(codes: Iterable[str], labels: Mapping[str, str]) -> list[str]:
    """Codes in the order of ``labels`` (the instrument's order when callers build it
    from the instrument), then any others as they came."""
    rank = {code: i for i, code in enumerate(labels)}
    found = list(dict.fromkeys(codes))
    return sorted(found, key=lambda code: (rank.get(code, len(rank)), found.index(code)))


def series(index: int) -> dict:
    return SERIES[index % len(SERIES)]


def axis(**overrides) -> dict:
    """A plain axis in the manner of Plotly's simple_white template; no zooming, which
    on a phone mostly happens by accident."""
    return {
        "showline": True,
        "linecolor": MUTED,
        "ticks": "outside",
        "tickcolor": MUTED,
        "showgrid": False,
        "zeroline": False,
        "automargin": True,
        "fixedrange": True,
        **overrides,
    }


def axis_title(text: str) -> dict:
    """An axis title a little smaller than the data labels (``text`` is ours, not
    user-typed: it may hold ``<br>``)."""
    return {"text": text, "font": {"size": 13, "color": INK}}


def category_axis(values: list[str], ticktext: list[str], **overrides) -> dict:
    """Categories told apart by code (titles may repeat), shown by title. The type is
    fixed so a title like "2024" is never read as a number or a date."""
    return axis(type="category", tickmode="array", tickvals=values, ticktext=ticktext, **overrides)


def layout(**overrides) -> dict:
    """Minimal, responsive layout: width follows the container; config is the caller's."""
    return {
        "template": go.layout.Template(),
        "autosize": True,
        "font": {"family": FONT, "size": 14, "color": INK},
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8, "pad": 2},
        "paper_bgcolor": WHITE,
        "plot_bgcolor": WHITE,
        "showlegend": False,
        "legend": {"orientation": "h", "x": 0, "y": 1, "xanchor": "left", "yanchor": "bottom"},
        "hoverlabel": {"bgcolor": WHITE, "bordercolor": INK, "font": {"family": FONT}},
        **overrides,
    }


def figure(traces: list, **layout_overrides) -> dict:
    """A figure as plain JSON types, checked by plotly.graph_objects on the way."""
    fig = go.Figure(data=traces, layout=layout(**layout_overrides))
    return json.loads(json.dumps(fig.to_plotly_json(), allow_nan=False))


def band_regions() -> list[tuple[str, float, float]]:
    """The Wilder bands as (band, low, high) on the 0 to 100 scale the score charts use,
    from scoring.BANDS (which are on 1 to 5: 3.0 is 50 and 4.0 is 75)."""
    edges = sorted(((to_percent(low), band) for band, low in BANDS), reverse=True)
    regions, high = [], 100.0
    for low, band in edges:
        regions.append((band, low, high))
        high = low
    return [*regions, ("concern", 0.0, high)][::-1]


def band_shading() -> dict:
    """Shaded, named bands behind a 0-to-100 x axis, their edges dotted: the name and
    the edges, not the tint, carry the meaning; names sit above the plot so they
    never hide a bar."""
    shapes, notes = [], []
    for band, low, high in band_regions():
        if low > 0:
            shapes.append(_edge(low))
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": low,
                "x1": high,
                "y0": 0,
                "y1": 1,
                "fillcolor": BAND_SHADES[band],
                "opacity": 0.12,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        notes.append(
            {
                "text": _(BAND_LABELS[band]),
                "x": (low + high) / 2,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12, "color": MUTED},
            }
        )
    return {"shapes": shapes, "annotations": notes}


def _edge(x: float) -> dict:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": MUTED, "width": 1, "dash": "dot"},
        "layer": "below",
    }


@dataclass(frozen=True)
class Rows:
    """Where horizontal bars go when each title is written above its bar."""

    positions: list[float]
    annotations: list[dict]
    extent: float

    def yaxis(self) -> dict:
        return axis(visible=False, range=[self.extent, 0])

    def height(self, extra: int) -> int:
        return round(ROW_PX * self.extent) + extra


def labelled_rows(groups: list[tuple[str | None, list[str]]]) -> Rows:
    """Bar positions with each title above its bar, and an optional bold heading per
    group. Titles take the full width this way, so on a phone they do not squeeze the
    plot the way tick labels do. Titles are escaped here."""
    positions, notes, pos = [], [], 0.0
    for heading, titles in groups:
        if heading is not None:
            notes.append(_row_label(f"<b>{escape(heading)}</b>", pos + 0.55, 14))
            pos += 0.8
        for title in titles:
            positions.append(pos + 0.62)
            notes.append(_row_label(escape(title), pos + 0.35, 13))
            pos += 1
    return Rows(positions, notes, pos)


def _row_label(text: str, y: float, size: int) -> dict:
    return {
        "text": text,
        "xref": "paper",
        "x": 0,
        "xanchor": "left",
        "yref": "y",
        "y": y,
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": size, "color": INK},
    }
