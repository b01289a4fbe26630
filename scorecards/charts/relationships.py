"""How the network is connected: a map of ties between stakeholder groups, a map of
the members who agreed to be shown by name, and three figures over rounds.

Drawn from a release's ``relationships`` entry (``scoring.relationships``), which has
already merged groups too small to show and left out every tie without consent at
both ends; nothing here can put a name on a tie the release does not hold.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go

from scorecards.charts.chart import (
    BLUE,
    INK,
    LIGHT,
    MUTED,
    VERMILLION,
    Chart,
    Table,
    axis,
    empty,
    figure,
    series,
    withheld,
)
from scorecards.charts.text import escape, number
from scorecards.charts.trend import Round
from scorecards.scoring import relationship_words
from scorecards.scoring.relationship_words import trend
from scorecards.scoring.relationships import aggregate_key, layout
from scorecards.scoring.shape import SnapshotData
from scorecards.scoring.words import gettext as _
from scorecards.scoring.words import gettext_noop, group_name, ngettext

GROUPS_KEY, GROUPS_TITLE = "relationships-groups", gettext_noop("Working ties between groups")
NAMED_KEY = "relationships-named"
NAMED_TITLE = gettext_noop("Members who agreed to be shown by name")
TREND_KEY, TREND_TITLE = "relationships-trend", gettext_noop("How connected over time")
NOT_ASKED = gettext_noop("This round did not ask who works with whom.")
WITHHELD = gettext_noop("Too few members answered the question of who works with whom to show it.")
TOO_FEW = gettext_noop("too few to show")
# The figures followed over rounds, as shares on 0 to 100.
TREND_FIGURES = (
    ("density", gettext_noop("Possible ties that exist")),
    ("cross_group_share", gettext_noop("Ties that cross groups")),
    ("centralisation", gettext_noop("Centralisation")),
)


def _ties(count: int) -> str:
    return ngettext("%(n)s tie", "%(n)s ties", count) % {"n": count}


def relationship_charts(snapshot: SnapshotData, history: Sequence[Round] | None) -> list[Chart]:
    return [group_map(snapshot), named_map(snapshot), relationship_trend(history or [])]


def _shown(snapshot: SnapshotData) -> tuple[dict | None, str | None]:
    """The release's relationships, or why there are none to draw."""
    if message := withheld(snapshot):
        return None, message
    rel = snapshot.get("relationships")
    if not rel:
        return None, _(NOT_ASKED)
    if rel.get("withheld"):
        return None, _(WITHHELD)
    return rel, None


def _circle(count: int) -> list[tuple[float, float]]:
    """Evenly round a circle, the first at the top: a fixed place for each group, so
    two rounds' maps read alike."""
    return [
        (math.sin(2 * math.pi * i / count), math.cos(2 * math.pi * i / count)) for i in range(count)
    ]


