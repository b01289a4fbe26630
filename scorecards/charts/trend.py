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
from scorecards.charts.text import escape, fixed, number, signed
from scorecards.scoring.shape import SnapshotData
from scorecards.scoring.words import gettext as _
from scorecards.scoring.words import gettext_noop, listing

Round = tuple[str, str, SnapshotData]  # title, closes on (ISO date), snapshot
TITLE = gettext_noop("Scores over time")
NOT_SHOWN = gettext_noop("not shown: too few answers")
TOO_FEW_ROUNDS = gettext_noop("The trend appears once the network has results from two rounds.")


def trend(history: Sequence[Round], labels: Mapping[str, str]) -> Chart:
    """Each domain's score over rounds, oldest first.

    ``history`` holds (round title, closes on as an ISO date, snapshot) per round. An
    error bar shows the 95 % interval of the change since the round before, drawn
    around this round's score: it spans the previous score exactly when the change
    could be chance. Rounds with too few answers leave a gap, never a number.
    """
    key, title = "trend", _(TITLE)
    rounds = list(history or [])
    if not rounds:
        return empty(key, title, _(TOO_FEW_ROUNDS))
    if message := withheld(rounds[-1][2]):
        return empty(key, title, message)
    domains = _domains(rounds, labels)
    names = _round_names(rounds)
    table = _table(rounds, names, domains, labels)
    if sum(1 for __, __, snap in rounds if snap.get("released")) < 2:
        return empty(key, title, _(TOO_FEW_ROUNDS), table)
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
            title=axis_title(_("Score, 0 to 100")),
        ),
    )
    summary = _summary(rounds, domains, labels) + _version_note(rounds, names)
    return Chart(key, title, summary, fig, table)


def _version_note(rounds: list[Round], names: list[str]) -> str:
    """Where the scorecard changed version between rounds, say so: a domain's make-up
    changed with it, so its line joins scores that are not directly comparable."""
    notes = []
    for (__, __, before), (__, __, after), name in zip(rounds, rounds[1:], names[1:], strict=False):
        was = (before.get("context") or {}).get("instrument_version")
        now = (after.get("context") or {}).get("instrument_version")
        if was is not None and now is not None and was != now:
            notes.append(
                " "
                + _(
                    "The scorecard changed from version %(was)s to %(now)s in %(round)s: "
                    "scores either side are not directly comparable, and changes since the "
                    "round before are shown only for the sub-dimensions asked the same way "
                    "in both."
                )
                % {"was": was, "now": now, "round": name}
            )
    return "".join(notes)


def _domains(rounds: list[Round], labels: Mapping[str, str]) -> list[str]:
    codes = [code for __, __, snap in rounds for code in (snap.get("domains") or {})]
    return ordered(codes, labels)


def _round_names(rounds: list[Round]) -> list[str]:
    """Escaped round titles; a title used twice gets its date, so rounds never merge."""
    titles = [str(title) for title, __, __ in rounds]
    return [
        escape(f"{title} ({closes})" if titles.count(title) > 1 else title)
        for title, (__, closes, __) in zip(titles, rounds, strict=True)
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
        return _("no earlier round to compare")
    if low is None or high is None:
        return _("%(diff)s points") % {"diff": signed(diff)}
    return _("%(diff)s points (95%% interval %(low)s to %(high)s)") % {
        "diff": signed(diff),
        "low": signed(low),
        "high": signed(high),
    }


def _stage_text(snap: Mapping) -> str:
    if not snap.get("released"):
        return _(NOT_SHOWN)
    stage = (snap.get("stage") or {}).get("stage")
    return stage_name(stage) if stage else _("no stage")


def _line(index, code, rounds, names, labels) -> go.Scatter:
    style = series(index)
    domain = escape(title_of(code, labels))
    scores = [_score(snap, code) for __, __, snap in rounds]
    changes = [_change(snap, code) for __, __, snap in rounds]
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
            for (__, __, snap), change in zip(rounds, changes, strict=True)
        ],
        # Plotly fills %{customdata[0]} (the domain), %{x} (the round), %{y:.1f} (the
        # score), %{customdata[2]} (the change) and %{customdata[1]} (the stage).
        hovertemplate=_(
            "<b>%{customdata[0]}</b>, %{x}<br>%{y:.1f} out of 100<br>"
            "Change: %{customdata[2]}<br>Stage: %{customdata[1]}"
        )
        + "<extra></extra>",
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
    columns = [_("Round"), _("Closes on"), _("Stage")]
    for code in domains:
        domain = {"domain": title_of(code, labels)}
        columns += [_("%(domain)s (0-100)") % domain, _("%(domain)s change") % domain]
    rows = []
    for title, closes, snap in rounds:
        row = [str(title), str(closes), _stage_text(snap)]
        for code in domains:
            score = _score(snap, code)
            shown = snap.get("released")
            row += [fixed(score, 0), _change_text(_change(snap, code)) if shown else _(NOT_SHOWN)]
        rows.append(row)
    return Table(columns, rows)


def _summary(rounds, domains, labels) -> str:
    title, __, snap = rounds[-1]
    parts, clear = [], []
    for i, code in enumerate(domains):
        score, change = _score(snap, code), _change(snap, code)
        name = title_of(code, labels).lower()
        parts.append(_domain_now(name, fixed(score, 0), number(change.get("diff")), first=i == 0))
        low, high = number(change.get("ci_low")), number(change.get("ci_high"))
        if low is not None and high is not None and (low > 0 or high < 0):
            clear.append(name)
    verdict = _("none of these changes is clearly more than chance")
    if clear:
        verdict = _("the change in %(domains)s is clear (its 95%% interval leaves out zero)")
        if len(clear) > 1:
            verdict = _("the changes in %(domains)s are clear (95%% intervals leave out zero)")
        verdict = verdict % {"domains": listing(clear)}
    if all(number(_change(snap, code).get("diff")) is None for code in domains):
        verdict = _("there is no earlier round to compare with")
    return _(
        "In %(round)s, the latest of %(n)s rounds, the scores out of 100 are %(scores)s; "
        "%(verdict)s."
    ) % {"round": title, "n": len(rounds), "scores": listing(parts), "verdict": verdict}


def _domain_now(name: str, score: str, diff: float | None, first: bool) -> str:
    """``purpose 62 (+6 since the round before)``: the first domain says since when."""
    if diff is None:
        return _("%(domain)s %(score)s") % {"domain": name, "score": score}
    if first:
        return _("%(domain)s %(score)s (%(diff)s since the round before)") % {
            "domain": name,
            "score": score,
            "diff": signed(diff),
        }
    return _("%(domain)s %(score)s (%(diff)s)") % {
        "domain": name,
        "score": score,
        "diff": signed(diff),
    }
