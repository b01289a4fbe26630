"""Scores: the three domains and their sub-dimensions on 0 to 100 (the scale the stage
speaks), and the function mix (how well each network function is done against how
much it matters) on the 1 to 5 scale members answered it on. One scale per chart:
whole numbers on 0 to 100, one decimal on 1 to 5."""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from scorecards.charts.chart import (
    BLUE,
    INK,
    LIGHT,
    VERMILLION,
    WHITE,
    Chart,
    Rows,
    Table,
    axis,
    axis_title,
    band_shading,
    empty,
    figure,
    labelled_rows,
    ordered,
    title_of,
    withheld,
)
from scorecards.charts.text import (
    band_name,
    band_phrase,
    band_tally,
    escape,
    fixed,
    number,
)
from scorecards.scoring.scores import band as band_of
from scorecards.scoring.shape import SnapshotData
from scorecards.scoring.words import gettext as _
from scorecards.scoring.words import gettext_noop

SCALE_TITLE = gettext_noop("Score, 0 to 100<br>(0 strongly disagree, 100 strongly agree)")
# Plotly fills each %{customdata[i]}: the title, score, band, SD and number of people.
SCORE_HOVER = gettext_noop(
    "<b>%{customdata[0]}</b><br>%{customdata[1]} out of 100"
    "<br>Band: %{customdata[2]}<br>SD %{customdata[3]}, %{customdata[4]} people"
)
EXTRA = "<extra></extra>"  # no second box beside the hover
ENDS = ("performance", "importance")


def _band(entry: Mapping) -> str | None:
    return entry.get("band") or band_of(number(entry.get("mean")))


def _scored(entries: Mapping, labels: Mapping[str, str]) -> list[str]:
    """Codes with a mean, in instrument order: only those can be drawn."""
    codes = ordered(entries, labels)
    return [code for code in codes if number(entries[code].get("mean")) is not None]


def _score_cells(entry: Mapping) -> dict[str, str]:
    """A score's display text on 0 to 100, in the domain table's column order."""
    return {
        "pct": fixed(entry.get("mean_pct"), 0),
        "sd": fixed(_sd_points(entry), 0),
        "n": str(entry.get("n") or 0),
        "band": band_name(_band(entry)),
    }


def _sd_points(entry: Mapping) -> float | None:
    sd = number(entry.get("sd_pct"))
    if sd is None and (raw := number(entry.get("sd"))) is not None:
        sd = raw * 25
    return sd


def _score_bars(
    codes: list[str], entries: Mapping, labels: Mapping[str, str], rows: Rows
) -> go.Bar:
    """One bar per code, the mean printed at its end; the band is named in the hover
    and read off the named shading behind, never from the bar's colour."""
    means = [number(entries[code].get("mean_pct")) for code in codes]
    cells = [_score_cells(entries[code]) for code in codes]
    return go.Bar(
        x=means,
        y=rows.positions,
        width=0.5,
        orientation="h",
        marker={"color": BLUE},
        text=[fixed(mean, 0) for mean in means],
        textposition="auto",
        insidetextanchor="end",
        insidetextfont={"color": WHITE},
        outsidetextfont={"color": INK},
        customdata=[
            [escape(title_of(code, labels)), c["pct"], c["band"], c["sd"], c["n"]]
            for code, c in zip(codes, cells, strict=True)
        ],
        hovertemplate=_(SCORE_HOVER) + EXTRA,
    )


def _bars_figure(bars: go.Bar, rows: Rows) -> dict:
    shading = band_shading()
    return figure(
        [bars],
        height=rows.height(110),
        margin={"l": 8, "r": 8, "t": 44, "b": 8, "pad": 2},
        xaxis=axis(range=[0, 100], dtick=25, title=axis_title(_(SCALE_TITLE))),
        yaxis=rows.yaxis(),
        shapes=shading["shapes"],
        annotations=shading["annotations"] + rows.annotations,
    )


def domain_bars(snapshot: SnapshotData, labels: Mapping[str, str]) -> Chart:
    """Purpose, function and form against the Wilder bands (framework 8): where the
    network stands on each, before any detail."""
    key, title = "domains", _("Purpose, function and form")
    if message := withheld(snapshot):
        return empty(key, title, message)
    domains = snapshot.get("domains") or {}
    columns = [_("Domain"), _("Score (0-100)"), _("SD"), _("People"), _("Band")]
    rows = [
        [title_of(code, labels), *_score_cells(domains[code]).values()]
        for code in ordered(domains, labels)
    ]
    codes = _scored(domains, labels)
    if not codes:
        message = _("No one has scored these domains yet.")
        return empty(key, title, message, Table(columns, rows))
    places = labelled_rows([(None, [title_of(code, labels) for code in codes])])
    fig = _bars_figure(_score_bars(codes, domains, labels, places), places)
    summary = _domain_summary(codes, domains, labels)
    return Chart(key, title, summary, fig, Table(columns, rows))