def group_map(snapshot: SnapshotData) -> Chart:
    """A node per stakeholder group (its size the number of people), a line between
    two groups as wide as the ties between them; ties inside a group in its label."""
    rel, message = _shown(snapshot)
    if rel is None:
        return empty(GROUPS_KEY, _(GROUPS_TITLE), message)
    table = group_table(rel)
    groups = (rel.get("group_ties") or {}).get("groups") or []
    between = [e for e in (rel.get("group_ties") or {}).get("between") or [] if e.get("ties")]
    summary = _group_summary(rel)
    if len(groups) < 2:
        return empty(GROUPS_KEY, _(GROUPS_TITLE), summary, table)
    place = dict(zip([g["name"] for g in groups], _circle(len(groups)), strict=True))
    widest = max((e["ties"] for e in between), default=1)
    traces = [
        go.Scatter(
            x=[place[e["a"]][0], place[e["b"]][0]],
            y=[place[e["a"]][1], place[e["b"]][1]],
            mode="lines",
            line={"width": 1 + 11 * e["ties"] / widest, "color": BLUE},
            opacity=0.6,
            hoverinfo="text",
            text=_("%(a)s and %(b)s: %(ties)s")
            % {
                "a": escape(group_name(e["a"])),
                "b": escape(group_name(e["b"])),
                "ties": _ties(e["ties"]),
            },
            showlegend=False,
        )
        for e in between
    ]
    biggest = max(g["size"] for g in groups) or 1
    traces.append(
        go.Scatter(
            x=[place[g["name"]][0] for g in groups],
            y=[place[g["name"]][1] for g in groups],
            mode="markers+text",
            marker={
                "size": [18 + 30 * math.sqrt(g["size"] / biggest) for g in groups],
                "color": VERMILLION,
                "line": {"color": INK, "width": 1},
            },
            text=[
                _("%(group)s<br>%(size)s people, %(inside)s")
                % {"group": escape(group_name(g["name"])), "size": g["size"], "inside": _inside(g)}
                for g in groups
            ],
            textposition=["top center" if y >= 0 else "bottom center" for __, y in place.values()],
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig = figure(
        traces,
        height=460,
        margin={"l": 40, "r": 40, "t": 60, "b": 60},
        xaxis=axis(visible=False, range=[-1.6, 1.6]),
        yaxis=axis(visible=False, range=[-1.5, 1.5], scaleanchor="x"),
    )
    return Chart(GROUPS_KEY, _(GROUPS_TITLE), summary, fig, table)


def _inside(group: dict) -> str:
    inside = group.get("internal")
    if inside is None:
        return _(TOO_FEW)
    return ngettext("%(n)s tie inside", "%(n)s ties inside", inside) % {"n": inside}


def group_table(rel: dict) -> Table:
    """Ties inside each group and between each pair of groups, as the map draws them."""
    ties = rel.get("group_ties") or {}
    rows = [
        [group_name(g["name"]), group_name(g["name"]), _count(g.get("internal"))]
        for g in ties.get("groups") or []
    ] + [
        [group_name(e["a"]), group_name(e["b"]), _count(e.get("ties"))]
        for e in ties.get("between") or []
    ]
    return Table([_("Group"), _("With group"), _("Working ties")], rows)


def _count(value) -> str:
    return _(TOO_FEW) if value is None else str(value)


def _group_summary(rel: dict) -> str:
    # Worded from the released figures in the drawing language, as pages word them.
    sentences = relationship_words.sentences(rel) if rel.get("sentences") else []
    merged = (rel.get("group_ties") or {}).get("merged") or []
    if merged:
        sentences.append(
            _("Groups too small to show apart (%(groups)s) are drawn together as “Other groups”.")
            % {"groups": ", ".join(group_name(name) for name in merged)}
        )
    return " ".join(sentences) or _("No working ties were reported.")


def named_map(snapshot: SnapshotData) -> Chart:
    """Members who agreed to be shown by name, the ties between two of them (both
    agreed), and everyone else as one node per group; never who named whom."""
    rel, message = _shown(snapshot)
    if rel is None:
        return empty(NAMED_KEY, _(NAMED_TITLE), message)
    named = rel.get("named_map") or {}
    nodes = named.get("nodes") or []
    if not nodes:
        return empty(
            NAMED_KEY,
            _(NAMED_TITLE),
            _(
                "Nobody agreed to be shown by name, so there is no named map; the group map "
                "above shows how the network is connected."
            ),
        )
    names = {n["id"]: n.get("name") or _("A member") for n in nodes}
    aggregates = named.get("aggregates") or []
    places = _named_places(named)
    traces = [_named_edge(places, e, names) for e in named.get("edges") or []]
    traces.append(
        go.Scatter(
            x=[places[aggregate_key(a["group"])][0] for a in aggregates],
            y=[places[aggregate_key(a["group"])][1] for a in aggregates],
            mode="markers+text",
            marker={"size": 30, "color": LIGHT, "line": {"color": MUTED, "width": 1}},
            text=[
                _("%(group)s<br>(%(size)s others)")
                % {"group": escape(group_name(a["group"])), "size": a["size"]}
                for a in aggregates
            ],
            textposition="bottom center",
            hoverinfo="text",
            showlegend=False,
        )
    )
    traces.append(
        go.Scatter(
            x=[places[n["id"]][0] for n in nodes],
            y=[places[n["id"]][1] for n in nodes],
            mode="markers+text",
            marker={"size": 14, "color": series(0)["colour"], "line": {"color": INK, "width": 1}},
            text=[escape(names[n["id"]]) for n in nodes],
            textposition="top center",
            hovertext=[
                _("%(member)s (%(group)s): %(ties)s")
                % {
                    "member": escape(names[n["id"]]),
                    "group": escape(group_name(n["group"])),
                    "ties": _ties(n.get("ties") or 0),
                }
                for n in nodes
            ],
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig = figure(
        traces,
        height=520,
        margin={"l": 30, "r": 30, "t": 40, "b": 40},
        xaxis=axis(visible=False),
        yaxis=axis(visible=False, scaleanchor="x"),
    )
    table = Table(
        [_("Member"), _("Group"), _("Working ties")],
        [[names[n["id"]], group_name(n["group"]), str(n.get("ties") or 0)] for n in nodes],
    )
    summary = ngettext(
        "%(n)s member agreed to be shown by name. A line joins two of them only when both "
        "agreed; everyone else is counted, without their ties, in their group's grey circle.",
        "%(n)s members agreed to be shown by name. A line joins two of them only when both "
        "agreed; everyone else is counted, without their ties, in their group's grey circle.",
        len(nodes),
    ) % {"n": len(nodes)}
    return Chart(NAMED_KEY, _(NAMED_TITLE), summary, fig, table)


def _named_places(named: dict) -> dict:
    """Positions for named members (by id) and groups (by ``aggregate_key``), from
    the deterministic spring layout of ``scoring.relationships``."""
    return layout(named, seed=1)


def _named_edge(places: dict, edge: dict, names: dict) -> go.Scatter:
    a, b = places[edge["a"]], places[edge["b"]]
    return go.Scatter(
        x=[a[0], b[0]],
        y=[a[1], b[1]],
        mode="lines",
        line={"width": 1 + edge.get("closeness", 1), "color": BLUE},
        opacity=0.7,
        hoverinfo="text",
        text=_("%(a)s and %(b)s") % {"a": escape(names[edge["a"]]), "b": escape(names[edge["b"]])},
        showlegend=False,
    )


def relationship_trend(history: Sequence[Round]) -> Chart:
    """Density, the share of ties crossing groups and centralisation, round by round,
    as released (a round whose figures were withheld leaves a gap)."""
    rounds = [(title, closes, data) for title, closes, data in history]
    if not rounds:
        return empty(TREND_KEY, _(TREND_TITLE), _(NOT_ASKED))
    if message := withheld(rounds[-1][2]):
        return empty(TREND_KEY, _(TREND_TITLE), message)
    values = [
        (title, {key: _percent(data, key) for key, __ in TREND_FIGURES}, _figures(data))
        for title, __, data in rounds
    ]
    asked = [(t, v, f) for t, v, f in values if any(x is not None for x in v.values())]
    table = Table(
        [_("Round"), *(_(label) for __, label in TREND_FIGURES)],
        [[title, *(_shown_percent(v[key]) for key, __ in TREND_FIGURES)] for title, v, __ in asked],
    )
    if len(asked) < 2:
        return empty(
            TREND_KEY,
            _(TREND_TITLE),
            _("The trend appears once two rounds have asked who works with whom."),
            table,
        )
    titles = [title for title, __, __ in asked]
    traces = [
        go.Scatter(
            x=titles,
            y=[v[key] for __, v, __ in asked],
            name=_(label),
            mode="lines+markers",
            line={"color": series(i)["colour"], "dash": series(i)["dash"]},
            marker={"symbol": series(i)["symbol"], "size": 9},
            connectgaps=False,
        )
        for i, (key, label) in enumerate(TREND_FIGURES)
    ]
    fig = figure(
        traces,
        height=360,
        showlegend=True,
        margin={"l": 8, "r": 8, "t": 40, "b": 8, "pad": 2},
        xaxis=axis(type="category"),
        yaxis=axis(range=[0, 100], dtick=25, title={"text": _("Per cent")}),
    )
    summary = _trend_summary([(t, f) for t, __, f in asked])
    return Chart(TREND_KEY, _(TREND_TITLE), summary, fig, table)


def _figures(data: SnapshotData) -> dict:
    rel = (data or {}).get("relationships") or {}
    return {} if rel.get("withheld") else rel


def _percent(data: SnapshotData, key: str) -> float | None:
    rel = (data or {}).get("relationships") or {}
    if rel.get("withheld"):
        return None
    value = number(rel.get(key))
    return None if value is None else round(100 * value)


def _shown_percent(value) -> str:
    return _("not shown") if value is None else f"{value:.0f}%"


def _trend_summary(rounds: list[tuple[str, dict]]) -> str:
    """What changed since the round before, in the words of ``scoring.relationships``."""
    (before_title, before), (__, now) = rounds[-2], rounds[-1]
    said = trend(now, before)["sentences"]
    if not said:
        return _("Not enough was shown in %(round)s and this round to compare.") % {
            "round": before_title
        }
    return _("Since %(round)s: %(changes)s") % {"round": before_title, "changes": " ".join(said)}
