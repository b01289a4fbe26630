"""Celery tasks: thin entry points that take ids and call services. Each is safe to run
twice; sending is claimed row by row, so no member gets two copies of one email.
Retries are Celery's own (`autoretry_for`), with backoff."""

import logging
from datetime import timedelta

from celery import shared_task
from django.core.mail import get_connection
from django.db.models import Q
from django.utils import timezone

from . import services
from .models import Assessment, Invitation
from .services.invitations import BATCH_SIZE, MAX_SEND_ATTEMPTS, STUCK_AFTER

log = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(services.SendFailed,),
    # Celery's exponential backoff with full jitter: the n-th retry waits a random time
    # up to 30 s x 2^n (capped at 10 minutes), so retries of many batches spread out.
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    # Each retry is one more try for the invitations still queued; their last try marks
    # them failed. Any left queued by a retry that was lost are the sweeper's.
    max_retries=MAX_SEND_ATTEMPTS - 1,
)
def send_invitations(invitation_ids: list[int]) -> dict[str, int]:
    """Send a batch; if some were queued again after a mail server error, raise so that
    Celery retries the batch later. Those already sent are skipped then."""
    counts = services.invitations_send(invitation_ids=invitation_ids)
    if counts["retrying"]:
        raise services.SendFailed(counts["retrying"])
    return counts


@shared_task
def sweep_invitations() -> dict[str, int]:
    """Periodic: queued invitations whose task was lost (the broker was down, or a retry
    never came back) are sent; sends interrupted mid-way are marked failed for the
    coordinator to see."""
    stuck = services.invitations_release_stuck()
    now = timezone.now()
    never_tried = Q(send_attempts=0, queued_at__lt=now - timedelta(minutes=2))
    # Longer than any backoff between retries: nobody is coming back for these.
    abandoned = Q(send_attempts__gt=0, sending_started_at__lt=now - STUCK_AFTER)
    waiting = list(
        Invitation.objects.filter(never_tried | abandoned, status=Invitation.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
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


@shared_task
def send_own_link(invitation_id: int) -> bool:
    """After a copied link's first use: the member's own link, once."""
    return services.own_link_send(invitation_id=invitation_id)


@shared_task
def send_address_changed(member_id: int, old_address: str) -> None:
    """Tell the old address that it no longer receives this network's survey."""
    services.address_change_notice(member_id=member_id, old_address=old_address)


@shared_task
def apply_retention() -> dict[str, int]:
    """Daily: warn coordinators 30 and 7 days before a round's raw answers are deleted,
    then delete them (docs/retention.md). Claims make a second run do nothing."""
    return services.retention_sweep()
