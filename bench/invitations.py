"""Benchmark P4: 10,000 invitations sent to a local SMTP server in under 20 s, none twice.

A network of 10,000 members with one open assessment, made once and reused (its
invitations are put back to queued, never attempted, at each run). An SMTP server
(aiosmtpd) runs in this process on a free loopback port, and Django's SMTP backend
points at it. The invitations are sent with `invitations_send` in batches of 100, the
code the `send_invitations` task runs (the task only adds Celery's retry), one batch
after the other as one worker would. Then every batch is run again: the claim on each
invitation must stop every second copy.

Prints a table and one JSON line, and exits non-zero when a quality target is missed.
"""

import json
import logging
import statistics
import threading
import time
from collections import Counter
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone

from bench.data import open_round
from bench.server import free_port
from surveys.models import Assessment, Invitation
from surveys.services import invitations_send
from surveys.services.invitations import BATCH_SIZE

NETWORK = "Email Benchmark Network"
TARGET_S = 20.0


class Mailbox:
    """An aiosmtpd handler that only counts: every message and every recipient."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = 0
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.messages += 1
            self.recipients.extend(r.lower() for r in envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def snapshot(self) -> tuple[int, list[str]]:
        with self.lock:
            return self.messages, list(self.recipients)


class Command(BaseCommand):
    help = "Benchmark sending invitations (quality P4) on the configured database."

    def add_arguments(self, parser):
        parser.add_argument("--invitations", type=int, default=10_000)
        parser.add_argument("--batch", type=int, default=BATCH_SIZE)

    def handle(self, *args, invitations: int, batch: int, **options):
        assessment = open_round(NETWORK, invitations, seed=404)
        ids = list(assessment.invitations.order_by("pk").values_list("pk", flat=True))
        expected = {e.lower() for e in assessment.network.members.values_list("email", flat=True)}
        batches = [ids[i : i + batch] for i in range(0, len(ids), batch)]
        self._reset(assessment)
        mailbox = Mailbox()
        with _smtp_server(mailbox) as port, _email_to(port):
            first, first_s, batch_times = self._send(batches)
            received, recipients = mailbox.snapshot()
            again, again_s, _ = self._send(batches)
            received_after, _ = mailbox.snapshot()
        per_recipient = Counter(recipients)
        statuses = dict(
            assessment.invitations.order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        result = {
            "benchmark": "P4 invitations",
            "database": connection.vendor,
            "invitations": len(ids),
            "batches": len(batches),
            "batch_size": batch,
            "send_s": round(first_s, 2),
            "per_second": round(len(ids) / first_s, 1) if first_s else None,
            "batch_p50_s": round(statistics.median(batch_times), 3),
            "batch_max_s": round(max(batch_times), 3),
            "counts": first,
            "received": received,
            "distinct_recipients": len(per_recipient),
            "recipients_twice_or_more": sum(1 for c in per_recipient.values() if c > 1),
            "recipients_not_members": len(set(per_recipient) - expected),
            "members_not_reached": len(expected - set(per_recipient)),
            "statuses": statuses,
            "second_run_s": round(again_s, 2),
            "second_run_counts": again,
            "second_run_received": received_after - received,
        }
        result["missed"] = self._missed(result)
        self._report(result)
        if result["missed"]:
            raise CommandError("P4 targets missed: " + "; ".join(result["missed"]))

    def _reset(self, assessment: Assessment) -> None:
        assessment.invitations.update(
            status=Invitation.QUEUED,
            send_attempts=0,
            sending_started_at=None,
            sent_at=None,
            failure_reason="",
            queued_at=timezone.now(),
        )

    def _send(self, batches: list[list[int]]) -> tuple[dict, float, list[float]]:
        counts: Counter = Counter()
        times = []
        started = time.perf_counter()
        for ids in batches:
            began = time.perf_counter()
            counts.update(invitations_send(invitation_ids=ids))
            times.append(time.perf_counter() - began)
        return dict(counts), time.perf_counter() - started, times

    def _missed(self, r: dict) -> list[str]:
        missed = []
        n = r["invitations"]
        if r["send_s"] >= TARGET_S:
            missed.append(f"{n} invitations took {r['send_s']} s (target < {TARGET_S:g} s)")
        if r["received"] != n or r["counts"].get("sent", 0) != n:
            missed.append(f"server received {r['received']} messages, sent {r['counts']}")
        if r["distinct_recipients"] != n or r["recipients_twice_or_more"]:
            missed.append(
                f"{r['distinct_recipients']} distinct recipients, "
                f"{r['recipients_twice_or_more']} emailed more than once"
            )
        if r["recipients_not_members"] or r["members_not_reached"]:
            missed.append("the recipients are not exactly the members")
        if r["second_run_received"] or r["second_run_counts"].get("sent", 0):
            missed.append(f"running every batch again sent {r['second_run_received']} more")
        return missed

    def _report(self, r: dict) -> None:
        w = self.stdout.write
        w(
            f"P4 invitations: {r['invitations']} members, {r['batches']} batches of "
            f"{r['batch_size']} through invitations_send, SMTP on loopback, {r['database']}"
        )
        w(f"  {'send every invitation':<40} {r['send_s']:>8.2f} s  < {TARGET_S:g} s")
        w(f"  {'rate':<40} {r['per_second']:>8.1f} /s")
        w(f"  {'one batch, median (max)':<40} {r['batch_p50_s']:>8.3f} s  ({r['batch_max_s']} s)")
        w(f"  {'messages the server received':<40} {r['received']:>8}    = {r['invitations']}")
        w(f"  {'distinct recipients':<40} {r['distinct_recipients']:>8}    = {r['invitations']}")
        w(f"  {'recipients emailed twice or more':<40} {r['recipients_twice_or_more']:>8}    = 0")
        w(f"  {'every batch again: messages sent':<40} {r['second_run_received']:>8}    = 0")
        w(f"  {'every batch again: time':<40} {r['second_run_s']:>8.2f} s")
        w(f"  outcome of the first run: {r['counts']}; of the second: {r['second_run_counts']}")
        for miss in r["missed"]:
            w(f"  MISSED: {miss}")
        w(json.dumps(r))


@contextmanager
def _smtp_server(mailbox: Mailbox):
    from aiosmtpd.controller import Controller

    quiet = logging.getLogger("mail.log")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # aiosmtpd logs every message at INFO
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()
        quiet.setLevel(level)


@contextmanager
def _email_to(port: int):
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=20,
    ):
        yield
