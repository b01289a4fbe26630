"""Turning an assessment's answers into a Snapshot, and scheduling that."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction

from surveys.models import Assessment
from surveys.progress import assessment_group_progress

from . import selectors
from .models import Snapshot
from .scoring.snapshot import assessment_scores
from .scoring.stages import participation_index

log = logging.getLogger(__name__)


def snapshot_compute(*, assessment_id: int) -> Snapshot:
    """The snapshot for the assessment's current answers. Safe to run twice or after a
    crash: the result is keyed on the data it was computed from, so the same data
    gives the same single row (quality R1, R2)."""
    assessment = Assessment.objects.select_related("network", "health_scorecard", "matrix").get(
        pk=assessment_id
    )
    previous = selectors.previous_snapshot(assessment)
    source = selectors.source_state(assessment, previous)
    key = source.key(assessment)
    existing = Snapshot.objects.filter(assessment=assessment, data_key=key).first()
    if existing is not None:
        return existing
    started = time.perf_counter()
    data, comments = snapshot_data(assessment, source, previous)
    try:
        with transaction.atomic():
            snapshot = Snapshot.objects.create(
                assessment=assessment,
                data_key=key,
                source_count=source.count,
                source_updated_at=source.updated_at,
                seconds=round(time.perf_counter() - started, 3),
                n_respondents=data["n_respondents"],
                stage=(data.get("stage") or {}).get("stage") or "",
                confidence=(data.get("stage") or {}).get("confidence"),
                data=data,
                comments=comments,
            )
    except IntegrityError:  # another worker saved the same data first
        return Snapshot.objects.get(assessment=assessment, data_key=key)
    snapshots_prune(assessment=assessment)
    return snapshot


KEEP_SNAPSHOTS = 3


def snapshots_prune(*, assessment: Assessment) -> int:
    """Keep the newest few snapshots of a round: older ones are superseded by the same
    answers and more, and each can hold every comment of the round."""
    keep = assessment.snapshots.latest_first().values_list("pk", flat=True)[:KEEP_SNAPSHOTS]
    deleted, _ = assessment.snapshots.exclude(pk__in=list(keep)).delete()
    return deleted


def snapshot_data(assessment: Assessment, source, previous: Snapshot | None) -> tuple[dict, dict]:
    """The snapshot's data, and every released comment (kept apart)."""
    frames = selectors.assessment_data(assessment)
    threshold = assessment.anonymity_threshold
    frequency = _frequency_order(assessment)
    data = assessment_scores(
        answers=frames.answers,
        items=frames.items,
        importance=frames.importance,
        respondents=frames.respondents[["respondent", "group", "tenure", "network_role"]],
        matrix=frames.matrix,
        dimension_codes=frames.dimension_codes,
        threshold=threshold,
        response_rate=round(100 * source.count / source.invited, 1) if source.invited else None,
        participation_index=participation_index(frames.respondents["frequency"], order=frequency)
        if frequency
        else None,
        network_age_months=selectors.network_age_months(
            assessment.network.founded_on, assessment.closes_on
        ),
        previous=previous.data if previous else None,
        labels=frames.labels,
    )
    released = data["n_respondents"] >= threshold
    comments = _comments(assessment, frames.texts, released)
    data["comments"] = {
        code: {"question": c["question"], "total": len(c["answers"]), "answers": c["answers"][:10]}
        for code, c in comments.items()
    }
    data["custom"] = _custom(assessment, frames, released, threshold)
    data["invited"] = source.invited
    data["response_by_group"] = [
        {"group": g.name, "invited": g.invited, "completed": g.completed, "rate": g.rate}
        for g in assessment_group_progress(assessment)
    ]
    data["previous_assessment_id"] = previous.assessment_id if previous else None
    return data, comments


def _frequency_order(assessment: Assessment) -> list[str] | None:
    """Options of the 'how often' profile question, least often first (the instrument
    lists them most often first)."""
    if not assessment.health_scorecard:
        return None
    for question in assessment.health_scorecard.definition.get("profile", []):
        if question["code"] == "frequency":
            return [o["value"] for o in reversed(question["options"])]
    return None


def _comments(assessment: Assessment, texts, released: bool) -> dict:
    """Free text only once the round has enough respondents (quality T1), sorted so the
    order says nothing about who wrote what."""
    if not released or not assessment.health_scorecard:
        return {}
    questions = {c["code"]: c["text"] for c in assessment.health_scorecard.definition["comments"]}
    return {
        code: {
            "question": question,
            "answers": sorted(texts.loc[texts["question"] == code, "text"]),
        }
        for code, question in questions.items()
    }


def _custom(assessment: Assessment, frames, released: bool, threshold: int) -> list[dict]:
    """The round's own questions, reported apart from the standard scores."""
    out = []
    for question in assessment.custom_questions.all():
        entry = {"code": question.code, "kind": question.kind, "text": question.text}
        if question.kind == "agreement":
            values = frames.custom_answers.loc[
                frames.custom_answers["item"] == question.code, "value"
            ]
            answered = values.dropna()
            entry["n"] = int(len(answered))
            entry["shown"] = bool(len(answered) >= threshold)
            if entry["shown"]:
                entry["mean"] = round(float(answered.mean()), 3)
                entry["counts"] = {str(v): int((answered == v).sum()) for v in range(1, 6)}
                entry["dont_know"] = int(values.isna().sum())
        else:
            texts = frames.texts.loc[frames.texts["question"] == question.code, "text"]
            entry["shown"] = released
            entry["answers"] = sorted(texts) if released else []
        out.append(entry)
    return out


def aggregation_schedule(*, assessment_id: int) -> None:
    """Debounced: the first submission of a burst enqueues one run a few seconds later,
    which reads every answer committed by then; later ones in the window add nothing.
    If the cache or the broker is down, the sweeper catches up (quality R4)."""
    from surveys.queue import enqueue_on_commit

    from .tasks import aggregate_assessment

    delay = settings.AGGREGATION_DEBOUNCE_SECONDS
    try:
        if not cache.add(f"aggregation-pending:{assessment_id}", 1, timeout=delay):
            return
    except Exception:  # cache unreachable: enqueue anyway, running twice is harmless
        log.warning("Cache unreachable while scheduling aggregation of %s", assessment_id)
    enqueue_on_commit(aggregate_assessment, assessment_id, countdown=delay)
