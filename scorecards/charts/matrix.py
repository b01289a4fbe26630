"""The maturity matrix: how many members put each dimension at each level, with the
median, the lowest and the target marked by letters (framework 5)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from scorecards.charts.chart import (
    INK,
    WHITE,
    Chart,
    Table,
    axis,
    empty,
    figure,
    ordered,
    title_of,
    withheld,
)
from scorecards.charts.text import escape, level, number, wrapped
from scorecards.scoring.shape import SnapshotData
from scorecards.scoring.words import gettext as _
from scorecards.scoring.words import gettext_noop, listing, ngettext

LEVELS = (1, 2, 3, 4, 5)
ROW_HEIGHT = 56
# Sequential single hue, white to dark blue: reads in any colour vision and in greyscale.
DARKEST = (8, 48, 107)
SHADES = [[0.0, WHITE], [1.0, "#08306b"]]
# Words and markers on a cell are black or white, whichever contrasts more with it. Pure
# black, not INK: between the two, one always reaches 4.58:1 on any shade (with INK, a
# mid-blue cell gets at best 4.2:1).
BLACK = "#000000"

# Each mark: letter, snapshot field (None: the meeting's agreed level), legend text,
# what the hover calls it, sideways nudge within the cell so marks on one level sit
# side by side, marker fill (None: black or white, whichever contrasts more with the
# cell under it), letter colour (None: the other of the two), and symbol. The agreed
# level is filled to stand out from the cell, and square, so it stays distinct from the
# other marks whatever its fill. The letters are the legend's: each language has its own.
MARKS = (
    (
        gettext_noop("L"),
        "lowest",
        gettext_noop("L: lowest current level"),
        gettext_noop("Lowest current level"),
        -0.3,
        WHITE,
        INK,
        "circle",
    ),
    (
        gettext_noop("M"),
        "median_current",
        gettext_noop("M: median current level"),
        gettext_noop("Median current level"),
        -0.1,
        WHITE,
        INK,
        "circle",
    ),
    (
        gettext_noop("T"),
        "median_target",
        gettext_noop("T: target (median)"),
        gettext_noop("Target (median)"),
        0.1,
        WHITE,
        INK,
        "circle",
    ),
    (
        gettext_noop("A"),
        None,
        gettext_noop("A: agreed at the meeting"),
        gettext_noop("Agreed at the meeting"),
        0.3,
        None,
        None,
        "square",
    ),
)


def matrix_heatmap(
    snapshot: SnapshotData,
    labels: Mapping[str, str],
    level_labels: Sequence[str],
    agreed: Mapping[str, int] | None = None,
) -> Chart:
    """Dimensions by levels, shaded by how many members chose each current level.

    The spread matters as much as the median: the matrix is a prompt for the meeting
    to talk where members disagree. ``agreed`` holds levels the meeting settled on.
    """
    key, title = "matrix", _("Maturity matrix")
    if message := withheld(snapshot):
        return empty(key, title, message)
    dims = (snapshot.get("matrix") or {}).get("dimensions") or {}
    if not dims:
        return empty(key, title, _("No one rated the maturity matrix in this round."))
    codes = ordered(dims, labels)
    names = _level_names(level_labels)
    settled = _settled(agreed, dims)
    table = _table(codes, dims, labels, names, settled)
    fig = _figure(codes, dims, labels, names, settled)
    summary = _summary(codes, dims, labels, snapshot["matrix"].get("median_level"), settled)
    return Chart(key, title, summary, fig, table)


def _level_names(level_labels: Sequence[str]) -> list[str]:
    given = list(level_labels or [])
    return [
        given[i] if i < len(given) else _("Level %(level)s") % {"level": lv}
        for i, lv in enumerate(LEVELS)
    ]


def _settled(agreed: Mapping[str, int] | None, dims: Mapping) -> dict[str, float]:
    """Agreed levels for known dimensions only, and only real levels."""
    out = {}
    for code, value in (agreed or {}).items():
        value = number(value)
        if code in dims and value is not None and LEVELS[0] <= value <= LEVELS[-1]:
            out[code] = value
    return out


def _counts(entry: Mapping) -> list[int]:
    current = entry.get("current") or {}
    return [int(number(current.get(str(lv))) or 0) for lv in LEVELS]


def _mark_value(entry: Mapping, field: str | None, code: str, settled: Mapping) -> float | None:
    return settled.get(code) if field is None else number(entry.get(field))


def _table(codes, dims, labels, names, settled) -> Table:
    columns = [_("Dimension"), *(f"{lv} {name}" for lv, name in zip(LEVELS, names, strict=True))]
    columns += [_("People"), _("Median"), _("Lowest"), _("Highest"), _("Target"), _("Gap")]
    columns += [_("Agreed")] if settled else []
    rows = []
    for code in codes:
        entry = dims[code]
        fields = ("median_current", "lowest", "highest", "median_target", "gap")
        row = [title_of(code, labels), *map(str, _counts(entry)), str(entry.get("n") or 0)]
        row += [level(entry.get(field)) for field in fields]
        row += [level(settled[code]) if code in settled else _("not agreed")] if settled else []
        rows.append(row)
    return Table(columns, rows)


def _figure(codes, dims, labels, names, settled) -> dict:
    rows = list(range(len(codes)))
    titles = [escape(title_of(code, labels)) for code in codes]
    z = [_counts(dims[code]) for code in codes]
    cells = go.Heatmap(
        z=z,
        x=list(LEVELS),
        y=rows,
        zmin=0,
        zmax=max(1, *(max(counts) for counts in z)),
        colorscale=SHADES,
        showscale=False,
        xgap=2,
        ygap=2,
        text=[
            _cell_hovers(title, dims[code], names)
            for code, title in zip(codes, titles, strict=True)
        ],
        hovertemplate="%{text}<extra></extra>",
    )
    marks = [_marks(mark, codes, dims, titles, settled, z) for mark in MARKS]
    return figure(
        [cells, _count_labels(z), *(trace for trace in marks if trace is not None)],
        height=110 + ROW_HEIGHT * len(codes),
        showlegend=True,
        plot_bgcolor="#f2f2f2",
        legend={"orientation": "h", "x": 0, "y": 1, "xanchor": "left", "yanchor": "bottom"},
        margin={"l": 8, "r": 8, "t": 8, "b": 8, "pad": 2},
        xaxis=axis(
            tickmode="array",
            tickvals=list(LEVELS),
            ticktext=[f"{lv}<br>{escape(name)}" for lv, name in zip(LEVELS, names, strict=True)],
            range=[0.5, 5.5],
            showline=False,
            ticks="",
        ),
        yaxis=axis(
            tickmode="array",
            tickvals=rows,
            ticktext=[wrapped(title_of(code, labels), 16) for code in codes],
            range=[len(codes) - 0.5, -0.5],
            showline=False,
            ticks="",
        ),
    )


def _count_labels(z: list[list[int]]) -> go.Scatter:
    """Each cell's count in words-on-cell text, black or white, whichever contrasts
    more with that cell's shade; set a little high to leave room for the marks."""
    top = max(1, *(max(row) for row in z))
    cells = [
        (lv, row, count)
        for row, counts in enumerate(z)
        for lv, count in zip(LEVELS, counts, strict=True)
    ]
    return go.Scatter(
        x=[lv for lv, __, __ in cells],
        y=[row - 0.12 for __, row, __ in cells],
        mode="text",
        text=[str(count) for __, __, count in cells],
        textfont={"color": [_ink_on(count / top) for __, __, count in cells], "size": 14},
        hoverinfo="skip",
        showlegend=False,
    )


