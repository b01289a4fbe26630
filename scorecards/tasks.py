"""Celery tasks for scoring: take ids, call services. Safe to run twice."""

from celery import shared_task

from . import selectors, services


@shared_task
def aggregate_assessment(assessment_id: int) -> int:
    return services.snapshot_compute(assessment_id=assessment_id).pk


@shared_task
def redraw_charts(assessment_id: int) -> bool:
    return services.snapshot_charts_redraw(assessment_id=assessment_id)


@shared_task
def sweep_snapshots() -> list[int]:
    """Periodic: recompute any assessment whose answers are newer than its snapshot, and
    redraw charts drawn before something they show changed."""
    behind = selectors.assessments_behind()
    # A periodic task runs outside any transaction: the rows it found are committed.
    for assessment_id in behind:
        aggregate_assessment.delay(assessment_id)
    for assessment_id in selectors.charts_behind():
        if assessment_id not in behind:  # a new snapshot comes with new charts
            redraw_charts.delay(assessment_id)
    return behind
