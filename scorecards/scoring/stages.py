"""Which stage a network is in, and how sure the evidence lets us be (stage model v2).

The four stages are the Health Foundation's (2014); the decision table is this
project's own and is written out, with its reasons, in docs/stages.md:

- **pre-emergent** is planning: a young network whose strategy or form is not yet
  in place;
- **emerging** is set up without a clear strategy;
- **established** has a clear strategy, form and functions;
- **dormant** still exists but has failed its purpose: low impact with falling
  engagement (judged over earlier rounds), or a long-lived network with low impact.

Pure functions, no I/O. Every threshold is in ``LINES``. Scores are 0 to 100. A
condition on a measured score compares the score's 95% interval with its line: it
holds *clearly*, fails clearly, or is *uncertain* when the interval straddles the line.
The stage is then *clear* when every way the uncertain conditions could go gives the
same stage, and *borderline between X and Y* (naming the conditions) when they do not.
Age and history are facts, not estimates: they have no interval.

Absence is not evidence: a missing matrix neither helps nor hurts (where a matrix
was rated, its level counts as half of the evidence on form); an unknown age means
the rules that need it are not applied, and the result says so; too few respondents
or too little coverage gives "not enough evidence", never a guess.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from scorecards.scoring.intervals import Measure

PRE_EMERGENT, EMERGING, ESTABLISHED, DORMANT = "pre-emergent", "emerging", "established", "dormant"
NOT_ENOUGH = "not enough evidence"
STAGES = (PRE_EMERGENT, EMERGING, ESTABLISHED, DORMANT)

# Every line the stage rules draw, in one table: (name, what, line, unit).
LINES = {
    "young_below": ("network age", 12, "months"),
    "long_lived_at_least": ("network age", 36, "months"),
    "strategy_clear_at_least": ("purpose", 65, "points"),
    "strategy_absent_below": ("purpose", 50, "points"),
    "form_clear_at_least": ("form", 60, "points"),
    "form_absent_below": ("form", 45, "points"),
    "functions_clear_at_least": ("function", 60, "points"),
    "impact_low_below": ("impact", 45, "points"),
    "impact_fall_at_least": ("impact", 15, "points"),
    "engagement_fall_at_least": ("response rate or participation", 10, "points"),
}


def line(name: str) -> float:
    return float(LINES[name][1])


@dataclass(frozen=True)
class PastRound:
    """What an earlier round of the same network showed."""

    response_rate: float | None = None
    participation: float | None = None
    impact: float | None = None  # or function, where the instrument had no impact items
    stage: str | None = None
    months_ago: float | None = None  # how long before this round it closed


@dataclass(frozen=True)
class Evidence:
    n_respondents: int
    threshold: int
    purpose: Measure
    function: Measure
    form: Measure
    # The instrument's own impact sub-dimension; None when it has none (version 1),
    # and then function stands in for it, which the result says.
    impact: Measure | None = None
    matrix: Measure | None = None  # the survey's matrix level, as 0 to 100
    age_months: float | None = None
    response_rate: float | None = None
    participation: float | None = None
    history: tuple[PastRound, ...] = ()


@dataclass(frozen=True)
class Condition:
    """One condition the stage rules check: ``holds`` True, False or None (uncertain)."""

    key: str
    text: str
    holds: bool | None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    line: float | None = None


@dataclass
class StageResult:
    stage: str
    certainty: str  # "clear", "borderline" or "not enough evidence"
    alternatives: list[str] = field(default_factory=list)  # the stages it lies between
    conditions: list[Condition] = field(default_factory=list)
    uncertain_because: list[str] = field(default_factory=list)  # conditions that matter
    not_applied: list[str] = field(default_factory=list)  # rules that lacked an input
    summary: str = ""

    def as_dict(self) -> dict:
        return {
            "stage": self.stage,
            "certainty": self.certainty,
            "alternatives": self.alternatives,
            "conditions": [c.__dict__ for c in self.conditions],
            "uncertain_because": self.uncertain_because,
            "not_applied": self.not_applied,
            "summary": self.summary,
        }


def blended(form: Measure, matrix: Measure | None) -> Measure:
    """Form, with the matrix level as half of the evidence where it was rated: a high
    matrix can lift form and a low one lower it, and a missing one changes nothing."""
    if matrix is None or not matrix.known or not form.known:
        return form
    low = None if form.low is None or matrix.low is None else (form.low + matrix.low) / 2
    high = None if form.high is None or matrix.high is None else (form.high + matrix.high) / 2
    return Measure((form.value + matrix.value) / 2, low, high, min(form.n, matrix.n))


def participation_index(levels, n_levels: int = 5, order=None) -> float | None:
    """How often respondents say they take part, on 0 to 100.

    ``levels`` are answers to the profile question on frequency, coded 1 (least
    often) to ``n_levels`` (most often), or option codes together with
    ``order``, the codes from least to most often. Missing or unknown answers
    are ignored. The index is the mean of ``(level - 1) / (n_levels - 1) * 100``.
    None without answers.
    """
    if order is not None:
        position = {code: i + 1 for i, code in enumerate(order)}
        levels = [position.get(v) for v in levels]
        n_levels = len(position)
    values = pd.Series(levels, dtype=float).dropna()
    if values.empty or n_levels < 2:
        return None
    return float(((values - 1) / (n_levels - 1) * 100).mean())


# ---- conditions ----------------------------------------------------------------------


def _fmt(x: float | None) -> str:
    return "unknown" if x is None else f"{x:.0f}"


def _at_least(key: str, label: str, m: Measure, name: str) -> Condition:
    """``m`` at or above the line: clearly when its whole interval is."""
    threshold = line(name)
    if not m.known:
        return Condition(key, f"{label} could not be measured", False, line=threshold)
    low = m.value if m.low is None else m.low
    high = m.value if m.high is None else m.high
    holds = True if low >= threshold else False if high < threshold else None
    spread = "" if m.low is None else f" (95% interval {_fmt(m.low)} to {_fmt(m.high)})"
    word = {True: "is at least", False: "is under", None: "is close to"}[holds]
    return Condition(
        key, f"{label} {_fmt(m.value)}{spread} {word} {threshold:g}", holds, m.value,
        m.low, m.high, threshold,
    )  # fmt: skip


def _below(key: str, label: str, m: Measure, name: str) -> Condition:
    c = _at_least(key, label, m, name)
    if not m.known:
        return Condition(key, c.text, False, line=c.line)
    holds = None if c.holds is None else not c.holds
    return Condition(key, c.text, holds, c.value, c.low, c.high, c.line)


def _age(e: Evidence) -> tuple[Condition, Condition]:
    if e.age_months is None:
        # Without a founding date, earlier rounds still say how old it is at least.
        least = max((p.months_ago for p in e.history if p.months_ago is not None), default=0)
        text = "the network's age is not known"
        if least:
            text += f", but its first round was {least:.0f} months ago"
        young = False if least >= line("young_below") else None
        long_lived = True if least >= line("long_lived_at_least") else None
        return Condition("young", text, young), Condition("long_lived", text, long_lived)
    age = e.age_months
    young, old = line("young_below"), line("long_lived_at_least")
    return (
        Condition("young", f"the network is {age:.0f} months old", age < young, age, line=young),
        Condition("long_lived", f"the network is {age:.0f} months old", age >= old, age, line=old),
    )


def _engagement_falling(e: Evidence) -> Condition:
    """Engagement fell on the previous round: response rate or participation down by
    at least the line. A fact from two rounds, so no interval; unknown without one."""
    if not e.history:
        return Condition("engagement_falling", "there is no earlier round to compare with", None)
    before = e.history[-1]
    fall = line("engagement_fall_at_least")
    drops = []
    for label, now, then in (
        ("response rate", e.response_rate, before.response_rate),
        ("participation", e.participation, before.participation),
    ):
        if now is not None and then is not None:
            drops.append((then - now, label, then, now))
    if not drops:
        return Condition("engagement_falling", "engagement was not measured in both rounds", None)
    drop, label, then, now = max(drops)
    text = f"{label} went from {then:.0f} to {now:.0f} since the previous round"
    return Condition("engagement_falling", text, drop >= fall, drop, line=fall)


def _impact_falling(e: Evidence, impact: Measure) -> Condition:
    if not e.history or e.history[-1].impact is None or not impact.known:
        return Condition("impact_falling", "there is no earlier score to compare with", False)
    then, now = e.history[-1].impact, impact.value
    fall = line("impact_fall_at_least")
    text = f"impact went from {then:.0f} to {now:.0f} since the previous round"
    return Condition("impact_falling", text, then - now >= fall, then - now, line=fall)


def conditions(e: Evidence) -> dict[str, Condition]:
    impact = e.impact if e.impact is not None else e.function
    impact_label = "impact" if e.impact is not None else "function (standing in for impact)"
    form = blended(e.form, e.matrix)
    form_label = "form" if form is e.form else "form with the matrix level"
    young, long_lived = _age(e)
    found = [
        young,
        long_lived,
        _at_least("strategy_clear", "purpose", e.purpose, "strategy_clear_at_least"),
        _below("strategy_absent", "purpose", e.purpose, "strategy_absent_below"),
        _at_least("form_clear", form_label, form, "form_clear_at_least"),
        _below("form_absent", form_label, form, "form_absent_below"),
        _at_least("functions_clear", "function", e.function, "functions_clear_at_least"),
        _below("impact_low", impact_label, impact, "impact_low_below"),
        _impact_falling(e, impact),
        _engagement_falling(e),
    ]
    return {c.key: c for c in found}


# ---- the decision table --------------------------------------------------------------


def decide(h: dict[str, bool]) -> str:
    """The decision table, for conditions that are each True or False."""
    failing = h["impact_low"] or h["impact_falling"]
    if failing and not h["young"] and (h["engagement_falling"] or h["long_lived"]):
        return DORMANT
    if h["young"] and (h["strategy_absent"] or h["form_absent"]):
        return PRE_EMERGENT
    if h["strategy_clear"] and h["form_clear"] and h["functions_clear"]:
        return ESTABLISHED
    return EMERGING


MEASURED = ("strategy_clear", "strategy_absent", "form_clear", "form_absent",
            "functions_clear", "impact_low", "engagement_falling")  # fmt: skip
# An unknown age is one of three: young, in between, or long-lived.
AGES = ({"young": True, "long_lived": False}, {"young": False, "long_lived": False},
        {"young": False, "long_lived": True})  # fmt: skip


def _ways(conds: dict[str, Condition]):
    """Every way the open conditions (uncertain scores, unknown age or history) could
    go, each with the keys that were open."""
    base = {k: c.holds for k, c in conds.items()}
    open_keys = [k for k in MEASURED if base[k] is None]
    for age in _feasible_ages(conds):
        for values in itertools.product((False, True), repeat=len(open_keys)):
            yield {**base, **age, **dict(zip(open_keys, values, strict=True))}


def _feasible_ages(conds: dict[str, Condition]) -> list[dict]:
    known = {k: conds[k].holds for k in ("young", "long_lived")}
    return [a for a in AGES if all(known[k] is None or known[k] == v for k, v in a.items())]


def _possible(conds: dict[str, Condition], rule: Callable = decide) -> set[str]:
    """Every stage the decision could give as the open conditions go."""
    return {rule(trial) for trial in _ways(conds)}


def _deciding(conds: dict[str, Condition], stage: str) -> list[str]:
    """The open conditions on which the outcome turns: flipping one of them alone moves
    the stage away from ``stage`` in some way the others could go."""
    age_open = conds["young"].holds is None or conds["long_lived"].holds is None
    open_keys = [k for k in MEASURED if conds[k].holds is None] + (["young"] if age_open else [])
    turning = set()
    for trial in _ways(conds):
        for key in open_keys:
            keys = ("young", "long_lived") if key == "young" else (key,)
            for age in _feasible_ages(conds) if key == "young" else ({key: not trial[key]},):
                flipped = {**trial, **{k: age.get(k, trial[k]) for k in keys}}
                if decide(flipped) != decide(trial):
                    turning.add(key)
    return sorted(turning)


def _point(conds: dict[str, Condition]) -> str:
    """The stage the scores themselves give (each uncertain score read from its point
    estimate; an unknown fact read as not holding): the stage named first when the
    evidence is borderline."""
    h = {k: bool(c.holds) for k, c in conds.items()}
    for key in MEASURED:
        c = conds[key]
        if c.holds is None and c.value is not None and c.line is not None:
            at_least = not key.endswith(("_absent", "_low"))
            h[key] = c.value >= c.line if at_least else c.value < c.line
    return decide(h)


def _not_applied(conds: dict[str, Condition]) -> list[str]:
    missing = []
    if conds["young"].holds is None:
        missing.append(
            "The network's age is not known, so the rules for pre-emergent (a young network) "
            "and for a long-lived dormant network could not be applied."
        )
    elif conds["long_lived"].holds is None:
        missing.append(
            "The network's age is not known exactly, so the rule for a long-lived dormant "
            "network could not be applied."
        )
    if conds["engagement_falling"].holds is None:
        missing.append(
            "There is no earlier round with engagement to compare, so falling engagement "
            "could not be judged."
        )
    return missing


def enough(e: Evidence) -> str | None:
    """Why there is not enough evidence for any stage, or None."""
    if e.n_respondents < e.threshold:
        return f"Only {e.n_respondents} members answered; at least {e.threshold} are needed."
    known = sum(m.known for m in (e.purpose, e.function, e.form))
    if known < 2:
        return (
            'Too few answers cover purpose, function and form (most were "don\'t know" '
            "or skipped), so no stage can be given."
        )
    return None


def stage_classify(e: Evidence) -> StageResult:
    """The stage with its certainty, the conditions that decided it, and what could not
    be judged."""
    reason = enough(e)
    if reason is not None:
        return StageResult(NOT_ENOUGH, NOT_ENOUGH, summary=reason)
    conds = conditions(e)
    outcomes = _possible(conds)
    stage = _point(conds)
    if outcomes == {stage}:
        certainty, alternatives, because = "clear", [stage], []
    else:
        certainty = "borderline"
        alternatives = [stage] + sorted(s for s in outcomes if s != stage)
        because = _deciding(conds, stage)
    result = StageResult(
        stage, certainty, alternatives, list(conds.values()), because, _not_applied(conds)
    )
    result.summary = summary(result, e)
    return result


def summary(result: StageResult, e: Evidence) -> str:
    """One plain sentence, with how many answered when that is what widens the
    intervals."""
    if result.certainty == "clear":
        text = f"The network is {result.stage}, and the answers leave little doubt."
    else:
        others = " or ".join(s for s in result.alternatives if s != result.stage)
        text = f"The network looks {result.stage}, but it could be {others}: too close to call."
    if result.certainty != "clear" and e.response_rate is not None and e.response_rate < 50:
        text += f" Only {e.response_rate:.0f}% of members answered, which widens the margins."
    return text
