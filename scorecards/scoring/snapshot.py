"""Everything a snapshot holds, built in one place. Pure, no I/O.

``snapshot_build`` takes a round's answers as frames (``RoundFrames``) and what else
is known about the round (``RoundFacts``), both read by ``scorecards.selectors``, and
returns the snapshot's data in the shape of ``shape.SnapshotData`` together with every
released comment (kept apart, since pages show only the first few). Floats are
rounded to three decimals, None stands for anything missing and dict keys come in a
canonical order, so the same data in any row order gives an identical result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scorecards.scoring import bootstrap, breakdowns, psychometrics, reliability, risks
from scorecards.scoring import scores as scoring
from scorecards.scoring.follow_up import follow_up_results
from scorecards.scoring.relationships import named_figures
from scorecards.scoring.shape import (
    FORMAT,
    CommentPreview,
    CommentSet,
    CustomResult,
    GroupResponse,
    SnapshotData,
)
from scorecards.scoring.stage_evidence import history_of, participation_index, stage_part
from surveys import anonymity

DECIMALS = 3
_NO_ANSWERS = pd.DataFrame(columns=["respondent", "item", "value"])
COMMENTS_SHOWN = 10  # per question on the dashboard; the comments page shows them all


@dataclass(frozen=True)
class RoundFrames:
    """A round's submitted answers as frames (columns as in ``scoring``)."""

    answers: pd.DataFrame  # respondent, item, value: the scale statements
    items: pd.DataFrame  # item, subdimension, domain, reverse
    importance: pd.DataFrame  # respondent, function, value
    respondents: pd.DataFrame  # respondent, group, tenure, network_role, frequency
    matrix: pd.DataFrame  # respondent, dimension, current, target
    dimension_codes: list[str]
    texts: pd.DataFrame  # question, text: comments and the round's own text questions
    custom_answers: pd.DataFrame  # respondent, item, value: the round's own statements
    # respondent, item, value: did the actions agreed before the round make a difference
    follow_up_answers: pd.DataFrame | None = None
    labels: dict[str, str] = field(default_factory=dict)  # code -> title
    # respondent, function, value: how well the network does each function now
    # (instrument v2); empty where the instrument does not ask
    performance: pd.DataFrame | None = None
    # The roster question, when the round asked it (``answers.roster_frames``).
    ties: pd.DataFrame | None = None  # source, target (member ids), closeness
    people: pd.DataFrame | None = None  # by member id: group, answered, consent, name


@dataclass(frozen=True)
class RoundFacts:
    """What the snapshot needs to know about the round besides its answers."""

    threshold: int
    invited: int
    submitted: int
    network_age_months: float | None = None
    months_since_previous: float | None = None  # from the previous round's closing
    instrument_version: int | None = None
    # New code -> the previous round's code, for what the two rounds' instruments ask
    # alike, when they differ (None: the same instrument, everything comparable).
    comparable: dict[str, str] | None = None
    frequency_order: list[str] | None = None  # the "how often" options, least often first
    comment_questions: dict[str, str] = field(default_factory=dict)  # code -> question
    custom_questions: list[tuple[str, str, str]] = field(default_factory=list)  # code, kind, text
    follow_up_questions: list[dict] = field(default_factory=list)  # code, text
    response_by_group: list[GroupResponse] = field(default_factory=list)


@dataclass(frozen=True)
class BuiltSnapshot:
    data: SnapshotData
    comments: dict[str, CommentSet]  # every released comment, by question code


def snapshot_build(
    frames: RoundFrames,
    facts: RoundFacts,
    previous: SnapshotData | None = None,
    *,
    n_boot: int = bootstrap.N_BOOT,
) -> BuiltSnapshot:
    """The snapshot of one round; ``previous`` is the network's round before (its
    snapshot's data), for changes and the response-rate history."""
    participation = None
    if facts.frequency_order:
        participation = participation_index(
            frames.respondents["frequency"], order=facts.frequency_order
        )
    data = assessment_scores(
        answers=frames.answers,
        items=frames.items,
        importance=frames.importance,
        performance=frames.performance,
        respondents=frames.respondents[["respondent", "group", "tenure", "network_role"]],
        matrix=frames.matrix,
        dimension_codes=frames.dimension_codes,
        threshold=facts.threshold,
        response_rate=round(100 * facts.submitted / facts.invited, 1) if facts.invited else None,
        participation_index=participation,
        network_age_months=facts.network_age_months,
        population=facts.invited,
        months_since_previous=facts.months_since_previous,
        comparable=facts.comparable,
        instrument_version=facts.instrument_version,
        previous=previous,
        labels=frames.labels,
        n_boot=n_boot,
    )
    released = data["comments_released"]
    comments = _comments(facts.comment_questions, frames.texts, released)
    data["comments"] = {code: _preview(c) for code, c in comments.items()}
    data["custom"] = _custom(facts.custom_questions, frames, released, facts.threshold)
    data["follow_up"] = follow_up_results(
        facts.follow_up_questions,
        frames.follow_up_answers if frames.follow_up_answers is not None else _NO_ANSWERS,
        threshold=facts.threshold,
        released=data["released"],
    )
    data["invited"] = facts.invited
    data["response_by_group"] = list(facts.response_by_group)
    data["relationships"] = (  # when the round asked who works with whom
        named_figures(frames.ties, frames.people, threshold=facts.threshold)
        if frames.people is not None
        else None
    )
    return BuiltSnapshot(data, comments)


