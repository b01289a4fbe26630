"""The questions the stage rules ask of a round (the decision table is in
``stages``): each a ``Condition`` that holds, fails, or is open when a score's 95%
interval straddles its line or an input is missing. Every line is in ``LINES``. Pure,
no I/O; see docs/stages.md."""

from __future__ import annotations

from dataclasses import dataclass, replace

from scorecards.scoring.intervals import Measure
from scorecards.scoring.words import gettext_noop, said, say

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
    "engagement_fall_at_least": ("response rate", 10, "points"),
}


def line(name: str) -> float:
    return float(LINES[name][1])


@dataclass(frozen=True)
class PastRound:
    """What an earlier round of the same network showed."""

    response_rate: float | None = None
    impact: float | None = None  # or function, where the instrument had no impact items
    stage: str | None = None
    months_ago: float | None = None  # how long before this round it closed
    impact_se: float | None = None  # the standard error of ``impact``, where known
    impact_measure: str = "impact"  # "impact", or "function" standing in for it


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
    history: tuple[PastRound, ...] = ()


@dataclass(frozen=True)
class Condition:
    """One condition the stage rules check: ``holds`` True, False or None (uncertain).
    ``text`` is in English; ``says`` keeps it to be said in a reader's language."""

    key: str
    text: str
    holds: bool | None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    line: float | None = None
    says: dict | None = None


def _condition(key: str, sentence: dict, holds: bool | None, *figures) -> Condition:
    return Condition(key, say(sentence), holds, *figures, says={"text": sentence})


def blended(form: Measure, matrix: Measure | None) -> Measure:
    """Form, with the matrix level as further evidence where it was rated, each weighted
    by its precision (the inverse of its interval's squared half-width, at least one
    point): a high matrix can lift form and a low one lower it, as much as its answers
    allow, and a missing one changes nothing."""
    if matrix is None or not matrix.known or not form.known:
        return form
    halves = [max(m.half_width, 1.0) for m in (form, matrix)]
    weights = [1 / h**2 for h in halves]
    value = (form.value * weights[0] + matrix.value * weights[1]) / sum(weights)
    half = (1 / sum(weights)) ** 0.5
    low, high = max(0.0, value - half), min(100.0, value + half)
    return Measure(value, low, high, min(form.n, matrix.n))


# ---- conditions ----------------------------------------------------------------------


def _fmt(x: float | None) -> str:
    return "unknown" if x is None else f"{x:.0f}"


# How a score reads against its line: whole sentences, as a translator needs them.
AGAINST_LINE = {
    True: gettext_noop("%(measure)s %(value)s is at least %(line)s"),
    False: gettext_noop("%(measure)s %(value)s is under %(line)s"),
    None: gettext_noop("%(measure)s %(value)s is close to %(line)s"),
}
AGAINST_LINE_WITH_INTERVAL = {
    True: gettext_noop(
        "%(measure)s %(value)s (95%% interval %(low)s to %(high)s) is at least %(line)s"
    ),
    False: gettext_noop(
        "%(measure)s %(value)s (95%% interval %(low)s to %(high)s) is under %(line)s"
    ),
    None: gettext_noop(
        "%(measure)s %(value)s (95%% interval %(low)s to %(high)s) is close to %(line)s"
    ),
}
MEASURES = {
    "purpose": said("purpose"),
    "function": said("function"),
    "form": said("form"),
    "form with the matrix level": said("form with the matrix level"),
    "impact": said("impact"),
    "function (standing in for impact)": said("function (standing in for impact)"),
}


def _at_least(key: str, label: str, m: Measure, name: str) -> Condition:
    """``m`` at or above the line: clearly when its whole interval is."""
    threshold = line(name)
    measure = MEASURES[label]
    if not m.known:  # absence is not evidence: the condition stays open, and is named
        sentence = said("%(measure)s could not be measured", measure=measure)
        return _condition(key, sentence, None, None, None, None, threshold)
    low = m.value if m.low is None else m.low
    high = m.value if m.high is None else m.high
    holds = True if low >= threshold else False if high < threshold else None
    figures = {"measure": measure, "value": _fmt(m.value), "line": f"{threshold:g}"}
    if m.low is None:
        sentence = said(AGAINST_LINE[holds], **figures)
    else:
        figures.update(low=_fmt(m.low), high=_fmt(m.high))
        sentence = said(AGAINST_LINE_WITH_INTERVAL[holds], **figures)
    return _condition(key, sentence, holds, m.value, m.low, m.high, threshold)


