"""Next steps for a stage: the smallest changes that would move a network on, or keep
it where it is. Plain sentences with whole numbers, built from the conditions
``stages.stage_classify`` checked (so every line comes from ``stages.LINES``). Pure
functions, no I/O."""

from __future__ import annotations

from dataclasses import replace

from scorecards.scoring import stages
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
from scorecards.scoring.words import every, said

PURPOSE, FORM, FUNCTION, IMPACT = said("Purpose"), said("Form"), said("Function"), said("Impact")
FORM_WITH_MATRIX = said("Form with the matrix level")
LABELS = {
    "strategy_clear": PURPOSE,
    "strategy_absent": PURPOSE,
    "form_clear": FORM,
    "form_absent": FORM,
    "functions_clear": FUNCTION,
    "impact_low": IMPACT,
}
# The same measures in the middle of a sentence.
LOWER = {
    id(PURPOSE): said("purpose"),
    id(FORM): said("form"),
    id(FUNCTION): said("function"),
    id(IMPACT): said("impact"),
    id(FORM_WITH_MATRIX): said("form with the matrix level"),
}
# Where a sentence names the stage a network would reach.
STAGE_NAMES = {**stages.STAGE_NAMES, "out of dormancy": said("out of dormancy")}


def _n(x: float) -> str:
    return f"{x:.0f}"


def _label(key: str, c: Condition) -> dict:
    """The condition's own measure: function where it stands in for impact, form with
    the matrix level where a matrix was rated."""
    if key == "impact_low" and c.text.startswith("function"):
        return FUNCTION
    if key.startswith("form") and c.text.startswith("form with the matrix level"):
        return FORM_WITH_MATRIX
    return LABELS[key]


def _rise(key: str, c: Condition, stage: str) -> dict:
    label, stage_name = _label(key, c), STAGE_NAMES[stage]
    if c.value is None:
        return said(
            "%(measure)s could not be measured; it needs to reach %(line)s to be %(stage)s.",
            measure=label,
            line=_n(c.line),
            stage=stage_name,
        )
    gap = max(c.line - c.value, 0)
    if c.holds is None:
        return said(
            "%(measure)s is on its line (%(value)s, 95%% interval %(low)s to %(high)s): more "
            "answers would show whether it has reached %(line)s.",
            measure=label,
            value=_n(c.value),
            low=_n(c.low),
            high=_n(c.high),
            line=_n(c.line),
        )
    return said(
        "%(measure)s needs to rise about %(gap)s points, from %(value)s to %(line)s, to be "
        "%(stage)s.",
        measure=label,
        gap=_n(gap),
        value=_n(c.value),
        line=_n(c.line),
        stage=stage_name,
    )


def _all_needed(steps: list[dict]) -> list[dict]:
    if len(steps) > 1:
        steps.append(said("Each of these is needed."))
    return steps


def _to_established(c: dict[str, Condition]) -> list[dict]:
    keys = ("strategy_clear", "form_clear", "functions_clear")
    return _all_needed([_rise(k, c[k], ESTABLISHED) for k in keys if c[k].holds is not True])


def _to_emerging(c: dict[str, Condition]) -> list[dict]:
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
            said(
                "At %(line)s months old (it is %(age)s) the network is no longer judged as one "
                "still being planned.",
                line=_n(line("young_below")),
                age=_n(c["young"].value),
            )
        )
    return steps


def _as_rise(c: Condition) -> Condition:
    """An "under the line" condition read as "needs to reach the line"."""
    return replace(c, holds=None if c.holds is None else not c.holds)


