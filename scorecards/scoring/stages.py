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
was rated, its level joins form, weighted by its precision); an unknown age or score
leaves the rules that need it open, and the result names them; too few respondents or
too little coverage gives "not enough evidence", never a guess.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from scorecards.scoring.stage_conditions import (  # noqa: F401 (the model's vocabulary)
    LINES,
    Condition,
    Evidence,
    Measure,
    PastRound,
    conditions,
    line,
)
from scorecards.scoring.words import either, keep, said, said_in, say

PRE_EMERGENT, EMERGING, ESTABLISHED, DORMANT = "pre-emergent", "emerging", "established", "dormant"
NOT_ENOUGH = "not enough evidence"
STAGES = (PRE_EMERGENT, EMERGING, ESTABLISHED, DORMANT)


@dataclass
class StageResult:
    stage: str
    certainty: str  # "clear", "borderline" or "not enough evidence"
    alternatives: list[str] = field(default_factory=list)  # the stages it lies between
    conditions: list[Condition] = field(default_factory=list)
    uncertain_because: list[str] = field(default_factory=list)  # conditions that matter
    not_applied: list[str] = field(default_factory=list)  # rules that lacked an input
    summary: str = ""
    says: dict = field(default_factory=dict)  # the sentences as words (scoring.words)

    def worded(self) -> StageResult:
        """Its sentences in the active language (English in the worker), from ``says``."""
        self.summary = say(self.says["summary"])
        self.not_applied = [say(s) for s in self.says["not_applied"]]
        return self

    def as_dict(self) -> dict:
        return {
            "stage": self.stage,
            "certainty": self.certainty,
            "alternatives": self.alternatives,
            "conditions": [c.__dict__ for c in self.conditions],
            "uncertain_because": self.uncertain_because,
            "not_applied": self.not_applied,
            "summary": self.summary,
            "says": dict(self.says),
        }


# ---- the decision table --------------------------------------------------------------


def decide(h: dict[str, bool]) -> str:
    """The decision table, for conditions that are each True or False. Dormant needs low
    impact: a fall alone, from a high level, is a warning, not a failed purpose."""
    lasting = h["long_lived"] and not h["impact_rising"]  # low for long, and not reviving
    judged = h["engagement_falling"] or h["impact_falling"] or lasting
    if h["impact_low"] and not h["young"] and judged:
        return DORMANT
    if h["young"] and (h["strategy_absent"] or h["form_absent"]):
        return PRE_EMERGENT
    if h["strategy_clear"] and h["form_clear"] and h["functions_clear"]:
        return ESTABLISHED
    return EMERGING


MEASURED = ("strategy_clear", "strategy_absent", "form_clear", "form_absent",
            "functions_clear", "impact_low", "impact_falling", "impact_rising",
            "engagement_falling")  # fmt: skip
# Both sides of one score cannot hold at once: clear and absent exclude each other.
EXCLUSIVE = (("strategy_clear", "strategy_absent"), ("form_clear", "form_absent"))
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
            trial = {**base, **age, **dict(zip(open_keys, values, strict=True))}
            if _possible_together(trial):
                yield trial


def _possible_together(h: dict) -> bool:
    return not any(h[a] and h[b] for a, b in EXCLUSIVE)


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
                if _possible_together(flipped) and decide(flipped) != decide(trial):
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


UNMEASURED = {
    "strategy_clear": said(
        "Purpose could not be measured, so whether the strategy is clear could not be judged."
    ),
    "form_clear": said(
        "Form could not be measured, so whether the form is in place could not be judged."
    ),
    "functions_clear": said(
        "Function could not be measured, so whether the functions work could not be judged."
    ),
    "impact_low": said(
        "Impact could not be measured, so whether the network has failed its purpose could "
        "not be judged."
    ),
}


