"""Celery tasks for meetings: thin entry points that call `follow_up`. Safe to run
twice: each reminder claims its action's due date before sending."""

from celery import shared_task
from django.core.mail import get_connection
from django.utils import timezone

from . import follow_up


@shared_task
def send_action_reminders() -> int:
    """Periodic (hourly): owners of open actions due within the reminder window get one
    email per due date."""
    sent = 0
    with get_connection() as connection:
        for action in follow_up.actions_to_remind(timezone.localdate()):
            sent += follow_up.action_reminder_send(action=action, connection=connection)
    return sent
