"""What a dashboard says besides its charts: strengths, concerns, and the questions a
steering group should talk about. Pure functions of snapshot data."""

from dataclasses import dataclass

from scorecards.scoring.shape import SnapshotData, Stage
from scorecards.scoring.stages import STAGES, line

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
            f"{entry['mean_pct']:.0f} out of 100 from {entry['n']} members",
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
            f"only {round(100 * e['agreement'])}% of answers sit within one step of the "
            f"middle view (spread {e.get('sd_pct') or 0:.0f} points): why do members see it "
            "so differently?",
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
            f"members put it at level {d['median_current']:g} now and want level "
            f"{d['median_target']:g}: what would close a gap of {d['gap']:g}?",
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
    verb = "rose" if diff > 0 else "fell" if diff < 0 else "held steady"
    text = f"{verb} {abs(diff)} point{'s' if abs(diff) != 1 else ''}" if diff else verb
    if change.get("ci_low") is not None:
        # Whole numbers, and never "-0": round() gives an int, which has no negative zero.
        text += f" (95% interval {round(change['ci_low'])} to {round(change['ci_high'])})"
        if change["ci_low"] <= 0 <= change["ci_high"]:
            text += ", which may be chance"
    return text


def stage_position(stage: str | None) -> int | None:
    return STAGES.index(stage) if stage in STAGES else None


# What each condition of the decision table asks, in the reader's words.
QUESTIONS = {
    "young": f"Is the network young (under {line('young_below'):g} months)?",
    "long_lived": f"Has it existed a long time ({line('long_lived_at_least'):g} months or more)?",
    "strategy_clear": (
        f"Is its strategy clear (purpose {line('strategy_clear_at_least'):g} or more)?"
    ),
    "strategy_absent": (
        f"Is its strategy still missing (purpose under {line('strategy_absent_below'):g})?"
    ),
    "form_clear": f"Is its form in place (form {line('form_clear_at_least'):g} or more)?",
    "form_absent": f"Is its form still missing (form under {line('form_absent_below'):g})?",
    "functions_clear": (
        f"Are its functions working (function {line('functions_clear_at_least'):g} or more)?"
    ),
    "impact_low": f"Is its impact low (under {line('impact_low_below'):g})?",
    "impact_falling": (
        f"Has impact fallen {line('impact_fall_at_least'):g} points or more since the "
        "previous round?"
    ),
    "impact_rising": "Has impact clearly risen since the previous round?",
    "engagement_falling": (
        f"Has the response rate fallen {line('engagement_fall_at_least'):g} points or more "
        "since the previous round?"
    ),
}
ANSWERS = {True: "Yes", False: "No", None: "Too close to call"}


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
            "question": QUESTIONS.get(c["key"], c["key"]),
            "fact": c["text"],
            "answer": ANSWERS[c["holds"]],
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
            "Where the network sits",
            stage.get("summary")
            or "No stage is given for this round: a score it needs is not shown.",
        )
    ]
    if subs:
        top = max(subs, key=lambda c: subs[c]["mean_pct"])
        low = min(subs, key=lambda c: subs[c]["mean_pct"])
        told.append(
            Point("Strongest", f"{labels.get(top, top)}, {subs[top]['mean_pct']:.0f} out of 100.")
        )
        told.append(
            Point("Weakest", f"{labels.get(low, low)}, {subs[low]['mean_pct']:.0f} out of 100.")
        )
    changes = _changes(data, labels)
    told.append(
        Point("Since last time", f"{changes[0].title} {changes[0].detail}.")
        if changes
        else Point("Since last time", "This is the first round with results to compare.")
    )
    talk = _disagreements(data, labels)[:1] or _gaps_to_target(data, labels)[:1]
    flags = data.get("risk_flags") or []
    if flags:
        told.append(Point("To talk about", f"{flags[0]['title']}: {flags[0]['evidence']}"))
    elif talk:
        told.append(Point("To talk about", f"{talk[0].title}: {talk[0].detail}"))
    return told
