"""Turning an assessment's answers into a Snapshot (internal), and scheduling that.
Releases, what readers see, are made in `releases.py`."""

import functools
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import translation

from surveys.models import Assessment

from . import answers, selectors
from .models import Snapshot
from .scoring.snapshot import snapshot_build

# A release's sentences are written in English whatever language the request that ran
# the task was in (tasks run in-process under `make run`); pages say them again in the
# reader's language (summary_words.in_language).
WRITTEN_IN = "en"


def written_in_english(function):
    """Runs ``function`` with English active: a fresh override per call, as one shared
    ``translation.override`` used as a decorator keeps the language it replaced on
    itself, which two threads (the development server's) would mix up."""

    @functools.wraps(function)
    def in_english(*args, **kwargs):
        with translation.override(WRITTEN_IN):
            return function(*args, **kwargs)

    return in_english


log = logging.getLogger(__name__)


@written_in_english
def snapshot_compute(*, assessment_id: int) -> Snapshot | None:
    """The snapshot for the assessment's current answers. Safe to run twice or after a
    crash: the result is keyed on the data it was computed from, so the same data gives
    the same single row (quality R1, R2). None once the round's raw answers were deleted
    under the retention period: there is nothing to compute from, and the releases
    stand."""
    assessment = _assessment(assessment_id)
    if assessment.raw_deleted_at is not None:
        return None
    previous = selectors.previous_snapshot(assessment)
    source = selectors.source_state(assessment, previous)
    key = source.key(assessment)
    existing = Snapshot.objects.filter(assessment=assessment, data_key=key).first()
    if existing is not None:
        return existing
    started = time.perf_counter()
    built = snapshot_build(
        answers.assessment_data(assessment),
        answers.round_facts(
            assessment,
            invited=source.invited,
            submitted_count=source.count,
            previous=previous.assessment if previous else None,
        ),
        previous.data if previous else None,
    )
    data = built.data
    try:
        with transaction.atomic():
            # Under the round's lock, as deletion takes it: a deletion that committed
            # while this ran leaves nothing to save.
            if not Assessment.objects.select_for_update().filter(
                pk=assessment_id, raw_deleted_at__isnull=True
            ):
                return None
            snapshot = Snapshot.objects.create(
                assessment=assessment,
                data_key=key,
                source_count=source.count,
                source_updated_at=source.updated_at,
                seconds=round(time.perf_counter() - started, 3),
                n_respondents=data["n_respondents"],
                stage=(data["stage"] or {}).get("stage") or "",
                certainty=(data["stage"] or {}).get("certainty", ""),
                data=data,
                comments=built.comments,
            )
    except IntegrityError:  # another worker saved the same data first
        return Snapshot.objects.get(assessment=assessment, data_key=key)
    snapshots_prune(assessment=assessment)
    return snapshot


def _assessment(assessment_id: int) -> Assessment:
    return Assessment.objects.select_related("network", "health_scorecard", "matrix").get(
        pk=assessment_id
    )


KEEP_SNAPSHOTS = 3


def snapshots_prune(*, assessment: Assessment) -> int:
    """Keep the newest few snapshots of a round: older ones are superseded by the same
    answers and more, and each can hold every comment of the round."""
    keep = assessment.snapshots.latest_first().values_list("pk", flat=True)[:KEEP_SNAPSHOTS]
    deleted, _ = assessment.snapshots.exclude(pk__in=list(keep)).delete()
    return deleted


# ---- scheduling --------------------------------------------------------------------


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
