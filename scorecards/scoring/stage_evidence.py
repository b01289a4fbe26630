"""The evidence the stage rules read, gathered from a round's scores: each network
figure with its 95% interval, the matrix where it was rated, and the earlier rounds
carried forward from the previous snapshot. Pure, no I/O."""

from __future__ import annotations

import pandas as pd

from scorecards.scoring import next_steps, stages
from scorecards.scoring import scores as scoring
from scorecards.scoring.intervals import Measure, mean_interval

# The sub-dimension on what the network has achieved (instrument v2); with version 1,
# function stands in for it, and the stage says so.
IMPACT = "purpose_impact"


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
    impact = (subs.get(IMPACT) or domains.get("function") or {}).get("mean_pct")
    return earlier + [
        {
            "response_rate": context.get("response_rate"),
            "participation": context.get("participation_index"),
            "impact": impact,
            "stage": stage.get("stage"),
            "months_ago": months_since,
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
        participation=context["participation_index"],
        history=tuple(stages.PastRound(**r) for r in context["history"]),
    )
    result = stages.stage_classify(evidence)
    shown = {**measure, "matrix": matrix}
    return {
        **result.as_dict(),
        "next_steps": next_steps.next_steps(result.stage, {c.key: c for c in result.conditions}),
        "scores": {k: m.value if m is not None else None for k, m in shown.items()},
    }
