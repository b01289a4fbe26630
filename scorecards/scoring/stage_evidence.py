"""The evidence the stage rules read, gathered from a round's scores: each network
figure with its 95% interval, the matrix where it was rated, and the earlier rounds
carried forward from the previous snapshot. Pure, no I/O."""

from __future__ import annotations

import pandas as pd

from scorecards.scoring import next_steps, stages
from scorecards.scoring import scores as scoring
from scorecards.scoring.intervals import Measure, mean_interval, standard_error
from scorecards.scoring.words import keep

# The sub-dimension on what the network has achieved (instrument v2); with version 1,
# function stands in for it, and the stage says so.
IMPACT = "purpose_impact"


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


def history_of(previous: dict | None, months_since: float | None) -> list[dict]:
    """The earlier rounds the stage rules read, oldest first: the previous round's own
    history, each a round further back, then the previous round itself."""
    if not previous:
        return []
    context = previous.get("context") or {}

    def further(months):
        return None if months is None or months_since is None else months + months_since

    earlier = [
        {**r, "months_ago": further(r.get("months_ago"))} for r in context.get("history") or []
    ]
    stage = previous.get("stage") or {}
    subs, domains = previous.get("subdimensions") or {}, previous.get("domains") or {}
    # Impact where the round measured it, else function standing in: named, so that a
    # round of one kind is never compared with a round of the other.
    measure, entry = (
        ("impact", subs[IMPACT]) if IMPACT in subs else ("function", domains.get("function") or {})
    )
    se = None
    if entry.get("sd_pct") is not None and entry.get("n"):
        se = standard_error(entry["sd_pct"], entry["n"], previous.get("invited") or None)
    return earlier + [
        {
            "response_rate": context.get("response_rate"),
            "impact": entry.get("mean_pct"),
            "stage": stage.get("stage"),
            "months_ago": months_since,
            "impact_se": se,
            "impact_measure": measure,
        }
    ]


def _measure(values: pd.Series | None, population, threshold) -> Measure:
    if values is None:
        return Measure.unknown()
    return mean_interval(values.to_numpy(dtype=float), population, threshold)


def stage_part(scores, medians, context, n, population):
    """The stage from the respondents' scores (each network figure with its interval),
    the matrix where it was rated, the network's age and its earlier rounds."""
    threshold = context["threshold"]
    percent = scoring.to_percent(scores)
    measure = {
        code: _measure(percent.get(code), population, threshold)
        for code in (*scoring.DOMAINS, IMPACT)
    }
    matrix = None
    if medians is not None and medians.notna().any():
        matrix = _measure(scoring.to_percent(medians.dropna()), population, threshold)
    evidence = stages.Evidence(
        n_respondents=n,
        threshold=threshold,
        purpose=measure["purpose"],
        function=measure["function"],
        form=measure["form"],
        impact=measure[IMPACT] if IMPACT in percent.columns else None,
        matrix=matrix,
        age_months=context["network_age_months"],
        response_rate=context["response_rate"],
        history=tuple(stages.PastRound(**r) for r in context["history"]),
    )
    result = stages.stage_classify(evidence)
    shown = {**measure, "matrix": matrix}
    stage = {
        **result.as_dict(),
        "scores": {k: m.value if m is not None else None for k, m in shown.items()},
    }
    keep(stage, next_steps=next_steps.next_steps(result))
    return stage
