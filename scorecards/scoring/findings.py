"""What a dashboard says besides its charts: strengths, concerns, and the questions a
steering group should talk about. Pure functions of snapshot data."""

from dataclasses import dataclass

from scorecards.scoring.shape import SnapshotData, Stage
from scorecards.scoring.stages import STAGES, line
from scorecards.scoring.words import _, gettext_noop, ngettext, pgettext

TOP = 3


@dataclass(frozen=True)
class Point:
    title: str
    detail: str


def strengths_and_concerns(data: SnapshotData, labels: dict) -> tuple[list[Point], list[Point]]:
    """Sub-dimensions in the Wilder strength band (75 and above on 0 to 100, 4.0 on 1 to
    5) and concern band (under 50, 3.0), strongest and weakest first."""
    subs = [
        (code, entry)
        for code, entry in (data.get("subdimensions") or {}).items()
        if entry.get("mean")
    ]

    def point(code, entry):
        return Point(
            labels.get(code, code),
            ngettext(
                "%(score)s out of 100 from %(n)s member",
                "%(score)s out of 100 from %(n)s members",
                entry["n"],
            )
            % {"score": f"{entry['mean_pct']:.0f}", "n": entry["n"]},
        )

    strengths = sorted(
        (s for s in subs if s[1].get("band") == "strength"), key=lambda s: -s[1]["mean"]
    )
    concerns = sorted(
        (s for s in subs if s[1].get("band") == "concern"), key=lambda s: s[1]["mean"]
    )
    return [point(*s) for s in strengths], [point(*s) for s in concerns]


def questions_for_steering_group(data: SnapshotData, labels: dict) -> dict[str, list[Point]]:
    """The widest disagreements, the largest gaps to target, the biggest changes."""
    return {
        "disagreements": _disagreements(data, labels),
        "gaps": _gaps_to_target(data, labels),
        "changes": _changes(data, labels),
    }


def _disagreements(data: SnapshotData, labels: dict) -> list[Point]:
    subs = [
        (code, e)
        for code, e in (data.get("subdimensions") or {}).items()
        if e.get("agreement") is not None
    ]
    widest = sorted(subs, key=lambda s: (s[1]["agreement"], -(s[1].get("sd") or 0)))[:TOP]
    return [
        Point(
            labels.get(code, code),
            _(
                "only %(share)s%% of answers sit within one step of the middle view (spread "
                "%(spread)s points): why do members see it so differently?"
            )
            % {"share": round(100 * e["agreement"]), "spread": f"{e.get('sd_pct') or 0:.0f}"},
        )
        for code, e in widest
    ]


def _gaps_to_target(data: SnapshotData, labels: dict) -> list[Point]:
    dimensions = ((data.get("matrix") or {}).get("dimensions") or {}).items()
    gaps = sorted(
        ((c, d) for c, d in dimensions if d.get("gap") is not None and d["gap"] > 0),
        key=lambda x: -x[1]["gap"],
    )[:TOP]
    return [
        Point(
            labels.get(code, code),
            _(
                "members put it at level %(now)s now and want level %(target)s: what would "
                "close a gap of %(gap)s?"
            )
            % {
                "now": f"{d['median_current']:g}",
                "target": f"{d['median_target']:g}",
                "gap": f"{d['gap']:g}",
            },
        )
        for code, d in gaps
    ]


def _changes(data: SnapshotData, labels: dict) -> list[Point]:
    changes = ((data.get("changes") or {}).get("domains") or {}).items()
    biggest = sorted(
        ((c, ch) for c, ch in changes if ch.get("diff") is not None),
        key=lambda x: -abs(x[1]["diff"]),
    )[:TOP]
    return [Point(labels.get(code, code), change_sentence(ch)) for code, ch in biggest]


def change_sentence(change: dict) -> str:
    """'rose 8 points (95% interval 2 to 14)', said honestly when the interval spans
    zero."""
    diff = round(change["diff"])
    if diff > 0:
        text = ngettext("rose %(n)s point", "rose %(n)s points", diff) % {"n": diff}
    elif diff < 0:
        text = ngettext("fell %(n)s point", "fell %(n)s points", -diff) % {"n": -diff}
    else:
        text = _("held steady")
    if change.get("ci_low") is not None:
        # Whole numbers, and never "-0": round() gives an int, which has no negative zero.
        interval = {"low": round(change["ci_low"]), "high": round(change["ci_high"])}
        if change["ci_low"] <= 0 <= change["ci_high"]:
            text += _(" (95%% interval %(low)s to %(high)s), which may be chance") % interval
        else:
            text += _(" (95%% interval %(low)s to %(high)s)") % interval
    return text


