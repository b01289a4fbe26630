"""The headline: which stage the network is in, and how many people answered."""

from __future__ import annotations

import plotly.graph_objects as go

from scorecards.charts.chart import (
    BLUE,
    INK,
    LIGHT,
    MUTED,
    WHITE,
    Chart,
    Table,
    axis,
    axis_title,
    empty,
    figure,
    withheld,
)
from scorecards.charts.text import escape, number
from scorecards.scoring.shape import SnapshotData
from scorecards.scoring.stages import STAGES


def stage_name(code: object) -> str:
    """``pre-emergent`` as ``Pre-emergent``."""
    return str(code).capitalize()


def stage_track(snapshot: SnapshotData) -> Chart:
    """The four stages as a track with this network's stage marked (framework 1): the
    first thing a leader looks for, so it leads the dashboard. A borderline stage marks
    the other stage the evidence allows too, so the chart never claims more certainty
    than the words beside it."""
    key, title = "stage", "Stage of the network"
    if message := withheld(snapshot):
        return empty(key, title, message)
    stage = snapshot.get("stage") or {}
    current = stage.get("stage")
    if current not in STAGES:
        return empty(key, title, stage.get("summary") or "No stage was worked out for this round.")
    others = [s for s in stage.get("alternatives") or [] if s in STAGES and s != current]
    if others:
        names = " or ".join(stage_name(s).lower() for s in others)
        summary = f"{stage_name(current)}, but borderline: it could be {names}."
    else:
        summary = f"{stage_name(current)}, clearly."
    where = {current: "This network", **dict.fromkeys(others, "Could be")}
    rows = [[stage_name(code), where.get(code, "")] for code in STAGES]
    return Chart(key, title, summary, _track(current, others), Table(["Stage", "Where"], rows))


def _track(current: str, others: list[str]) -> dict:
    """Equal segments in stage order; the current one is dark, outlined and says
    "this network" in words; a stage it could also be says so."""
    marked = [code == current for code in STAGES]
    here = "this network"
    names = [escape(stage_name(code)) for code in STAGES]
    bar = go.Bar(
        x=list(STAGES),
        y=[1] * len(STAGES),
        width=0.96,
        text=[
            f"<b>{name}</b><br>{here}" if on else f"{name}<br>could be" if code in others else name
            for name, on, code in zip(names, marked, STAGES, strict=True)
        ],
        textposition="inside",
        insidetextanchor="middle",
        textangle=0,
        textfont={"color": [WHITE if on else INK for on in marked]},
        marker={
            "color": [BLUE if on else LIGHT for on in marked],
            "line": {"color": [INK if on else MUTED for on in marked], "width": 1},
        },
        customdata=[
            [f"{name}: {escape(here)}" if on else name]
            for name, on in zip(names, marked, strict=True)
        ],
        hovertemplate="%{customdata[0]}<extra></extra>",
    )
    return figure(
        [bar],
        height=110,
        bargap=0.04,
        xaxis=axis(type="category", visible=False),
        yaxis=axis(visible=False, range=[0, 1]),
    )


def response_rate(snapshot: SnapshotData) -> Chart:
    """Respondents against invitations. Counts are public even before release (T1
    hides scores, not how many answered), so this chart is never withheld."""
    key, title = "response-rate", "Who has answered"
    answered = int(number(snapshot.get("n_respondents")) or 0)
    invited = int(number(snapshot.get("invited")) or 0)
    rows = [["Answered", str(answered)]]
    if not invited:
        message = "No invitations were counted for this round, so there is no response rate."
        verb = "has" if answered == 1 else "have"
        return Chart(
            key,
            title,
            f"{answered} {'person' if answered == 1 else 'people'} {verb} answered.",
            None,
            Table(["Measure", "Value"], rows),
            empty_message=message,
        )
    rate = f"{100 * answered / invited:.0f}%"
    waiting = max(invited - answered, 0)
    rows = [["Invited", str(invited)], *rows, ["Not yet answered", str(waiting)]]
    rows.append(["Response rate", rate])
    earlier = ((snapshot.get("context") or {}).get("response_rate_history") or [])[:-1]
    if earlier:
        rows.append(["Earlier rounds", ", ".join(f"{number(r) or 0:.0f}%" for r in earlier)])
    verb = "has" if answered == 1 else "have"
    summary = f"{answered} of the {invited} people invited {verb} answered ({rate})."
    return Chart(
        key, title, summary, _answered(answered, waiting, rate), Table(["Measure", "Value"], rows)
    )


def _answered(answered: int, waiting: int, rate: str) -> dict:
    """One stacked bar: answered (dark) and not yet (light, outlined), each named in
    its own text."""
    parts = [
        ("answered", answered, BLUE, WHITE, f"{answered} answered ({rate})"),
        ("not yet", waiting, LIGHT, INK, f"{waiting} not yet"),
    ]
    traces = [
        go.Bar(
            y=["invited"],
            x=[count],
            orientation="h",
            name=name,
            text=[label],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": ink},
            marker={"color": colour, "line": {"color": MUTED, "width": 1}},
            hovertemplate=f"{label}<extra></extra>",
        )
        for name, count, colour, ink, label in parts
    ]
    return figure(
        traces,
        height=130,
        barmode="stack",
        xaxis=axis(title=axis_title("People invited"), rangemode="tozero"),
        yaxis=axis(type="category", visible=False),
    )
