"""Next steps for a stage: the smallest changes that would move a network on, or keep
it where it is. Plain sentences with whole numbers, built from the conditions
``stages.stage_classify`` checked (so every line comes from ``stages.LINES``). Pure
functions, no I/O."""

from __future__ import annotations

from scorecards.scoring.stages import (
    DORMANT,
    EMERGING,
    ESTABLISHED,
    NOT_ENOUGH,
    PRE_EMERGENT,
    Condition,
    StageResult,
    line,
)

LABELS = {
    "strategy_clear": "Purpose",
    "strategy_absent": "Purpose",
    "form_clear": "Form",
    "form_absent": "Form",
    "functions_clear": "Function",
    "impact_low": "Impact",
}


def _n(x: float) -> str:
    return f"{x:.0f}"


def _label(key: str, c: Condition) -> str:
    """The condition's own measure: function where it stands in for impact, form with
    the matrix level where a matrix was rated."""
    if key == "impact_low" and c.text.startswith("function"):
        return "Function"
    if key.startswith("form") and c.text.startswith("form with the matrix level"):
        return "Form with the matrix level"
    return LABELS[key]


def _rise(key: str, c: Condition, stage: str) -> str:
    label = _label(key, c)
    if c.value is None:
        return f"{label} could not be measured; it needs to reach {_n(c.line)} to be {stage}."
    gap = max(c.line - c.value, 0)
    if c.holds is None:
        return (
            f"{label} is on its line ({_n(c.value)}, 95% interval {_n(c.low)} to "
            f"{_n(c.high)}): more answers would show whether it has reached {_n(c.line)}."
        )
    return (
        f"{label} needs to rise about {_n(gap)} points, "
        f"from {_n(c.value)} to {_n(c.line)}, to be {stage}."
    )


def _all_needed(steps: list[str]) -> list[str]:
    if len(steps) > 1:
        steps.append("Each of these is needed.")
    return steps


def _to_established(c: dict[str, Condition]) -> list[str]:
    keys = ("strategy_clear", "form_clear", "functions_clear")
    return _all_needed([_rise(k, c[k], ESTABLISHED) for k in keys if c[k].holds is not True])


def _to_emerging(c: dict[str, Condition]) -> list[str]:
    """Pre-emergent is a young network without strategy or form: either both come, or
    the network grows out of being young."""
    steps = [
        _rise(absent.replace("_absent", "_clear"), _as_rise(c[absent]), EMERGING)
        for absent in ("strategy_absent", "form_absent")
        if c[absent].holds is not False
    ]
    steps = _all_needed(steps)
    if c["young"].value is not None:
        steps.append(
            f"At {_n(line('young_below'))} months old (it is {_n(c['young'].value)}) the "
            "network is no longer judged as one still being planned."
        )
    return steps


def _as_rise(c: Condition) -> Condition:
    """An "under the line" condition read as "needs to reach the line"."""
    holds = None if c.holds is None else not c.holds
    return Condition(c.key, c.text, holds, c.value, c.low, c.high, c.line)


def _keep_established(c: dict[str, Condition]) -> list[str]:
    margins = [
        (c[k].value - c[k].line, _label(k, c[k]), c[k], EMERGING)
        for k in ("strategy_clear", "form_clear", "functions_clear")
        if c[k].value is not None
    ]
    steps = [
        f"Keep {label.lower()} at {_n(cond.line)} or more (now {_n(cond.value)})."
        for _, label, cond, _ in margins
    ]
    low = c["impact_low"]
    if low.value is not None and c["young"].holds is not True:
        margins.append((low.value - low.line, _label("impact_low", low), low, DORMANT))
        verb = "Keep" if low.value >= low.line else "Raise"
        steps.append(
            f"{verb} {_label('impact_low', low).lower()} to {_n(low.line)} or more "
            f"(now {_n(low.value)}): under it, with engagement or impact falling, or a long "
            "life, the network is dormant."
        )
    if margins:
        gap, label, _, then = min(margins, key=lambda m: m[0])
        steps.append(
            f"The closest line is {label.lower()}: a fall of about {_n(max(gap, 0))} points "
            f"would make the network {then}."
        )
    return steps


def _revive(c: dict[str, Condition]) -> list[str]:
    steps = []
    if c["impact_low"].holds is not False and c["impact_low"].value is not None:
        steps.append(_rise("impact_low", _as_rise(c["impact_low"]), "out of dormancy"))
    if c["impact_falling"].holds:
        steps.append("Stop the fall in impact since the previous round.")
    if c["engagement_falling"].holds:
        steps.append("Win back members' engagement: more of them answering and taking part.")
    steps.append(
        "Or agree together that the network has done its work and close it well: "
        "dormancy is a decision to make, not only a failure."
    )
    return steps


SETTLE = {
    "strategy_clear": f"whether purpose has reached {line('strategy_clear_at_least'):g}",
    "strategy_absent": f"whether purpose is under {line('strategy_absent_below'):g}",
    "form_clear": f"whether form has reached {line('form_clear_at_least'):g}",
    "form_absent": f"whether form is under {line('form_absent_below'):g}",
    "functions_clear": f"whether function has reached {line('functions_clear_at_least'):g}",
    "impact_low": f"whether impact is under {line('impact_low_below'):g}",
    "impact_falling": f"whether impact has fallen {line('impact_fall_at_least'):g} points",
    "impact_rising": "whether impact is rising",
    "engagement_falling": "whether engagement is falling",
    "young": "the network's age",
}


def _settle(result: StageResult) -> list[str]:
    """For a borderline stage: what would settle it."""
    if result.certainty != "borderline":
        return []
    open_ones = [SETTLE[k] for k in result.uncertain_because if k in SETTLE]
    if not open_ones:
        return []
    listed = (
        open_ones[0] if len(open_ones) == 1 else ", ".join(open_ones[:-1]) + " and " + open_ones[-1]
    )
    return [
        f"The stage turns on {listed}: more members answering (narrower intervals) or the "
        "missing facts would settle it."
    ]


def _named_once(c: Condition, settled_by: set[str]) -> Condition:
    """A condition the settling step already names, read as needing no step of its own
    ("clear" ones as met, "absent" ones as not)."""
    if c.key not in settled_by or not c.key.endswith(("_clear", "_absent")):
        return c
    return Condition(c.key, c.text, c.key.endswith("_clear"), c.value, c.low, c.high, c.line)


def next_steps(result: StageResult) -> list[str]:
    """What would move the network on from its stage (or keep it there), and, when the
    stage is borderline, what would settle it."""
    if result.stage == NOT_ENOUGH:
        return [
            "Ask more members to answer: a stage needs enough answers covering purpose, "
            "function and form."
        ]
    # A question the stage turns on is named once, by what would settle it.
    settled_by = set(result.uncertain_because) if result.certainty == "borderline" else set()
    conds = {c.key: _named_once(c, settled_by) for c in result.conditions}
    steps = {
        PRE_EMERGENT: _to_emerging,
        EMERGING: _to_established,
        ESTABLISHED: _keep_established,
        DORMANT: _revive,
    }[result.stage](conds)
    return _settle(result) + steps