def _shade(share: float) -> list[float]:
    """The cell colour for ``share`` of the busiest cell's count (plotly interpolates
    the two-stop colour scale linearly in RGB)."""
    return [255 + (dark - 255) * share for dark in DARKEST]


def _ink_on(share: float) -> str:
    """BLACK or WHITE, whichever has the higher WCAG contrast on the shade for ``share``."""
    light = _luminance(_shade(share))
    on_white = 1.05 / (light + 0.05)
    on_black = (light + 0.05) / 0.05
    return WHITE if on_white > on_black else BLACK


def _contrast(one: list[float], two: list[float]) -> float:
    """The WCAG contrast ratio of two RGB colours, 1 to 21."""
    light, dark = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _luminance(rgb: list[float]) -> float:
    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _cell_hovers(title: str, entry: Mapping, names: list[str]) -> list[str]:
    people = entry.get("n") or 0
    return [
        _("<b>%(dimension)s</b><br>Level %(level)s, %(name)s: %(count)s of %(people)s people")
        % {"dimension": title, "level": lv, "name": escape(name), "count": count, "people": people}
        for lv, name, count in zip(LEVELS, names, _counts(entry), strict=True)
    ]


def _share_under(z: list[list[int]], row: int, x: float) -> float:
    """The share of the busiest cell's count in the cell a mark at ``x`` sits in."""
    top = max(1, *(max(counts) for counts in z))
    column = min(max(math.floor(x + 0.5), LEVELS[0]), LEVELS[-1]) - LEVELS[0]
    return z[row][column] / top