def stage_position(stage: str | None) -> int | None:
    return STAGES.index(stage) if stage in STAGES else None


# What each condition of the decision table asks, in the reader's words.
QUESTIONS = {  # each with the line it asks about
    "young": (gettext_noop("Is the network young (under %(line)s months)?"), "young_below"),
    "long_lived": (
        gettext_noop("Has it existed a long time (%(line)s months or more)?"),
        "long_lived_at_least",
    ),
    "strategy_clear": (
        gettext_noop("Is its strategy clear (purpose %(line)s or more)?"),
        "strategy_clear_at_least",
    ),
    "strategy_absent": (
        gettext_noop("Is its strategy still missing (purpose under %(line)s)?"),
        "strategy_absent_below",
    ),
    "form_clear": (
        gettext_noop("Is its form in place (form %(line)s or more)?"),
        "form_clear_at_least",
    ),
    "form_absent": (
        gettext_noop("Is its form still missing (form under %(line)s)?"),
        "form_absent_below",
    ),
    "functions_clear": (
        gettext_noop("Are its functions working (function %(line)s or more)?"),
        "functions_clear_at_least",
    ),
    "impact_low": (gettext_noop("Is its impact low (under %(line)s)?"), "impact_low_below"),
    "impact_falling": (
        gettext_noop("Has impact fallen %(line)s points or more since the previous round?"),
        "impact_fall_at_least",
    ),
    "impact_rising": (gettext_noop("Has impact clearly risen since the previous round?"), None),
    "engagement_falling": (
        gettext_noop(
            "Has the response rate fallen %(line)s points or more since the previous round?"
        ),
        "engagement_fall_at_least",
    ),
}


def question(key: str) -> str:
    """The decision table's question for a condition, in the active language."""
    if key not in QUESTIONS:
        return key
    text, line_name = QUESTIONS[key]
    return _(text) % {"line": f"{line(line_name):g}"} if line_name else _(text)


def answer(holds: bool | None) -> str:
    return {
        True: pgettext("answer to a question", "Yes"),
        False: pgettext("answer to a question", "No"),
        None: _("Too close to call"),
    }[holds]


def stage_reasons(stage: Stage | None) -> list[dict]:
    """The decision table's questions with this round's answers: the fact behind each,
    and whether the stage turns on it (an answer too close to call that would change
    the stage)."""
    if not stage:
        return []
    turning = set(stage.get("uncertain_because") or [])
    if "young" in turning:
        turning.add("long_lived")
    return [
        {
            "question": question(c["key"]),
            "fact": c["text"],
            "answer": answer(c["holds"]),
            "turns": c["key"] in turning,
        }
        for c in stage.get("conditions", [])
    ]


def story(data: SnapshotData, labels: dict) -> list[Point]:
    """The dashboard's first screen, in plain words: where the network sits and how sure
    that is, its strongest and weakest areas, what changed since last time and what to
    talk about. A leader who reads only this knows what to say at the meeting."""
    stage = data.get("stage") or {}
    subs = {
        code: e
        for code, e in (data.get("subdimensions") or {}).items()
        if e.get("mean_pct") is not None
    }
    told = [
        Point(
            _("Where the network sits"),
            stage.get("summary")
            or _("No stage is given for this round: a score it needs is not shown."),
        )
    ]
    if subs:
        top = max(subs, key=lambda c: subs[c]["mean_pct"])
        low = min(subs, key=lambda c: subs[c]["mean_pct"])
        scored = _("%(area)s, %(score)s out of 100.")
        told.append(
            Point(
                _("Strongest"),
                scored % {"area": labels.get(top, top), "score": f"{subs[top]['mean_pct']:.0f}"},
            )
        )
        told.append(
            Point(
                _("Weakest"),
                scored % {"area": labels.get(low, low), "score": f"{subs[low]['mean_pct']:.0f}"},
            )
        )
    changes = _changes(data, labels)
    told.append(
        Point(
            _("Since last time"),
            _("%(area)s %(change)s.") % {"area": changes[0].title, "change": changes[0].detail},
        )
        if changes
        else Point(_("Since last time"), _("This is the first round with results to compare."))
    )
    talk = _disagreements(data, labels)[:1] or _gaps_to_target(data, labels)[:1]
    flags = data.get("risk_flags") or []
    if flags:
        said = {"title": flags[0]["title"], "detail": flags[0]["evidence"]}
        told.append(Point(_("To talk about"), _("%(title)s: %(detail)s") % said))
    elif talk:
        said = {"title": talk[0].title, "detail": talk[0].detail}
        told.append(Point(_("To talk about"), _("%(title)s: %(detail)s") % said))
    return told
