"""Risk flags: the failure modes of networks that the scores can speak to.

Each flag is ``{"code", "title", "evidence", "severity"}`` with the numbers in
the evidence. Pure functions, no I/O. Thresholds come in as a dict (defaults
``DEFAULT_RISK_RULES``); which sub-dimension stands for which concept comes in
as a mapping (defaults ``DEFAULT_RISK_SUBDIMENSIONS``). A flag whose
sub-dimension is not in the data is simply not raised.
"""

from __future__ import annotations

import math

import pandas as pd

from scorecards.scoring.next_steps import fmt
from scorecards.scoring.shape import RiskFlag

DEFAULT_RISK_RULES = {
    "concern_below": 3.0,  # sub-dimension mean on 1 to 5 (the Wilder concern band)
    "high_below": 2.5,  # a mean under this makes the flag high severity
    "group_gap_points": 15,  # a group this many points below everyone else
    "function_drop_points": 15,  # a function score falling this much since last round
    "response_rate_below": 25,  # percent
    "response_rate_drop_points": 10,  # percent points since last round
    "participation_below": 35,  # participation index, 0 to 100
}

# concept -> sub-dimension code in the instrument
DEFAULT_RISK_SUBDIMENSIONS = {
    "purpose_clarity": "purpose_clarity",
    "governance": "form_governance",
    "leadership": "form_leadership",
    "knowledge": "form_learning",
    "diversity": "form_diversity",
}

_LOW_SCORE_FLAGS = (
    ("purpose_clarity", "unclear_purpose", "No common understanding of purpose"),
    ("governance", "over_management", "Over-management or heavy governance"),
    ("leadership", "leadership_not_distributed", "Leadership not shared or rotated"),
    ("diversity", "diversity_managed_out", "Institutionalisation managing out diversity"),
    ("knowledge", "knowledge_ignored", "Breadth of knowledge in the network ignored"),
)


