"""Which stage a network is in: pre-emergent, emerging, established or dormant.

The four stages are the Health Foundation's (2014); the rules that assign them
are this project's own (no public source gives scoring rules for them). Pure
functions, no I/O; thresholds come in as a ``rules`` dict whose defaults are
``STAGE_RULES``.

Inputs (``StageInputs``): domain scores ``purpose``, ``function``, ``form`` on 0
to 100; ``matrix_median`` (the median of respondents' median current matrix
levels, 1 to 5; None when no matrix was rated); ``network_age_months``;
``response_rate`` in percent (0 to 100); ``participation_index`` (0 to 100, see
``participation_index``); ``previous_function`` (last round's function score).
Any of them may be None: a condition on an unknown value is not met, and its
text says so. Values are compared as shown, rounded to two decimals.

Rules, in order (the first that holds decides):

1. dormant: age >= 12 months, and engagement low (participation index < 35 or
   response rate < 25 %), and function weak (function < 45, or down >= 15
   points on the previous round);
2. established: purpose >= 65, function >= 60, form >= 60, and where a matrix
   was rated its median level >= 3.5;
3. pre-emergent: age < 6 months, or purpose < 50 with form < 40;
4. emerging: everything else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from scorecards.scoring.next_steps import fmt, next_steps

DORMANT, ESTABLISHED, PRE_EMERGENT, EMERGING = "dormant", "established", "pre-emergent", "emerging"
STAGES = (PRE_EMERGENT, EMERGING, ESTABLISHED, DORMANT)

STAGE_RULES = {
    "dormant_age_at_least": 12,  # months
    "dormant_participation_below": 35,  # participation index, 0 to 100
    "dormant_response_rate_below": 25,  # percent of invited members
    "dormant_function_below": 45,  # function score, 0 to 100
    "dormant_function_drop_at_least": 15,  # points since the previous round
    "established_purpose_at_least": 65,
    "established_function_at_least": 60,
    "established_form_at_least": 60,
    "established_matrix_median_at_least": 3.5,  # matrix level, 1 to 5
    "pre_emergent_age_below": 6,  # months
    "pre_emergent_purpose_below": 50,
    "pre_emergent_form_below": 40,
}


def resolve_rules(rules: dict | None) -> dict:
    """``STAGE_RULES`` overlaid with ``rules``; unknown names are refused."""
    rules = dict(rules or {})
    unknown = set(rules) - set(STAGE_RULES)
    if unknown:
        raise ValueError(f"unknown stage rules: {sorted(unknown)}")
    return {**STAGE_RULES, **{k: float(v) for k, v in rules.items()}}


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


@dataclass(frozen=True)
class StageContext:
    """What the stage rules need besides the scores."""

    network_age_months: float | None = None
    response_rate: float | None = None
    participation_index: float | None = None
    previous_function: float | None = None


@dataclass(frozen=True)
class StageInputs:
    purpose: float | None = None
    function: float | None = None
    form: float | None = None
    matrix_median: float | None = None
    network_age_months: float | None = None
    response_rate: float | None = None
    participation_index: float | None = None
    previous_function: float | None = None


@dataclass(frozen=True)
class StageResult:
    stage: str
    conditions: list[dict] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    summary: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _known(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return float(np.round(x, 2)) if np.isfinite(x) else None


def _condition(rule, label, value, threshold, at_least: bool, unit="") -> dict:
    """One condition: ``value >= threshold`` (at_least) or ``value < threshold``."""
    if value is None:
        outcome = "is not met" if at_least else "is ignored"
        text = f"{label} is not known, so this condition {outcome}"
        return {"rule": rule, "text": text, "value": None, "threshold": threshold, "met": False}
    met = value >= threshold if at_least else value < threshold
    word = "at least" if value >= threshold else "under"
    text = f"{label} {fmt(value)}{unit} is {word} {fmt(threshold)}{unit}"
    return {"rule": rule, "text": text, "value": value, "threshold": threshold, "met": bool(met)}


def _drop_condition(function, previous, threshold) -> dict:
    rule = "dormant.function_drop"
    if function is None or previous is None:
        text = "No earlier function score to compare with, so this condition is not met"
        return {"rule": rule, "text": text, "value": None, "threshold": threshold, "met": False}
    drop = float(np.round(previous - function, 2))
    met = drop >= threshold
    moved = f"down {fmt(drop)} points" if drop > 0 else f"up {fmt(-drop)} points"
    text = (
        f"Function is {moved if drop else 'unchanged'} on the previous round "
        f"({fmt(previous)} then, {fmt(function)} now); a fall of {fmt(threshold)} or more counts"
    )
    return {"rule": rule, "text": text, "value": drop, "threshold": threshold, "met": bool(met)}


# rule, label, StageInputs field, rules key, "at least" (else "under"), unit
_CHECKS = {
    "dormant": [
        ("dormant.age", "Network age", "network_age_months", "dormant_age_at_least", True,
         " months"),
        ("dormant.participation", "Participation index", "participation_index",
         "dormant_participation_below", False, ""),
        ("dormant.response_rate", "Response rate", "response_rate",
         "dormant_response_rate_below", False, "%"),
        ("dormant.function", "Function", "function", "dormant_function_below", False, ""),
    ],
    "established": [
        ("established.purpose", "Purpose", "purpose", "established_purpose_at_least", True, ""),
        ("established.function", "Function", "function", "established_function_at_least", True,
         ""),
        ("established.form", "Form", "form", "established_form_at_least", True, ""),
    ],
    "pre_emergent": [
        ("pre_emergent.age", "Network age", "network_age_months", "pre_emergent_age_below",
         False, " months"),
        ("pre_emergent.purpose", "Purpose", "purpose", "pre_emergent_purpose_below", False, ""),
        ("pre_emergent.form", "Form", "form", "pre_emergent_form_below", False, ""),
    ],
}  # fmt: skip


def _checks(name: str, x: StageInputs, r: dict) -> list[dict]:
    return [
        _condition(rule, label, _known(getattr(x, field)), r[key], at_least, unit)
        for rule, label, field, key, at_least, unit in _CHECKS[name]
    ]


def _dormant_conditions(x: StageInputs, r: dict) -> list[dict]:
    drop = _drop_condition(
        _known(x.function), _known(x.previous_function), r["dormant_function_drop_at_least"]
    )
    return [*_checks("dormant", x, r), drop]


def _established_conditions(x: StageInputs, r: dict) -> list[dict]:
    threshold = r["established_matrix_median_at_least"]
    level = _known(x.matrix_median)
    if level is None:
        text = "No maturity matrix was rated, so the matrix level does not count"
        matrix = {"rule": "established.matrix", "text": text, "value": None,
                  "threshold": threshold, "met": True}  # fmt: skip
    else:
        matrix = _condition("established.matrix", "Median matrix level", level, threshold, True)
    return [*_checks("established", x, r), matrix]


def _met(conditions: list[dict]) -> dict:
    return {c["rule"]: bool(c["met"]) for c in conditions}


# How the conditions combine, written once for single values and for arrays alike.
def _is_dormant(met: dict):
    engagement_low = met["dormant.participation"] | met["dormant.response_rate"]
    function_weak = met["dormant.function"] | met["dormant.function_drop"]
    return met["dormant.age"] & engagement_low & function_weak


def _is_pre_emergent(met: dict):
    return met["pre_emergent.age"] | (met["pre_emergent.purpose"] & met["pre_emergent.form"])


_SUMMARY = {
    DORMANT: "Dormant: at least a year old, engagement is low and function is weak.",
    ESTABLISHED: "Established: purpose, function and form all reach the established levels.",
    PRE_EMERGENT: "Pre-emergent: the network is young, or purpose and form are both still low.",
    EMERGING: "Emerging: set up, but not yet at the established levels.",
}


def stage_classify(inputs: StageInputs, rules: dict | None = None) -> StageResult:
    """Apply the stage rules in order and explain the outcome.

    ``conditions`` lists every condition checked up to the deciding rule, each
    ``{rule, text, value, threshold, met}``; ``next_steps`` gives the smallest
    changes that would move the network on (see ``stage_steps``).
    """
    r = resolve_rules(rules)
    conditions = _dormant_conditions(inputs, r)
    if _is_dormant(_met(conditions)):
        stage = DORMANT
    else:
        conditions += _established_conditions(inputs, r)
        if all(c["met"] for c in conditions if c["rule"].startswith("established.")):
            stage = ESTABLISHED
        else:
            conditions += _checks("pre_emergent", inputs, r)
            stage = PRE_EMERGENT if _is_pre_emergent(_met(conditions)) else EMERGING
    steps = next_steps(stage, {c["rule"]: c for c in conditions})
    return StageResult(stage, conditions, steps, _SUMMARY[stage])


def _outcomes(x: dict, r: dict) -> dict:
    """Whether each condition holds, from the same table as ``stage_classify``: the values
    in ``x`` may be numbers or arrays (one per resample); an unknown value (NaN) meets no
    condition, except a missing matrix, which does not count against "established"."""
    met = {}
    for checks in _CHECKS.values():
        for rule, _label, name, key, at_least, _unit in checks:
            value = x[name]
            met[rule] = value >= r[key] if at_least else value < r[key]
    met["dormant.function_drop"] = (
        np.round(x["previous_function"] - x["function"], 2) >= r["dormant_function_drop_at_least"]
    )
    level = x["matrix_median"]
    met["established.matrix"] = np.isnan(level) | (level >= r["established_matrix_median_at_least"])
    return met


def _stage_from(met: dict):
    dormant = _is_dormant(met)
    established = np.logical_and.reduce(
        [v for rule, v in met.items() if rule.startswith("established.")]
    )
    return np.select(
        [dormant, established, _is_pre_emergent(met)],
        [DORMANT, ESTABLISHED, PRE_EMERGENT],
        default=EMERGING,
    )


def stages_of(purpose, function, form, matrix_median, context: StageContext, rules=None):
    """The stage for arrays of scores (one per resample), by the same table and the same
    combination of conditions as ``stage_classify``."""

    def values(x):
        return np.round(np.asarray(np.nan if x is None else x, dtype=float), 2)

    scores = {"purpose": purpose, "function": function, "form": form}
    x = {name: values(v) for name, v in {**scores, **asdict(context)}.items()}
    x["matrix_median"] = values(matrix_median)
    return _stage_from(_outcomes(x, resolve_rules(rules)))


def _median_from_counts(counts: np.ndarray, distinct: np.ndarray) -> np.ndarray:
    """Median of each row's sample, given how many times each distinct value occurs."""
    total = counts.sum(axis=1)
    cum = np.cumsum(counts, axis=1)
    lower = (cum <= ((total - 1) // 2)[:, None]).sum(axis=1)
    upper = (cum <= (total // 2)[:, None]).sum(axis=1)
    top = len(distinct) - 1
    med = (distinct[np.minimum(lower, top)] + distinct[np.minimum(upper, top)]) / 2
    return np.where(total > 0, med, np.nan)


@dataclass(frozen=True)
class ConfidenceData:
    """Respondent rows prepared for resampling the stage.

    ``columns``: purpose, function and form (0 where missing), three answered
    flags, then one 0/1 column per distinct matrix level in ``distinct``.
    ``full``: the full data's purpose, function, form and matrix level.
    """

    ids: pd.Index
    columns: np.ndarray
    distinct: np.ndarray
    full: tuple


def confidence_data(scores_percent: pd.DataFrame, matrix_medians: pd.Series | None):
    """``ConfidenceData`` for the respondents in either input, sorted by respondent."""
    scores = scores_percent.reindex(columns=["purpose", "function", "form"])
    matrix = matrix_medians if matrix_medians is not None else pd.Series(dtype=float)
    ids = scores.index.union(matrix.index).sort_values()
    values = scores.reindex(ids).to_numpy(dtype=float)
    levels = matrix.reindex(ids).to_numpy(dtype=float)
    rated = levels[~np.isnan(levels)]
    if np.unique(rated).size > 64:  # levels are whole numbers, their medians halves
        levels = np.round(levels * 2) / 2
        rated = levels[~np.isnan(levels)]
    distinct = np.unique(rated)
    ok = ~np.isnan(values)
    onehot = (levels[:, None] == distinct[None, :]).astype(float)
    columns = np.hstack([np.where(ok, values, 0.0), ok, onehot])
    means = [float(values[ok[:, j], j].mean()) if ok[:, j].any() else None for j in range(3)]
    full = (*means, float(np.median(rated)) if rated.size else None)
    return ConfidenceData(ids, columns, distinct, full)


def confidence_from_totals(
    data: ConfidenceData, totals: np.ndarray, context: StageContext, rules: dict | None = None
) -> float | None:
    """Share of resamples whose stage equals the full data's, from resampled column totals."""
    if len(data.ids) == 0:
        return None
    with np.errstate(invalid="ignore", divide="ignore"):
        means = totals[:, :3] / totals[:, 3:6]
    if data.distinct.size:
        medians = _median_from_counts(totals[:, 6:], data.distinct)
    else:
        medians = np.full(len(totals), np.nan)
    full = stage_classify(StageInputs(*data.full, **asdict(context)), rules).stage
    resampled = stages_of(means[:, 0], means[:, 1], means[:, 2], medians, context, rules)
    return float(np.mean(resampled == full))
