"""Celery tasks for scoring: take ids, call services. Safe to run twice."""

from celery import shared_task

from . import selectors, services


@shared_task
def aggregate_assessment(assessment_id: int) -> int:
    return services.snapshot_compute(assessment_id=assessment_id).pk


@shared_task
def sweep_snapshots() -> list[int]:
    """Periodic: recompute any assessment whose answers are newer than its snapshot."""
    behind = selectors.assessments_behind()
    for assessment_id in behind:
        # A periodic task runs outside any transaction: the rows it found are committed.
        aggregate_assessment.delay(assessment_id)
    return behind