def _comments(
    questions: dict[str, str], texts: pd.DataFrame, released: bool
) -> dict[str, CommentSet]:
    """Free text only once the round has enough respondents (quality T1), sorted so the
    order says nothing about who wrote what."""
    if not released:
        return {}
    return {
        code: CommentSet(
            question=question,
            answers=sorted(texts.loc[texts["question"] == code, "text"]),
        )
        for code, question in questions.items()
    }


def _preview(comments: CommentSet) -> CommentPreview:
    answers = comments["answers"]
    return CommentPreview(
        question=comments["question"], total=len(answers), answers=answers[:COMMENTS_SHOWN]
    )


def _custom(
    questions: list[tuple[str, str, str]], frames: RoundFrames, released: bool, threshold: int
) -> list[CustomResult]:
    """The round's own questions, reported apart from the standard scores: a statement's
    figures once enough people rated it, a text question's answers once the round is
    released."""
    out: list[CustomResult] = []
    for code, kind, text in questions:
        entry = CustomResult(code=code, kind=kind, text=text)
        if kind == "agreement":
            values = frames.custom_answers.loc[frames.custom_answers["item"] == code, "value"]
            entry |= _custom_agreement(values, threshold)
        else:
            answers = frames.texts.loc[frames.texts["question"] == code, "text"]
            entry |= {"shown": released, "answers": sorted(answers) if released else []}
        out.append(entry)
    return out


def _custom_agreement(values: pd.Series, threshold: int) -> dict:
    answered = values.dropna()
    entry = {"n": int(len(answered)), "shown": bool(len(answered) >= threshold)}
    if entry["shown"]:
        entry["mean"] = round(float(answered.mean()), DECIMALS)
        entry["counts"] = {str(v): int((answered == v).sum()) for v in range(1, 6)}
        entry["dont_know"] = int(values.isna().sum())
    return entry