def _num(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def _low_score_flags(subs: pd.DataFrame, mapping: dict, r: dict, labels: dict) -> list[dict]:
    flags = []
    for concept, code, title in _LOW_SCORE_FLAGS:
        sub = mapping.get(concept)
        if sub is None or sub not in subs.index:
            continue
        mean = _num(subs.loc[sub, "mean"])
        if mean is None or round(mean, 2) >= r["concern_below"]:
            continue
        name = labels.get(sub, sub)
        evidence = (
            f"{name} averages {fmt(mean)} out of 5 ({fmt((mean - 1) * 25)} out of 100) "
            f"from {int(subs.loc[sub, 'n'])} people; under {fmt(r['concern_below'])} is a concern."
        )
        severity = "high" if mean < r["high_below"] else "medium"
        flags.append({"code": code, "title": title, "evidence": evidence, "severity": severity})
    return flags


def _interests_flag(breakdowns: dict, r: dict) -> list[dict]:
    groups = (breakdowns or {}).get("group") or {}
    found = []
    for name, entry in sorted(groups.items(), key=lambda kv: str(kv[0])):
        if entry.get("hidden"):
            continue
        for domain, d in entry.get("domains", {}).items():
            gap = _num(d.get("vs_rest"))
            if gap is not None and round(gap, 2) <= -r["group_gap_points"]:
                found.append((gap, name, domain, d))
    if not found:
        return []
    parts = [
        f"{name}: {domain} {fmt(d['mean_pct'])}, {fmt(-gap)} points below everyone else"
        for gap, name, domain, d in found
    ]
    worst = min(g for g, *_ in found)
    return [
        {
            "code": "interests_first",
            "title": "Some members' interests put first",
            "evidence": "; ".join(parts)
            + f" (a gap of {fmt(r['group_gap_points'])} points or more).",
            "severity": "high" if worst <= -2 * r["group_gap_points"] else "medium",
        }
    ]


def _dormancy_flag(subs: pd.DataFrame, history: dict, r: dict, labels: dict) -> list[dict]:
    parts, high = [], False
    changes = {**(history.get("subdimension_changes") or {})}
    domain_change = (history.get("domain_changes") or {}).get("function")
    functions = set(subs.index[subs["domain"] == "function"]) if "domain" in subs else set()
    for code, diff in sorted(changes.items()):
        diff = _num(diff)
        if code in functions and diff is not None and round(diff, 2) <= -r["function_drop_points"]:
            parts.append(f"{labels.get(code, code)} fell {fmt(-diff)} points since the last round")
    domain_change = _num(domain_change)
    if domain_change is not None and round(domain_change, 2) <= -r["function_drop_points"]:
        parts.append(f"the function score fell {fmt(-domain_change)} points since the last round")
        high = True
    rates = [x for x in (_num(v) for v in history.get("response_rates") or []) if x is not None]
    if len(rates) >= 2:
        fall = rates[-2] - rates[-1]
        two_running = len(rates) >= 3 and rates[-3] > rates[-2] > rates[-1]
        if two_running or round(fall, 2) >= r["response_rate_drop_points"]:
            shown = " to ".join(f"{fmt(x)}%" for x in rates[-3:])
            parts.append(f"the response rate fell round on round ({shown})")
            high = high or two_running
    if not parts:
        return []
    evidence = "Signs of drift: " + "; ".join(parts) + "."
    return [
        {
            "code": "drifting_into_dormancy",
            "title": "Too little impact, drifting into dormancy",
            "evidence": evidence,
            "severity": "high" if high else "medium",
        }
    ]


def _engagement_flag(history: dict, r: dict) -> list[dict]:
    parts = []
    rates = history.get("response_rates") or []
    rate = _num(rates[-1]) if rates else None
    part = _num(history.get("participation_index"))
    if rate is not None and round(rate, 2) < r["response_rate_below"]:
        parts.append(f"response rate {fmt(rate)}% (under {fmt(r['response_rate_below'])}%)")
    if part is not None and round(part, 2) < r["participation_below"]:
        parts.append(f"participation index {fmt(part)} (under {fmt(r['participation_below'])})")
    if not parts:
        return []
    return [
        {
            "code": "low_engagement",
            "title": "Low engagement",
            "evidence": "Low engagement: " + " and ".join(parts) + ".",
            "severity": "high" if len(parts) == 2 else "medium",
        }
    ]


def risk_flags(
    summary: dict,
    breakdowns: dict | None = None,
    history: dict | None = None,
    thresholds: dict | None = None,
    subdimensions: dict | None = None,
    labels: dict | None = None,
) -> list[RiskFlag]:
    """The risk flags the data supports, in a fixed order (``shape.RiskFlag``).

    ``summary`` is ``scores.summarise_matrix``'s result (its ``subdimensions`` frame
    is used); ``breakdowns`` maps a column (``group``) to ``breakdowns.breakdown``'s
    result, and only shown groups are read; ``history`` may hold
    ``subdimension_changes`` and ``domain_changes`` (code -> change in points),
    ``response_rates`` (percent, oldest first, this round last) and
    ``participation_index``. Flags:

    - a mapped sub-dimension with a mean under 3.0: unclear purpose, over-management,
      leadership not distributed, diversity managed out, knowledge ignored
      (high severity under 2.5);
    - some members' interests first: a shown stakeholder group's domain score 15
      points or more below everyone else's (high at twice that);
    - drifting into dormancy: a function score down 15 points or more since the
      last round, or the response rate down 10 points, or down two rounds running;
    - low engagement: response rate under 25 % or participation index under 35.
    """
    r = {**DEFAULT_RISK_RULES, **(thresholds or {})}
    mapping = {**DEFAULT_RISK_SUBDIMENSIONS, **(subdimensions or {})}
    labels = labels or {}
    history = history or {}
    subs = (summary or {}).get("subdimensions")
    if subs is None:
        subs = pd.DataFrame(columns=["domain", "n", "mean"])
    return (
        _low_score_flags(subs, mapping, r, labels)
        + _interests_flag(breakdowns, r)
        + _dormancy_flag(subs, history, r, labels)
        + _engagement_flag(history, r)
    )
