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
from scorecards.scoring.stages import (
    STAGES,
    stage_word,
)
from scorecards.scoring.words import gettext as _
from scorecards.scoring.words import ngettext


def stage_name(code: object) -> str:
    """``pre-emergent`` as ``Pre-emergent``, in the reader's language."""
    name = stage_word(str(code))
    return name[:1].upper() + name[1:]


def stage_track(snapshot: SnapshotData) -> Chart:
    """The four stages as a track with this network's stage marked (framework 1): the
    first thing a leader looks for, so it leads the dashboard. A borderline stage marks
    the other stage the evidence allows too, so the chart never claims more certainty
    than the words beside it."""
    key, title = "stage", _("Stage of the network")
    if message := withheld(snapshot):
        return empty(key, title, message)
    stage = snapshot.get("stage") or {}
    current = stage.get("stage")
    if current not in STAGES:
        summary = stage.get("summary") or _("No stage was worked out for this round.")
        return empty(key, title, summary)
    others = [s for s in stage.get("alternatives") or [] if s in STAGES and s != current]
    if others:
        names = stage_name(others[0]).lower()
        for other in others[1:]:
            names = _("%(stages)s or %(stage)s") % {
                "stages": names,
                "stage": stage_name(other).lower(),
            }
        summary = _("%(stage)s, but borderline: it could be %(others)s.") % {
            "stage": stage_name(current),
            "others": names,
        }
    else:
        summary = _("%(stage)s, clearly.") % {"stage": stage_name(current)}
    where = {current: _("This network"), **dict.fromkeys(others, _("Could be"))}
    rows = [[stage_name(code), where.get(code, "")] for code in STAGES]
    table = Table([_("Stage"), _("Where")], rows)
    return Chart(key, title, summary, _track(current, others), table)


def _track(current: str, others: list[str]) -> dict:
    """Equal segments in stage order; the current one is dark, outlined and says
    "this network" in words; a stage it could also be says so."""
    marked = [code == current for code in STAGES]
    here, maybe = _("this network"), _("could be")
    names = [escape(stage_name(code)) for code in STAGES]
    bar = go.Bar(
        x=list(STAGES),
        y=[1] * len(STAGES),
        width=0.96,
        text=[
            f"<b>{name}</b><br>{here}" if on else f"{name}<br>{maybe}" if code in others else name
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
    key, title = "response-rate", _("Who has answered")
    answered = int(number(snapshot.get("n_respondents")) or 0)
    invited = int(number(snapshot.get("invited")) or 0)
    rows = [[_("Answered"), str(answered)]]
    columns = [_("Measure"), _("Value")]
    if not invited:
        message = _("No invitations were counted for this round, so there is no response rate.")
        summary = ngettext(
            "%(n)s person has answered.", "%(n)s people have answered.", answered
        ) % {"n": answered}
        return Chart(key, title, summary, None, Table(columns, rows), empty_message=message)
    rate = f"{100 * answered / invited:.0f}%"
    waiting = max(invited - answered, 0)
    rows = [[_("Invited"), str(invited)], *rows, [_("Not yet answered"), str(waiting)]]
    rows.append([_("Response rate"), rate])
    earlier = ((snapshot.get("context") or {}).get("response_rate_history") or [])[:-1]
    if earlier:
        rows.append([_("Earlier rounds"), ", ".join(f"{number(r) or 0:.0f}%" for r in earlier)])
    summary = ngettext(
        "%(n)s of the %(invited)s people invited has answered (%(rate)s).",
        "%(n)s of the %(invited)s people invited have answered (%(rate)s).",
        answered,
    ) % {"n": answered, "invited": invited, "rate": rate}
    fig = _answered(answered, waiting, rate)
    return Chart(key, title, summary, fig, Table(columns, rows))


def _answered(answered: int, waiting: int, rate: str) -> dict:
    """One stacked bar: answered (dark) and not yet (light, outlined), each named in
    its own text."""
    parts = [
        (
            _("answered"),
            answered,
            BLUE,
            WHITE,
            _("%(n)s answered (%(rate)s)") % {"n": answered, "rate": rate},
        ),
        (_("not yet"), waiting, LIGHT, INK, _("%(n)s not yet") % {"n": waiting}),
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
        xaxis=axis(title=axis_title(_("People invited")), rangemode="tozero"),
        yaxis=axis(type="category", visible=False),
    )