def _jsonable(obj, ndigits: int = DECIMALS):
    """Plain JSON types: numpy scalars unwrapped, floats rounded, NaN and inf as None."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v, ndigits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v, ndigits) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        return round(x, ndigits) + 0.0 if math.isfinite(x) else None
    if obj is None or obj is pd.NA or obj is pd.NaT:
        return None
    return obj


def _records(frame: pd.DataFrame) -> dict:
    return {str(k): row for k, row in frame.to_dict(orient="index").items()}


def _respondent_ids(*frames) -> pd.Index:
    ids = [pd.unique(f["respondent"].dropna()) for f in frames if f is not None and not f.empty]
    if not ids:
        return pd.Index([], name="respondent")
    return pd.Index(np.unique(np.concatenate(ids)), name="respondent")


def _sorted(frame: pd.DataFrame | None, by: list[str]) -> pd.DataFrame | None:
    if frame is None or frame.empty:
        return frame
    return frame.sort_values(by, kind="stable").reset_index(drop=True)


def _changes(scores, previous, n_boot, comparable=None):
    """Changes since the previous round, from one resampling of respondents, seeded so
    the same answers always give the same figures. Across instrument versions only what
    ``comparable`` declares alike is compared (sub-dimensions; no domain, whose make-up
    changed), each against its previous code."""
    dists = (previous or {}).get("distributions") or {}
    if not dists:
        return None
    levels = {level: dists.get(level) or {} for level in ("domains", "subdimensions")}
    if comparable is not None:
        old = dists.get("subdimensions") or {}
        levels = {
            "domains": {},
            "subdimensions": {new: old[was] for new, was in comparable.items() if was in old},
        }
    before = {c: bootstrap.from_distribution(p) for lv in levels.values() for c, p in lv.items()}
    codes = [c for c in scores.columns if c in before]
    now = scores[codes].to_numpy(dtype=float)
    ok = ~np.isnan(now)
    totals = bootstrap.resampled_totals(
        np.hstack([np.where(ok, now, 0.0), ok]), n_boot, bootstrap.DEFAULT_SEED
    )
    m = len(codes)
    now_means = np.full((n_boot, m), np.nan)
    counts = totals[:, m:]
    np.divide(totals[:, :m], counts, out=now_means, where=counts > 0)
    n_previous = int((previous or {}).get("n_respondents") or 0)
    found = bootstrap.changes_from_means(
        now, now_means, codes, before, n_previous, bootstrap.DEFAULT_SEED
    )
    return {level: {c: found[c] for c in cs if c in found} for level, cs in levels.items()}


def _distributions(scores: pd.DataFrame, summary: dict) -> dict:
    return {
        level: {c: bootstrap.distribution(scores[c]) for c in summary[level].index}
        for level in ("domains", "subdimensions")
    }


def _matrix_part(matrix, dimension_codes):
    if dimension_codes is None:
        has = matrix is not None and not matrix.empty
        dimension_codes = sorted(matrix["dimension"].astype(str).unique()) if has else []
    table = scoring.matrix_summary(matrix, dimension_codes)
    medians = scoring.matrix_respondent_medians(matrix)
    dims = {}
    for code, row in _records(table).items():
        dims[code] = {
            "current": {str(lv): row.pop(f"current_{lv}") for lv in range(1, 6)},
            "target": {str(lv): row.pop(f"target_{lv}") for lv in range(1, 6)},
            **row,
        }
    part = {
        "dimensions": dims,
        "median_level": scoring.matrix_level(medians),
        "n": int(medians.notna().sum()),
    }
    return part, medians


def _context(previous, response_rate, participation_index, network_age_months, threshold):
    history = list(((previous or {}).get("context") or {}).get("response_rate_history") or [])
    if response_rate is not None:
        history.append(float(response_rate))
    return {
        "threshold": threshold,
        "response_rate": response_rate,
        "response_rate_history": history,
        "participation_index": participation_index,
        "network_age_months": network_age_months,
    }


def assessment_scores(
    *,
    answers: pd.DataFrame,
    items: pd.DataFrame,
    importance: pd.DataFrame | None = None,
    performance: pd.DataFrame | None = None,
    respondents: pd.DataFrame | None = None,
    matrix: pd.DataFrame | None = None,
    dimension_codes: list[str] | None = None,
    threshold: int = 5,
    response_rate: float | None = None,
    participation_index: float | None = None,
    network_age_months: float | None = None,
    population: int | None = None,
    months_since_previous: float | None = None,
    comparable: dict[str, str] | None = None,
    instrument_version: int | None = None,
    previous: SnapshotData | None = None,
    labels: dict | None = None,
    n_boot: int = bootstrap.N_BOOT,
) -> SnapshotData:
    """The scores of one round: the part of the snapshot computed from the frames, with
    the sections that come from elsewhere (comments, the round's own questions, who
    was invited) left empty for ``snapshot_build`` to fill.

    ``response_rate`` is in percent; ``previous`` is the previous round's snapshot
    data (or None). Respondents are everyone with a row in ``answers``,
    ``importance`` or ``matrix``. When fewer than ``threshold`` responded, nothing
    but the counts is released (``released`` is False).
    """
    threshold = anonymity.check_threshold(threshold)
    importance = _sorted(importance, ["respondent", "function"])
    ids = _respondent_ids(answers, importance, matrix)
    n = len(ids)
    context = _context(previous, response_rate, participation_index, network_age_months, threshold)
    context["history"] = history_of(previous, months_since_previous)
    context["instrument_version"] = instrument_version
    context["compared_across_versions"] = comparable is not None
    out = {
        "format": FORMAT,
        "n_respondents": n,
        "released": n >= threshold,
        "comments_released": anonymity.comments_released(n, threshold),
        "context": context,
        "domains": {},
        "subdimensions": {},
        "items": {},
        "reliability": {},
        "function_mix": {},
        "matrix": {},
        "breakdowns": {},
        "changes": None,
        "stage": None,
        "risk_flags": [],
        "distributions": {},
        "comments": {},
        "custom": [],
        "follow_up": [],
        "invited": 0,
        "response_by_group": [],
        "instrument": {},
    }
    if n < threshold:
        return _jsonable(out)
    grid = scoring.answer_matrix(answers, items)
    scores = scoring.scores_from_matrix(grid).reindex(ids)
    summary = scoring.summarise_matrix(grid, scores)
    matrix_part, medians = _matrix_part(matrix, dimension_codes)
    by_group = {
        by: breakdowns.breakdown(scores, respondents, by, threshold) for by in breakdowns.BREAKDOWNS
    }
    changes = _changes(scores, previous, n_boot, comparable)
    out |= {
        "domains": _records(summary["domains"]),
        "subdimensions": _records(summary["subdimensions"]),
        "items": _records(summary["items"]),
        "reliability": reliability.reliability_from_matrix(grid),
        "function_mix": _records(
            scoring.function_mix(
                scores, importance, items, _sorted(performance, ["respondent", "function"])
            )
        ),
        "matrix": matrix_part,
        "breakdowns": by_group,
        "changes": changes,
        "stage": stage_part(scores, medians, context, n, population),
        "distributions": _distributions(scores, summary),
        "instrument": psychometrics.instrument_report(
            grid, respondents, matrix, threshold, everyone=ids, dimension_codes=dimension_codes
        ),
    }
    out = _jsonable(out)
    out["risk_flags"] = risks.risk_flags({**out, "invited": population}, labels)
    return out
