"""Domain scores round by round, with the 95 % interval of each change and the stage
each round reached."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from scorecards.charts.chart import (
    Chart,
    Table,
    axis,
    axis_title,
    empty,
    figure,
    ordered,
    series,
    title_of,
    withheld,
)
from scorecards.charts.headline import stage_name
from scorecards.charts.text import escape, fixed, listing, number, signed
from scorecards.scoring.shape import SnapshotData

Round = tuple[str, str, SnapshotData]  # title, closes on (ISO date), snapshot
TITLE = "Scores over time"
NOT_SHOWN = "not shown: too few answers"
TOO_FEW_ROUNDS = "The trend appears once the network has results from two rounds."


def trend(history: Sequence[Round], labels: Mapping[str, str]) -> Chart:
    """Each domain's score over rounds, oldest first.

    ``history`` holds (round title, closes on as an ISO date, snapshot) per round. An
    error bar shows the 95 % interval of the change since the round before, drawn
    around this round's score: it spans the previous score exactly when the change
    could be chance. Rounds with too few answers leave a gap, never a number.
    """
    key, title = "trend", TITLE
    rounds = list(history or [])
    if not rounds:
        return empty(key, title, TOO_FEW_ROUNDS)
    if message := withheld(rounds[-1][2]):
        return empty(key, title, message)
    domains = _domains(rounds, labels)
    names = _round_names(rounds)
    table = _table(rounds, names, domains, labels)
    if sum(1 for _, _, snap in rounds if snap.get("released")) < 2:
        return empty(key, title, TOO_FEW_ROUNDS, table)
    traces = [_line(i, code, rounds, names, labels) for i, code in enumerate(domains)]
    fig = figure(
        traces,
        height=380,
        showlegend=True,
        margin={"l": 8, "r": 8, "t": 8, "b": 8, "pad": 2},
        xaxis=axis(type="category", categoryorder="array", categoryarray=names),
        yaxis=axis(
            range=[0, 100],
            dtick=25,
            showgrid=True,
            gridcolor="#e8e8e8",
            title=axis_title("Score, 0 to 100"),
        ),
    )
    summary = _summary(rounds, domains, labels) + _version_note(rounds, names)
    return Chart(key, title, summary, fig, table)


def _version_note(rounds: list[Round], names: list[str]) -> str:
    """Where the scorecard changed version between rounds, say so: a domain's make-up
    changed with it, so its line joins scores that are not directly comparable."""
    notes = []
    for (_, _, before), (_, _, after), name in zip(rounds, rounds[1:], names[1:], strict=False):
        was = (before.get("context") or {}).get("instrument_version")
        now = (after.get("context") or {}).get("instrument_version")
        if was is not None and now is not None and was != now:
            notes.append(
                f" The scorecard changed from version {was} to {now} in {name}: scores either "
                "side are not directly comparable, and changes since the round before are "
                "shown only for the sub-dimensions asked the same way in both."
            )
    return "".join(notes)


def _domains(rounds: list[Round], labels: Mapping[str, str]) -> list[str]:
    codes = [code for _, _, snap in rounds for code in (snap.get("domains") or {})]
    return ordered(codes, labels)


def _round_names(rounds: list[Round]) -> list[str]:
    """Escaped round titles; a title used twice gets its date, so rounds never merge."""
    titles = [str(title) for title, _, _ in rounds]
    return [
        escape(f"{title} ({closes})" if titles.count(title) > 1 else title)
        for title, (_, closes, _) in zip(titles, rounds, strict=True)
    ]


def _score(snap: Mapping, code: str) -> float | None:
    if not snap.get("released"):
        return None
    return number(((snap.get("domains") or {}).get(code) or {}).get("mean_pct"))


def _change(snap: Mapping, code: str) -> Mapping:
    if not snap.get("released"):
        return {}
    return ((snap.get("changes") or {}).get("domains") or {}).get(code) or {}


def _change_text(change: Mapping) -> str:
    diff = number(change.get("diff"))
    low, high = number(change.get("ci_low")), number(change.get("ci_high"))
    if diff is None:
        return "no earlier round to compare"
    if low is None or high is None:
        return f"{signed(diff)} points"
    return f"{signed(diff)} points (95% interval {signed(low)} to {signed(high)})"


def _stage_text(snap: Mapping) -> str:
    if not snap.get("released"):
        return NOT_SHOWN
    stage = (snap.get("stage") or {}).get("stage")
    return stage_name(stage) if stage else "no stage"


def _line(index, code, rounds, names, labels) -> go.Scatter:
    style = series(index)
    domain = escape(title_of(code, labels))
    scores = [_score(snap, code) for _, _, snap in rounds]
    changes = [_change(snap, code) for _, _, snap in rounds]
    return go.Scatter(
        x=names,
        y=scores,
        name=domain,
        mode="lines+markers",
        line={"color": style["colour"], "dash": style["dash"], "width": 2},
        marker={"symbol": style["symbol"], "size": 10, "color": style["colour"]},
        error_y=_interval(changes, style["colour"]),
        customdata=[
            [domain, escape(_stage_text(snap)), escape(_change_text(change))]
            for (_, _, snap), change in zip(rounds, changes, strict=True)
        ],
        hovertemplate="<b>%{customdata[0]}</b>, %{x}<br>%{y:.1f} out of 100<br>"
        "Change: %{customdata[2]}<br>Stage: %{customdata[1]}<extra></extra>",
    )


def _interval(changes: list[Mapping], colour: str) -> dict:
    """The change's interval moved onto this round's score: from previous + low to
    previous + high."""
    plus, minus = [], []
    for change in changes:
        diff, low, high = (number(change.get(k)) for k in ("diff", "ci_low", "ci_high"))
        known = None not in (diff, low, high)
        plus.append(high - diff if known else None)
        minus.append(diff - low if known else None)
    return {
        "type": "data",
        "symmetric": False,
        "array": plus,
        "arrayminus": minus,
        "color": colour,
        "thickness": 1.5,
        "width": 6,
    }


def _table(rounds, names, domains, labels) -> Table:
    columns = ["Round", "Closes on", "Stage"]
    for code in domains:
        columns += [f"{title_of(code, labels)} (0-100)", f"{title_of(code, labels)} change"]
    rows = []
    for title, closes, snap in rounds:
        row = [str(title), str(closes), _stage_text(snap)]
        for code in domains:
            score = _score(snap, code)
            shown = snap.get("released")
            row += [fixed(score, 0), _change_text(_change(snap, code)) if shown else NOT_SHOWN]
        rows.append(row)
    return Table(columns, rows)


def _summary(rounds, domains, labels) -> str:
    title, _, snap = rounds[-1]
    parts, clear = [], []
    for i, code in enumerate(domains):
        score, change = _score(snap, code), _change(snap, code)
        name = title_of(code, labels).lower()
        diff = number(change.get("diff"))
        moved = f" ({signed(diff)}{' since the round before' if i == 0 else ''})"
        parts.append(f"{name} {fixed(score, 0)}{moved if diff is not None else ''}")
        low, high = number(change.get("ci_low")), number(change.get("ci_high"))
        if low is not None and high is not None and (low > 0 or high < 0):
            clear.append(name)
    verdict = "none of these changes is clearly more than chance"
    if clear:
        verdict = f"the change in {listing(clear)} is clear (its 95% interval leaves out zero)"
        if len(clear) > 1:
            verdict = f"the changes in {listing(clear)} are clear (95% intervals leave out zero)"
    if all(number(_change(snap, code).get("diff")) is None for code in domains):
        verdict = "there is no earlier round to compare with"
    return (
        f"In {title}, the latest of {len(rounds)} rounds, the scores out of 100 are "
        f"{listing(parts)}; {verdict}."
    )