def _keep_established(c: dict[str, Condition]) -> list[dict]:
    margins = [
        (c[k].value - c[k].line, _label(k, c[k]), c[k], EMERGING)
        for k in ("strategy_clear", "form_clear", "functions_clear")
        if c[k].value is not None
    ]
    steps = [
        said(
            "Keep %(measure)s at %(line)s or more (now %(value)s).",
            measure=LOWER[id(label)],
            line=_n(cond.line),
            value=_n(cond.value),
        )
        for _, label, cond, _ in margins
    ]
    low = c["impact_low"]
    if low.value is not None and c["young"].holds is not True:
        margins.append((low.value - low.line, _label("impact_low", low), low, DORMANT))
        figures = {
            "measure": LOWER[id(_label("impact_low", low))],
            "line": _n(low.line),
            "value": _n(low.value),
        }
        steps.append(
            said(
                "Keep %(measure)s at %(line)s or more (now %(value)s): under it, with "
                "engagement or impact falling, or a long life, the network is dormant.",
                **figures,
            )
            if low.value >= low.line
            else said(
                "Raise %(measure)s to %(line)s or more (now %(value)s): under it, with "
                "engagement or impact falling, or a long life, the network is dormant.",
                **figures,
            )
        )
    if margins:
        gap, label, _, then = min(margins, key=lambda m: m[0])
        steps.append(
            said(
                "The closest line is %(measure)s: a fall of about %(gap)s points would make "
                "the network %(stage)s.",
                measure=LOWER[id(label)],
                gap=_n(max(gap, 0)),
                stage=STAGE_NAMES[then],
            )
        )
    return steps


def _revive(c: dict[str, Condition]) -> list[dict]:
    steps = []
    if c["impact_low"].holds is not False and c["impact_low"].value is not None:
        steps.append(_rise("impact_low", _as_rise(c["impact_low"]), "out of dormancy"))
    if c["impact_falling"].holds:
        steps.append(said("Stop the fall in impact since the previous round."))
    if c["engagement_falling"].holds:
        steps.append(said("Win back members' engagement: more of them answering and taking part."))
    steps.append(
        said(
            "Or agree together that the network has done its work and close it well: "
            "dormancy is a decision to make, not only a failure."
        )
    )
    return steps


def _at(name: str) -> str:
    return f"{line(name):g}"


SETTLE = {
    "strategy_clear": said(
        "whether purpose has reached %(line)s", line=_at("strategy_clear_at_least")
    ),
    "strategy_absent": said("whether purpose is under %(line)s", line=_at("strategy_absent_below")),
    "form_clear": said("whether form has reached %(line)s", line=_at("form_clear_at_least")),
    "form_absent": said("whether form is under %(line)s", line=_at("form_absent_below")),
    "functions_clear": said(
        "whether function has reached %(line)s", line=_at("functions_clear_at_least")
    ),
    "impact_low": said("whether impact is under %(line)s", line=_at("impact_low_below")),
    "impact_falling": said(
        "whether impact has fallen %(line)s points", line=_at("impact_fall_at_least")
    ),
    "impact_rising": said("whether impact is rising"),
    "engagement_falling": said("whether engagement is falling"),
    "young": said("the network's age"),
}


def _settle(result: StageResult) -> list[dict]:
    """For a borderline stage: what would settle it."""
    if result.certainty != "borderline":
        return []
    open_ones = [SETTLE[k] for k in result.uncertain_because if k in SETTLE]
    if not open_ones:
        return []
    return [
        said(
            "The stage turns on %(questions)s: more members answering (narrower intervals) or "
            "the missing facts would settle it.",
            questions=every(open_ones),
        )
    ]


def _named_once(c: Condition, settled_by: set[str]) -> Condition:
    """A condition the settling step already names, read as needing no step of its own
    ("clear" ones as met, "absent" ones as not)."""
    if c.key not in settled_by or not c.key.endswith(("_clear", "_absent")):
        return c
    return replace(c, holds=c.key.endswith("_clear"))


def next_steps(result: StageResult) -> list[dict]:
    """What would move the network on from its stage (or keep it there), and, when the
    stage is borderline, what would settle it."""
    if result.stage == NOT_ENOUGH:
        return [
            said(
                "Ask more members to answer: a stage needs enough answers covering purpose, "
                "function and form."
            )
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