def _domain_summary(codes: list[str], domains: Mapping, labels: Mapping[str, str]) -> str:
    pct = {code: number(domains[code].get("mean_pct")) or 0.0 for code in codes}
    bands = [_band(domains[code]) for code in codes]
    top = max(codes, key=pct.__getitem__)
    low = min(codes, key=pct.__getitem__)
    if len(codes) == 1:
        return _one_score(title_of(top, labels), pct[top], bands[0])
    if f"{pct[top]:.0f}" == f"{pct[low]:.0f}":
        return _("All %(n)s domains score %(score)s out of 100; %(bands)s.") % {
            "n": len(codes),
            "score": f"{pct[top]:.0f}",
            "bands": band_tally(bands),
        }
    return _(
        "%(top)s scores highest at %(high)s out of 100 and %(low)s lowest at %(lowest)s; %(bands)s."
    ) % {
        "top": title_of(top, labels),
        "high": f"{pct[top]:.0f}",
        "low": title_of(low, labels).lower(),
        "lowest": f"{pct[low]:.0f}",
        "bands": band_tally(bands),
    }


def _one_score(title: str, score: float, band: str | None) -> str:
    return _("%(title)s scores %(score)s out of 100 and %(band)s.") % {
        "title": title,
        "score": f"{score:.0f}",
        "band": band_phrase(band),
    }


def subdimension_bars(snapshot: SnapshotData, labels: Mapping[str, str]) -> Chart:
    """Every sub-dimension, grouped under its domain by name, with reliability in the
    table so a network can see which scores it can lean on (framework 8)."""
    key, title = "subdimensions", _("Sub-dimensions")
    if message := withheld(snapshot):
        return empty(key, title, message)
    subs = snapshot.get("subdimensions") or {}
    codes = _by_domain(ordered(subs, labels), subs, labels)
    reliability = snapshot.get("reliability") or {}
    columns = [
        _("Domain"),
        _("Sub-dimension"),
        _("People"),
        _("Score (0-100)"),
        _("SD"),
        _("Band"),
        _("Alpha"),
    ]
    rows = [_sub_row(code, subs[code], reliability.get(code) or {}, labels) for code in codes]
    drawn = [code for code in codes if number(subs[code].get("mean")) is not None]
    if not drawn:
        message = _("No one has scored the sub-dimensions yet.")
        return empty(key, title, message, Table(columns, rows))
    places = labelled_rows(_under_domains(drawn, subs, labels))
    fig = _bars_figure(_score_bars(drawn, subs, labels, places), places)
    return Chart(key, title, _sub_summary(drawn, subs, labels), fig, Table(columns, rows))


def _by_domain(codes: list[str], subs: Mapping, labels: Mapping[str, str]) -> list[str]:
    """Sub-dimensions kept together under their domain, domains in instrument order."""
    domains = ordered((subs[code].get("domain") or "" for code in codes), labels)
    return sorted(codes, key=lambda code: domains.index(subs[code].get("domain") or ""))


def _under_domains(codes: list[str], subs: Mapping, labels: Mapping) -> list[tuple]:
    """(domain title, sub-dimension titles) for each run of one domain."""
    groups: list[tuple[str, list[str]]] = []
    for code in codes:
        heading = title_of(subs[code].get("domain") or "", labels)
        if not groups or groups[-1][0] != heading:
            groups.append((heading, []))
        groups[-1][1].append(title_of(code, labels))
    return groups


def _sub_row(code: str, entry: Mapping, reliability: Mapping, labels: Mapping) -> list[str]:
    alpha = number(reliability.get("alpha"))
    cells = _score_cells(entry)
    return [
        title_of(entry.get("domain") or "", labels),
        title_of(code, labels),
        *(cells[name] for name in ("n", "pct", "sd", "band")),
        _("not enough data") if alpha is None else f"{alpha:.2f}",
    ]


def _sub_summary(codes: list[str], subs: Mapping, labels: Mapping[str, str]) -> str:
    mean = {code: number(subs[code].get("mean_pct")) or 0.0 for code in codes}
    top = max(codes, key=mean.__getitem__)
    low = min(codes, key=mean.__getitem__)
    bands = [_band(subs[code]) for code in codes]
    if len(codes) == 1:
        return _one_score(title_of(top, labels), mean[top], bands[0])
    return _(
        "Of %(n)s sub-dimensions, %(top)s scores highest at %(high)s out of 100 and %(low)s "
        "lowest at %(lowest)s; %(bands)s."
    ) % {
        "n": len(codes),
        "top": title_of(top, labels),
        "high": f"{mean[top]:.0f}",
        "low": title_of(low, labels),
        "lowest": f"{mean[low]:.0f}",
        "bands": band_tally(bands),
    }