def _not_applied(conds: dict[str, Condition]) -> list[dict]:
    """Every rule that lacked an input, in words: absence is named, never guessed."""
    missing = [sentence for key, sentence in UNMEASURED.items() if conds[key].value is None]
    if conds["young"].holds is None:
        missing.append(
            said(
                "The network's age is not known, so the rules for pre-emergent (a young "
                "network) and for a long-lived dormant network could not be applied."
            )
        )
    elif conds["long_lived"].holds is None:
        missing.append(
            said(
                "The network's age is not known exactly, so the rule for a long-lived dormant "
                "network could not be applied."
            )
        )
    if conds["engagement_falling"].holds is None:
        missing.append(
            said(
                "There is no earlier response rate to compare with, so falling engagement "
                "could not be judged."
            )
        )
    falling = conds["impact_falling"]
    if falling.holds is None and falling.value is None:
        missing.append(
            said(
                "The earlier round is not comparable (%(why)s), so a fall in impact could not "
                "be judged.",
                why=(falling.says or {}).get("text", falling.text),
            )
        )
    return missing


def enough(e: Evidence) -> dict | None:
    """Why there is not enough evidence for any stage, or None."""
    if e.n_respondents < e.threshold:
        return said(
            "Only %(n)s members answered; at least %(threshold)s are needed.",
            n=e.n_respondents,
            threshold=e.threshold,
        )
    known = sum(m.known for m in (e.purpose, e.function, e.form))
    if known < 2:
        return said(
            'Too few answers cover purpose, function and form (most were "don\'t know" '
            "or skipped), so no stage can be given."
        )
    return None


def stage_classify(e: Evidence) -> StageResult:
    """The stage with its certainty, the conditions that decided it, and what could not
    be judged. Its sentences are kept as words (``says``) to say in any language."""
    reason = enough(e)
    if reason is not None:
        result = StageResult(NOT_ENOUGH, NOT_ENOUGH)
        keep(result.says, summary=reason, not_applied=[])
        return result.worded()
    conds = conditions(e)
    outcomes = _possible(conds)
    stage = _point(conds)
    if outcomes == {stage}:
        certainty, alternatives, because = "clear", [stage], []
    else:
        certainty = "borderline"
        alternatives = [stage] + sorted(s for s in outcomes if s != stage)
        because = _deciding(conds, stage)
    result = StageResult(stage, certainty, alternatives, list(conds.values()), because)
    result.says.update(summary=summary(result, e), not_applied=_not_applied(conds))
    return result.worded()


STAGE_NAMES = {  # the one table of the stages' names, in any language (words.say)
    PRE_EMERGENT: said_in("stage", "pre-emergent"),
    EMERGING: said_in("stage", "emerging"),
    ESTABLISHED: said_in("stage", "established"),
    DORMANT: said_in("stage", "dormant"),
    NOT_ENOUGH: said_in("stage", "not enough evidence"),
}


def stage_word(stage: str) -> str:
    """A stage's name in the active language ("segur"); anything else as it is."""
    return say(STAGE_NAMES[stage]) if stage in STAGE_NAMES else stage


def summary(result: StageResult, e: Evidence) -> dict:
    """One plain sentence, with how many answered when that is what widens the
    intervals."""
    stage = STAGE_NAMES[result.stage]
    if result.certainty == "clear" and result.says.get("not_applied"):
        return said(
            "The network is %(stage)s on the evidence there is; some rules could not be "
            "applied (below).",
            stage=stage,
        )
    if result.certainty == "clear":
        return said("The network is %(stage)s, and the answers leave little doubt.", stage=stage)
    others = either([STAGE_NAMES[s] for s in result.alternatives if s != result.stage])
    if e.response_rate is not None and e.response_rate < 50:
        return said(
            "The network looks %(stage)s, but it could be %(others)s: too close to call. Only "
            "%(rate)s%% of members answered, which widens the margins.",
            stage=stage,
            others=others,
            rate=f"{e.response_rate:.0f}",
        )
    return said(
        "The network looks %(stage)s, but it could be %(others)s: too close to call.",
        stage=stage,
        others=others,
    )
