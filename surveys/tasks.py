"""Celery tasks: thin entry points that take ids and call services. Each is safe to run
twice; sending is claimed row by row, so no member gets two copies of one email."""

import logging
from datetime import timedelta

from celery import shared_task
from django.core.mail import get_connection
from django.utils import timezone

from . import services
from .models import Assessment, Invitation

log = logging.getLogger(__name__)

BATCH_SIZE = 100
BACKOFF_SECONDS = 30


def invitations_enqueue(invitation_ids: list[int]) -> None:
    """Send in batches after commit; each batch reuses one SMTP connection."""
    from .queue import enqueue_on_commit

    for start in range(0, len(invitation_ids), BATCH_SIZE):
        enqueue_on_commit(send_invitations, invitation_ids[start : start + BATCH_SIZE])


@shared_task
def send_invitations(invitation_ids: list[int]) -> dict[str, int]:
    counts = {"sent": 0, "skipped": 0, "failed": 0, "retrying": 0}
    with get_connection() as connection:
        for invitation_id in invitation_ids:
            try:
                counts[
                    services.invitation_send(invitation_id=invitation_id, connection=connection)
                ] += 1
            except services.SendFailed as failure:
                counts["retrying"] += 1
                # Inside a worker, outside any transaction: the failure is committed.
                send_invitation.apply_async(
                    (invitation_id,), countdown=BACKOFF_SECONDS * 2 ** (failure.attempts - 1)
                )
    return counts


@shared_task
def send_invitation(invitation_id: int) -> str:
    """One invitation again after a failure, with exponential backoff."""
    try:
        return services.invitation_send(invitation_id=invitation_id)
    except services.SendFailed as failure:
        send_invitation.apply_async(
            (invitation_id,), countdown=BACKOFF_SECONDS * 2 ** (failure.attempts - 1)
        )
        return "retrying"


@shared_task
def sweep_invitations() -> dict[str, int]:
    """Periodic: queued invitations whose task was lost (the broker was down) are sent;
    sends interrupted mid-way are marked failed for the coordinator to see."""
    stuck = services.invitations_release_stuck()
    waiting = list(
        Invitation.objects.filter(
            status=Invitation.QUEUED,
            queued_at__lt=timezone.now() - timedelta(minutes=2),
            send_attempts=0,
        ).values_list("pk", flat=True)[:5000]
    )
    for start in range(0, len(waiting), BATCH_SIZE):
        send_invitations.delay(waiting[start : start + BATCH_SIZE])
    return {"stuck": stuck, "requeued": len(waiting)}


@shared_task
def send_due_reminders() -> int:
    """Periodic (hourly): each open assessment's reminder slot due today, once per member."""
    today = timezone.localdate()
    sent = 0
    assessments = Assessment.objects.filter(
        closed_at__isnull=True, opens_on__lte=today, closes_on__gte=today
    ).exclude(reminder_days=[])
    with get_connection() as connection:
        for assessment in assessments:
            slot = services.reminder_slot_due(assessment, today)
            if slot is None:
                continue
            for invitation in services.reminders_due(assessment, slot):
                sent += services.reminder_send(
                    invitation=invitation, slot=slot, connection=connection
                )
    return sent