def function_mix(snapshot: SnapshotData, labels: Mapping[str, str]) -> Chart:
    """Performance against importance for each network function (framework 3): few
    networks do all six, so a gap matters only where members say the function should."""
    key, title = "function-mix", _("Function mix: how well against how much it matters")
    if message := withheld(snapshot):
        return empty(key, title, message)
    mix = snapshot.get("function_mix") or {}
    codes = ordered(mix, labels)
    columns = [
        _("Function"),
        _("Performance (1-5)"),
        _("Importance (1-5)"),
        _("Gap"),
        _("People"),
    ]
    rows = [_mix_row(code, mix[code], labels) for code in codes]
    drawn = [c for c in codes if any(_value(mix[c], end) is not None for end in ENDS)]
    if not drawn:
        message = _("No one has rated the network's functions yet.")
        return empty(key, title, message, Table(columns, rows))
    return Chart(
        key,
        title,
        _mix_summary(drawn, mix, labels),
        _dumbbells(drawn, mix, labels),
        Table(columns, rows),
    )


def _value(entry: Mapping, name: str) -> float | None:
    return number(entry.get(name))


def _mix_row(code: str, entry: Mapping, labels: Mapping[str, str]) -> list[str]:
    people = f"{entry.get('n_performance') or 0} / {entry.get('n_importance') or 0}"
    return [
        title_of(code, labels),
        fixed(entry.get("performance")),
        fixed(entry.get("importance")),
        fixed(entry.get("gap")),
        people,
    ]


def _dumbbells(codes: list[str], mix: Mapping, labels: Mapping[str, str]) -> dict:
    """A grey line from performance to importance, the two ends told apart by shape
    (circle, diamond) as well as colour and by a named legend."""
    places = labelled_rows([(None, [title_of(code, labels) for code in codes])])
    titles = [escape(title_of(code, labels)) for code in codes]
    link_x, link_y = [], []
    for code, y in zip(codes, places.positions, strict=True):
        link_x += [_value(mix[code], "performance"), _value(mix[code], "importance"), None]
        link_y += [y, y, None]
    traces = [
        go.Scatter(
            x=link_x,
            y=link_y,
            mode="lines",
            line={"color": "#8c8c8c", "width": 3},
            hoverinfo="skip",
            showlegend=False,
        ),
        _ends(
            codes,
            mix,
            places.positions,
            titles,
            "performance",
            _("Performance: how well it does this"),
            {"color": BLUE, "symbol": "circle"},
        ),
        _ends(
            codes,
            mix,
            places.positions,
            titles,
            "importance",
            _("Importance: how much it should matter"),
            {"color": VERMILLION, "symbol": "diamond"},
        ),
    ]
    return figure(
        traces,
        height=places.height(120),
        showlegend=True,
        xaxis=axis(
            range=[1, 5],
            dtick=1,
            showgrid=True,
            gridcolor=LIGHT,
            title=axis_title(_("Mean rating, 1 to 5")),
        ),
        yaxis=places.yaxis(),
        annotations=places.annotations,
    )


def _ends(codes, mix, ys, titles, name, legend, marker) -> go.Scatter:
    return go.Scatter(
        x=[_value(mix[code], name) for code in codes],
        y=ys,
        mode="markers",
        name=legend,
        marker={**marker, "size": 14, "line": {"color": WHITE, "width": 1}},
        cliponaxis=False,
        customdata=[
            [title, fixed(mix[code].get("gap"))] for code, title in zip(codes, titles, strict=True)
        ],
        hovertemplate=_end_hover(name) + EXTRA,
    )


def _end_hover(name: str) -> str:
    """Plotly fills %{customdata[0]} (the function), %{x:.2f} (the rating) and
    %{customdata[1]} (the gap)."""
    if name == "performance":
        return _(
            "<b>%{customdata[0]}</b><br>Performance %{x:.2f} out of 5"
            "<br>Gap (importance minus performance) %{customdata[1]}"
        )
    return _(
        "<b>%{customdata[0]}</b><br>Importance %{x:.2f} out of 5"
        "<br>Gap (importance minus performance) %{customdata[1]}"
    )


def _mix_summary(codes: list[str], mix: Mapping, labels: Mapping[str, str]) -> str:
    gaps = {code: number(mix[code].get("gap")) for code in codes}
    known = [code for code in codes if gaps[code] is not None]
    if not known:
        return _("No function has both a performance and an importance rating yet.")
    widest = max(known, key=gaps.__getitem__)
    short = sum(1 for code in known if gaps[code] > 0)
    entry = mix[widest]
    if gaps[widest] <= 0:
        return _("Every function performs at least as well as members think it matters.")
    return _(
        "The widest gap is %(function)s: importance %(importance)s but performance "
        "%(performance)s out of 5, %(gap)s short; %(short)s of %(n)s functions fall short "
        "of their importance."
    ) % {
        "function": title_of(widest, labels),
        "importance": fixed(entry["importance"]),
        "performance": fixed(entry["performance"]),
        "gap": f"{gaps[widest]:.1f}",
        "short": short,
        "n": len(known),
    }