def _marks(mark, codes, dims, titles, settled, z) -> go.Scatter | None:
    """One letter-in-a-marker per dimension, below the count in the chosen cell."""
    letter, field, legend, called, nudge, fill, ink, symbol = mark
    points = [
        (code, row, value)
        for row, code in enumerate(codes)
        if (value := _mark_value(dims[code], field, code, settled)) is not None
    ]
    if not points:
        return None
    fills = [_ink_on(_share_under(z, row, value + nudge)) for __, row, value in points]
    return go.Scatter(
        x=[value + nudge for __, __, value in points],
        y=[row + 0.3 for __, row, __ in points],
        mode="markers+text",
        name=_(legend),
        text=[_(letter)] * len(points),
        textposition="middle center",
        textfont={"color": ink or [_other(f) for f in fills], "size": 11},
        marker={
            "color": fill or fills,
            "size": 17,
            "symbol": symbol,
            "line": {"color": INK, "width": 1},
        },
        cliponaxis=False,
        customdata=[[titles[row], level(value), _(called)] for __, row, value in points],
        # Plotly fills %{customdata[0]} (the dimension), [1] (the level), [2] (the mark).
        hovertemplate=_("<b>%{customdata[0]}</b><br>%{customdata[2]}: level %{customdata[1]}")
        + "<extra></extra>",
    )


def _other(colour: str) -> str:
    return WHITE if colour == BLACK else BLACK


def _summary(codes, dims, labels, median_level, settled) -> str:
    medians = {c: number(dims[c].get("median_current")) for c in codes}
    rated = [code for code in codes if medians[code] is not None]
    if not rated:
        return _("No one has rated a current level yet.")
    words = {
        "median": level(median_level),
        "n": len(rated),
        "findings": listing([p for p in _findings(rated, medians, dims, labels) if p]),
        "agreed": len(settled),
        "total": len(codes),
    }
    if settled:
        return (
            ngettext(
                "Members place the network at a median level of %(median)s across %(n)s "
                "dimension; %(findings)s; the meeting agreed %(agreed)s of %(total)s levels.",
                "Members place the network at a median level of %(median)s across %(n)s "
                "dimensions; %(findings)s; the meeting agreed %(agreed)s of %(total)s levels.",
                len(rated),
            )
            % words
        )
    return (
        ngettext(
            "Members place the network at a median level of %(median)s across %(n)s "
            "dimension; %(findings)s.",
            "Members place the network at a median level of %(median)s across %(n)s "
            "dimensions; %(findings)s.",
            len(rated),
        )
        % words
    )


def _findings(rated, medians, dims, labels) -> list[str]:
    return [_lowest(rated, medians, labels), _furthest(rated, dims, labels)]


def _lowest(rated, medians, labels) -> str:
    low = min(medians[code] for code in rated)
    tied = [code for code in rated if medians[code] == low]
    if len(tied) == len(rated):
        return _("every dimension's median is %(level)s") % {"level": level(low)}
    if len(tied) == 1:
        return _("%(dimension)s is lowest at %(level)s") % {
            "dimension": title_of(tied[0], labels),
            "level": level(low),
        }
    return _("%(n)s dimensions share the lowest median, %(level)s") % {
        "n": len(tied),
        "level": level(low),
    }


def _furthest(rated, dims, labels) -> str:
    gaps = {code: number(dims[code].get("gap")) for code in rated}
    known = [code for code in rated if gaps[code] is not None]
    if not known:
        return ""
    far = max(gaps[code] for code in known)
    if far <= 0:
        return _("every dimension has reached its target")
    steps = _("%(n)s level") if far == 1 else _("%(n)s levels")
    steps = steps % {"n": level(far)}
    tied = [code for code in known if gaps[code] == far]
    if len(tied) == len(known):
        return _("each is %(steps)s short of its target") % {"steps": steps}
    if len(tied) == 1:
        return _("%(dimension)s is furthest from its target (%(steps)s)") % {
            "dimension": title_of(tied[0], labels),
            "steps": steps,
        }
    return _("%(n)s are furthest from their target (%(steps)s)") % {
        "n": len(tied),
        "steps": steps,
    }
