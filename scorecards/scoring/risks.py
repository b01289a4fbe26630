"""Risk flags: the ways networks fail (framework 6) that the answers can speak to.

Each flag reads only the statements written for it (``FLAGS``); a flag whose
statements the round's instrument does not have is not raised, and says nothing. A
flag is raised only when the evidence is clearly past its line, judged on the 95%
interval and not the mean: a statement's whole interval under 3 ("neither agree nor
disagree") on the 1 to 5 scale. Flags about what goes wrong in a mature network
(over-management, institutionalisation, drift into dormancy) are not raised for a
network under ``MATURE_MONTHS`` old or of unknown age: a low score there is a network
still being set up, not a failure process. Every flag shows its evidence: the
statements, their means and intervals, and how many answered.

Pure functions, no I/O. They read a snapshot's data (``shape.SnapshotData``), so the
release works them out again from the published figures alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from scorecards.scoring.intervals import Measure, summary_interval
from scorecards.scoring.shape import RiskFlag
from scorecards.scoring.words import capitalised, each, keep, label, said

CONCERN_BELOW = 3.0  # on 1 to 5: under "neither agree nor disagree"
HIGH_BELOW = 2.5  # an interval wholly under this makes the flag high severity
MATURE_MONTHS = 12
GROUP_GAP_POINTS = 15  # a shown group this far below everyone else (0 to 100)
RESPONSE_RATE_BELOW = 25  # percent, a fact rather than an estimate


@dataclass(frozen=True)
class Flag:
    code: str
    title: dict  # words to say (scoring.words)
    # Statements written for it, in any instrument version (v1: M01, M16, P12; v2 adds
    # M19 and M21 on shared and rotating lead roles, M24, M31, M32 and P18).
    items: tuple[str, ...]
    mature_only: bool = False


FLAGS = (
    Flag("unclear_purpose", said("No common understanding of purpose"), ("P01", "P02", "P03")),
    Flag(
        "leadership_concentrated",
        said("Leadership not shared or rotated"),
        ("M01", "M03", "M19", "M21"),
        mature_only=True,
    ),
    Flag(
        "over_management",
        said("Over-management or heavy governance"),
        ("M14",),
        mature_only=True,
    ),
    Flag(
        "diversity_managed_out",
        said("Institutionalisation managing out diversity"),
        ("M07", "M18", "M24"),
        mature_only=True,
    ),
    Flag(
        "knowledge_ignored",
        said("Breadth of knowledge in the network ignored"),
        ("M16", "M17", "M31", "M32"),
    ),
    Flag("interests_first", said("Some members' interests put first"), ("P12", "P18")),
)
DOMAINS = {"purpose": said("purpose"), "function": said("function"), "form": said("form")}


def _flag(code: str, title: dict, evidence: dict, severity: str) -> RiskFlag:
    flag = {"code": code, "severity": severity}
    keep(flag, title=title, evidence=evidence)
    return RiskFlag(**flag)


def _interval(entry: dict, population: int | None) -> Measure:
    return summary_interval(entry.get("mean"), entry.get("sd"), entry.get("n"), population)


def _statement(code: str, entry: dict, m: Measure, labels: dict) -> dict:
    figures = {
        "code": code,
        "mean": f"{m.value:.1f}",
        "low": f"{m.low:.1f}",
        "high": f"{m.high:.1f}",
        "n": int(entry["n"]),
    }
    if not labels.get(code):
        return said(
            "%(code)s: %(mean)s out of 5 (95%% interval %(low)s to %(high)s, %(n)s answered)",
            **figures,
        )
    return said(
        '%(code)s "%(statement)s": %(mean)s out of 5 (95%% interval %(low)s to %(high)s, '
        "%(n)s answered)",
        statement=label(code, labels[code]),
        **figures,
    )


def _item_flag(flag: Flag, data: dict, labels: dict, population) -> RiskFlag | None:
    items = data.get("items") or {}
    past = []
    for code in flag.items:
        entry = items.get(code) or {}
        if entry.get("withheld") or entry.get("mean") is None:
            continue
        m = _interval(entry, population)
        if m.high is not None and m.high < CONCERN_BELOW:
            past.append((code, entry, m))
    if not past:
        return None
    high = any(m.high < HIGH_BELOW for _, _, m in past)
    statements = each([_statement(code, entry, m, labels) for code, entry, m in past])
    figures = {"line": f"{CONCERN_BELOW:g}", "statements": statements}
    gaps = _group_gaps(data) if flag.code == "interests_first" else []
    evidence = (
        said(
            "Clearly under %(line)s on a scale of 1 to 5: %(statements)s. Also: %(gaps)s.",
            gaps=each(gaps),
            **figures,
        )
        if gaps
        else said("Clearly under %(line)s on a scale of 1 to 5: %(statements)s.", **figures)
    )
    return _flag(flag.code, flag.title, evidence, "high" if high else "medium")


def _group_gaps(data: dict) -> list[dict]:
    """Shown groups whose domain score is clearly below everyone else's: supporting
    evidence for "interests first", never a flag on its own."""
    gaps = []
    groups = (data.get("breakdowns") or {}).get("group") or {}
    for name, entry in sorted(groups.items()):
        if entry.get("hidden"):
            continue
        for domain, d in (entry.get("domains") or {}).items():
            gap = d.get("vs_rest")
            if gap is not None and gap <= -GROUP_GAP_POINTS:
                gaps.append(
                    said(
                        "%(group)s score %(domain)s %(points)s points below everyone else",
                        group=name,
                        domain=DOMAINS.get(domain, domain),
                        points=f"{-gap:.0f}",
                    )
                )
    return gaps


def _drift_flag(data: dict) -> RiskFlag | None:
    """Impact (or function standing in for it) fell by the stage's own line since the
    last round, the whole interval of the fall past it: the stage's condition, read
    from the published stage, so the flag and the stage never disagree."""
    stage = data.get("stage") or {}
    fell = [c for c in stage.get("conditions") or [] if c.get("key") == "impact_falling"]
    if not fell or fell[0].get("holds") is not True:
        return None
    fact = (fell[0].get("says") or {}).get("text", fell[0]["text"])
    return _flag(
        "drifting_into_dormancy",
        said("Too little impact, drifting into dormancy"),
        said("%(fact)s.", fact=capitalised(fact)),
        "high" if _condition(stage, "impact_low") is True else "medium",
    )


def _condition(stage: dict, key: str) -> bool | None:
    return next((c.get("holds") for c in stage.get("conditions") or [] if c["key"] == key), None)


def _engagement_flag(data: dict) -> RiskFlag | None:
    rate = (data.get("context") or {}).get("response_rate")
    if rate is None or rate >= RESPONSE_RATE_BELOW:
        return None
    return _flag(
        "low_engagement",
        said("Low engagement"),
        said(
            "Only %(rate)s%% of invited members answered (under %(line)s%%).",
            rate=f"{rate:.0f}",
            line=RESPONSE_RATE_BELOW,
        ),
        "medium",
    )


def _mature(data: dict) -> bool:
    """At least ``MATURE_MONTHS`` old: by its founding date, or, without one, by the
    first of its earlier rounds (as the stage reads it)."""
    context = data.get("context") or {}
    age = context.get("network_age_months")
    if age is None:
        age = max((r.get("months_ago") or 0 for r in context.get("history") or []), default=0)
    return age >= MATURE_MONTHS


def risk_flags(data: dict, labels: dict | None = None) -> list[RiskFlag]:
    """The flags the round's figures clearly support, in ``FLAGS`` order, then drift
    and engagement."""
    labels = labels or {}
    population = data.get("invited") or None
    mature = _mature(data)
    out: list[RiskFlag] = []
    for flag in FLAGS:
        if flag.mature_only and not mature:
            continue
        found = _item_flag(flag, data, labels, population)
        if found is not None:
            out.append(found)
    drift = _drift_flag(data) if mature else None
    return out + [f for f in (drift, _engagement_flag(data)) if f is not None]