def _below(key: str, label: str, m: Measure, name: str) -> Condition:
    c = _at_least(key, label, m, name)
    return replace(c, holds=None if c.holds is None else not c.holds)


def _age(e: Evidence) -> tuple[Condition, Condition]:
    if e.age_months is None:
        # Without a founding date, earlier rounds still say how old it is at least.
        least = max((p.months_ago for p in e.history if p.months_ago is not None), default=0)
        sentence = said("the network's age is not known")
        if least:
            sentence = said(
                "the network's age is not known, but its first round was %(months)s months ago",
                months=f"{least:.0f}",
            )
        young = False if least >= line("young_below") else None
        long_lived = True if least >= line("long_lived_at_least") else None
        return _condition("young", sentence, young), _condition("long_lived", sentence, long_lived)
    age = e.age_months
    young, old = line("young_below"), line("long_lived_at_least")
    sentence = said("the network is %(months)s months old", months=f"{age:.0f}")
    return (
        _condition("young", sentence, age < young, age, None, None, young),
        _condition("long_lived", sentence, age >= old, age, None, None, old),
    )


def _engagement_falling(e: Evidence) -> Condition:
    """Engagement fell since the previous round: the response rate down by at least the
    line. A count of who answered, so a fact with no interval; open without an earlier
    round. (The participation index is not used: it describes only those who still
    answer, so it can rise as the least engaged stop answering.)"""
    before = e.history[-1] if e.history else None
    if before is None or before.response_rate is None or e.response_rate is None:
        sentence = said("there is no earlier response rate to compare with")
        return _condition("engagement_falling", sentence, None)
    drop, fall = before.response_rate - e.response_rate, line("engagement_fall_at_least")
    sentence = said(
        "the response rate went from %(before)s%% to %(now)s%% since the previous round",
        before=f"{before.response_rate:.0f}",
        now=f"{e.response_rate:.0f}",
    )
    return _condition("engagement_falling", sentence, drop >= fall, drop, None, None, fall)


def _impact_trend(e: Evidence, impact: Measure, measure: str) -> tuple[Condition, Condition]:
    """Whether impact fell by at least the line, and whether it clearly rose, since the
    previous round, judged on the 95% interval of the change (both rounds are samples):
    open when the interval straddles the line, and open, named, when the earlier round
    measured something else (function standing in for impact, say)."""
    fall = line("impact_fall_at_least")
    before = e.history[-1] if e.history else None
    if before is None or before.impact is None or not impact.known:
        sentence = said("there is no earlier score to compare with")
        return _condition("impact_falling", sentence, False, None, None, None, fall), _condition(
            "impact_rising", sentence, False, None, None, None, 0.0
        )
    if before.impact_measure != measure:
        sentence = said(
            "the previous round measured %(before)s, not %(now)s",
            before=MEASURES[before.impact_measure],
            now=MEASURES[measure],
        )
        return _condition("impact_falling", sentence, None, None, None, None, fall), _condition(
            "impact_rising", sentence, None, None, None, None, 0.0
        )
    drop = before.impact - impact.value
    half = 1.96 * ((before.impact_se or 0.0) ** 2 + impact.standard_error**2) ** 0.5
    low, high = drop - half, drop + half
    sentence = said(
        "%(measure)s went from %(before)s to %(now)s since the previous round (a change of "
        "%(change)s, 95%% interval %(low)s to %(high)s)",
        measure=MEASURES[measure],
        before=f"{before.impact:.0f}",
        now=f"{impact.value:.0f}",
        change=_fmt(-drop),
        low=_fmt(-high),
        high=_fmt(-low),
    )
    falling = True if low >= fall else False if high < fall else None
    rising = True if high < 0 else False if low >= 0 else None
    return (
        _condition("impact_falling", sentence, falling, drop, low, high, fall),
        _condition("impact_rising", sentence, rising, -drop, -high, -low, 0.0),
    )


def conditions(e: Evidence) -> dict[str, Condition]:
    impact = e.impact if e.impact is not None else e.function
    measure = "impact" if e.impact is not None else "function"
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
        *_impact_trend(e, impact, measure),
        _engagement_falling(e),
    ]
    return {c.key: c for c in found}
