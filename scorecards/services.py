"""Turning an assessment's answers into a Snapshot with its charts, and scheduling that."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from surveys.models import Assessment

from . import selectors
from .models import Snapshot
from .scoring.shape import SnapshotData
from .scoring.snapshot import snapshot_build

log = logging.getLogger(__name__)


def snapshot_compute(*, assessment_id: int) -> Snapshot:
    """The snapshot for the assessment's current answers, charts drawn. Safe to run
    twice or after a crash: the result is keyed on the data it was computed from, so
    the same data gives the same single row (quality R1, R2)."""
    assessment = _assessment(assessment_id)
    previous = selectors.previous_snapshot(assessment)
    source = selectors.source_state(assessment, previous)
    key = source.key(assessment)
    existing = Snapshot.objects.filter(assessment=assessment, data_key=key).first()
    if existing is not None:
        return existing
    started = time.perf_counter()
    built = snapshot_build(
        selectors.assessment_data(assessment),
        selectors.round_facts(assessment, source),
        previous.data if previous else None,
    )
    drawn_at = timezone.now()
    sources = selectors.chart_sources(assessment)
    charts = _charts(sources, built.data)
    data = built.data
    try:
        with transaction.atomic():
            snapshot = Snapshot.objects.create(
                assessment=assessment,
                data_key=key,
                source_count=source.count,
                source_updated_at=source.updated_at,
                seconds=round(time.perf_counter() - started, 3),
                n_respondents=data["n_respondents"],
                stage=(data["stage"] or {}).get("stage") or "",
                confidence=(data["stage"] or {}).get("confidence"),
                data=data,
                comments=built.comments,
                charts=charts,
                charts_key=sources.key(key),
                charts_drawn_at=drawn_at,
            )
    except IntegrityError:  # another worker saved the same data first
        return Snapshot.objects.get(assessment=assessment, data_key=key)
    snapshots_prune(assessment=assessment)
    _later_rounds_redraw(assessment)
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


# ---- charts ------------------------------------------------------------------------


def _charts(sources: selectors.ChartSources, data: SnapshotData) -> list:
    """Every chart of the round, drawn from its snapshot data and sources."""
    # Imported here: only workers draw charts, so web processes never load Plotly.
    from . import charts

    drawn = charts.all_charts(
        data,
        sources.labels,
        sources.level_labels,
        history=sources.history(data),
        agreed=sources.agreed or None,
    )
    return [chart.to_json() for chart in drawn]


REDRAW_ATTEMPTS = 3


def snapshot_charts_redraw(*, assessment_id: int, force: bool = False) -> bool:
    """Draws the charts of the round's latest snapshot again when what they show has
    changed since they were drawn (a meeting of the round closed, an earlier round was
    scored again); ``force`` draws them whatever the key says, after the chart code
    itself changed. Returns whether charts were drawn.

    Safe to run twice or at once with another run: the charts are keyed on their
    inputs, and saved only if nobody saved others since they were read, else the
    inputs are read again."""
    assessment = _assessment(assessment_id)
    for _ in range(REDRAW_ATTEMPTS):
        snapshot = (
            assessment.snapshots.latest_first().only("pk", "data", "data_key", "charts_key").first()
        )
        if snapshot is None:
            return False
        drawn_at = timezone.now()
        sources = selectors.chart_sources(assessment)
        fields = {"charts_key": sources.key(snapshot.data_key), "charts_drawn_at": drawn_at}
        if force or fields["charts_key"] != snapshot.charts_key:
            fields["charts"] = _charts(sources, snapshot.data)
        saved = Snapshot.objects.filter(pk=snapshot.pk, charts_key=snapshot.charts_key).update(
            **fields
        )
        if saved:
            return "charts" in fields
    log.warning("Charts of assessment %s kept changing while being drawn", assessment_id)
    return False


def charts_redraw_schedule(*, assessment_id: int) -> None:
    """After commit; if the broker is down, the sweeper finds the charts behind."""
    from surveys.queue import enqueue_on_commit

    from .tasks import redraw_charts

    enqueue_on_commit(redraw_charts, assessment_id)


def _later_rounds_redraw(assessment: Assessment) -> None:
    """Later rounds' trend charts show this round: draw them again."""
    for assessment_id in selectors.later_rounds_scored(assessment):
        charts_redraw_schedule(assessment_id=assessment_id)


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
