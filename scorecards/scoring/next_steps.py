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


def _rise(key: str, c: Condition, stage: str) -> str:
    label = LABELS[key]
    if key == "impact_low" and c.text.startswith("function"):
        label = "Function"  # standing in for impact, with an instrument that has none
    if c.value is None:
        return f"{label} could not be measured; it needs to reach {_n(c.line)} to be {stage}."
    gap = max(c.line - c.value, 0)
    if c.holds is None:
        return (
            f"{label} ({_n(c.value)}) is close to {_n(c.line)}; "
            f"more answers would show whether it is there yet."
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
        (c[k].value - c[k].line, LABELS[k], c[k])
        for k in ("strategy_clear", "form_clear", "functions_clear")
        if c[k].value is not None
    ]
    steps = [
        f"Keep {label.lower()} at {_n(cond.line)} or more (now {_n(cond.value)})."
        for _, label, cond in margins
    ]
    if margins:
        gap, label, _ = min(margins)
        steps.append(
            f"The closest line is {label.lower()}: a fall of about {_n(max(gap, 0))} points "
            "would make the network emerging."
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


def next_steps(stage: str, conds: dict[str, Condition]) -> list[str]:
    """What would move the network on from ``stage`` (or keep it there)."""
    if stage == NOT_ENOUGH:
        return [
            "Ask more members to answer: a stage needs enough answers covering purpose, "
            "function and form."
        ]
    return {
        PRE_EMERGENT: _to_emerging,
        EMERGING: _to_established,
        ESTABLISHED: _keep_established,
        DORMANT: _revive,
    }[stage](conds)
