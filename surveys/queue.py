"""Enqueueing that never loses work and never breaks a request.

Tasks are sent only after the transaction commits (so a worker never sees rows that
are not there yet). If the broker is down the send is logged and dropped: every task
here has a periodic sweeper that finds the rows it should have handled (queued
invitations, responses newer than their scores) and does the work once the broker is
back (quality R3, R4).
"""

import logging

from django.db import transaction

log = logging.getLogger(__name__)

# Fail fast when the broker is unreachable: the request must not hang on it.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def enqueue_on_commit(task, *args, countdown: int | None = None) -> None:
    def send() -> None:
        if task.app.conf.task_always_eager:  # in-process: let errors show, nothing to lose
            task.apply_async(args, countdown=countdown)
            return
        try:
            task.apply_async(args, countdown=countdown, retry=True, retry_policy=RETRY_POLICY)
        except Exception:  # the broker's errors vary by transport; all mean "not sent"
            log.warning("Could not enqueue %s; the sweeper will pick the work up.", task.name)

    transaction.on_commit(send)
