"""Celery tasks for scoring and releasing: take ids, call services. Safe to run twice."""

from celery import shared_task

from surveys.models import User

from . import drawing, releases, selectors, services, summaries
from .models import Release


@shared_task
def aggregate_assessment(assessment_id: int) -> int | None:
    snapshot = services.snapshot_compute(assessment_id=assessment_id)
    return snapshot.pk if snapshot else None


@shared_task
def release_round(assessment_id: int, kind: str, made_by_id: int | None = None) -> int | None:
    made_by = User.objects.filter(pk=made_by_id).first() if made_by_id else None
    release = releases.release_make(assessment_id=assessment_id, kind=kind, made_by=made_by)
    return release.pk if release else None


@shared_task
def redraw_charts(assessment_id: int) -> bool:
    return drawing.release_charts_redraw(assessment_id=assessment_id)


@shared_task
def sweep_snapshots() -> list[int]:
    """Periodic: recompute any assessment whose answers are newer than its snapshot,
    release every closed round whose answers are not all released yet (closed by date,
    or its task at closing lost), and redraw charts drawn before something they show
    changed."""
    behind = selectors.assessments_behind()
    # A periodic task runs outside any transaction: the rows it found are committed.
    for assessment_id in behind:
        aggregate_assessment.delay(assessment_id)
    due = selectors.assessments_to_release()
    for assessment_id in due:
        release_round.delay(assessment_id, Release.FINAL)
    for assessment_id in selectors.charts_behind():
        if assessment_id not in due:  # a new release comes with new charts
            redraw_charts.delay(assessment_id)
    return behind


@shared_task(
    autoretry_for=(summaries.SendFailed,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=4,
)
def send_summary_emails(email_ids: list[int]) -> dict[str, int]:
    """Tell a batch of members about a summary; rows left unclaimed by a mail server
    error are tried again by Celery's retry, those sent are skipped then."""
    counts = summaries.summary_emails_send(email_ids=email_ids)
    if counts["retrying"]:
        raise summaries.SendFailed(counts["retrying"])
    return counts


@shared_task
def sweep_summary_emails() -> int:
    """Periodic: summary emails whose task was lost (the broker was down) or put back
    after a mail server error are sent, for two days after the coordinator sent them.
    One claimed but never marked sent (a worker killed mid-send) is left alone: it may
    have arrived, and nobody gets two."""
    waiting = summaries.summary_emails_waiting()
    for start in range(0, len(waiting), summaries.BATCH_SIZE):
        send_summary_emails.delay(waiting[start : start + summaries.BATCH_SIZE])
    return len(waiting)
