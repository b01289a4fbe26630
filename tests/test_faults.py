"""Faults with real parts (quality R4, R5, R6): a private Redis stopped while members
submit, 200 concurrent replayed submits on PostgreSQL, and a worker killed with SIGKILL
halfway through sending 300 invitations to a real SMTP server on loopback.

Every server here is private (a redis-server and an SMTP server on free ports, Celery
workers in subprocesses): the machine's shared PostgreSQL and Redis are never touched
beyond the test database."""

import asyncio
import logging
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import F
from django.test import Client
from django.utils import timezone

from scorecards.models import Snapshot
from surveys import services, tasks
from surveys.models import Invitation, Response
from surveys.signals import response_submitted
from tests.surveys.survey_helpers import (
    answer_everything,
    full_answers,
    invite_all,
    link_path,
    open_assessment,
    pages_of,
    start,
)
from tests.workers import RedisServer, Worker, free_port, use_broker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class PrivateRedis(RedisServer):
    """A private redis-server that can be brought back on the port it had, as a
    restarted Redis would be: clients keep their broker URL."""

    def __init__(self, binary: str, tmp: Path, port: int | None = None):
        super().__init__(binary, tmp)
        if port is not None:
            self.port = port
            self.url = f"redis://127.0.0.1:{port}/0"

    def restarted(self) -> "PrivateRedis":
        return PrivateRedis(self.binary, self.tmp, port=self.port).start()


@pytest.fixture
def private_redis(postgres, redis_server_binary, tmp_path, settings):
    """A private Redis the app's tasks go through (not run in-process), and every
    server and worker a test starts, stopped at the end whatever happened."""
    started: list = []
    server = PrivateRedis(redis_server_binary, tmp_path).start()
    started.append(server)
    use_broker(server.url, eager=False)
    yield server, started
    for part in reversed(started):
        part.stop()
    use_broker(settings.CELERY_BROKER_URL, eager=True)


def start_worker(started: list, url: str, log: Path, **env: str) -> Worker:
    worker = Worker(url, log, **env)
    started.append(worker)
    return worker.start()


# ---- R4: Redis down while members submit --------------------------------------------


def test_members_submit_while_redis_is_down_and_scores_catch_up(
    private_redis, network, instruments, settings, tmp_path, caplog
):
    redis, started = private_redis
    settings.AGGREGATION_DEBOUNCE_SECONDS = 1
    assessment = open_assessment(network, instruments, members=5)
    invitations = invite_all(assessment)
    redis.stop()
    caplog.set_level(logging.WARNING, logger="surveys.queue")

    for invitation in invitations:
        member = Client()
        start(member, invitation)
        answer_everything(member, assessment)
        assert member.post("/survey/submit/").url == "/survey/thanks/"

    submitted = Response.objects.filter(assessment=assessment, submitted_at__isnull=False)
    assert submitted.count() == 5
    assert "Could not enqueue scorecards.tasks.aggregate_assessment" in caplog.text
    assert not Snapshot.objects.filter(assessment=assessment).exists()

    # Redis comes back on its old address, empty; a worker starts; beat's sweeper (every
    # two minutes in production, run here at once) finds the round behind its answers.
    back = redis.restarted()
    started.append(back)
    start_worker(started, back.url, tmp_path / "worker.log")
    from scorecards.tasks import sweep_snapshots

    sweep_snapshots.delay()

    scorecard = wait_for(
        lambda: Snapshot.objects.filter(assessment=assessment, n_respondents=5).first(),
        timeout=45,
        what="the scorecard of the five answers given while Redis was down",
    )
    assert scorecard.source_count == 5


# ---- R5: 200 replayed submits at once -----------------------------------------------


def answered_session(invitation, assessment) -> str:
    """A member who has opened their link and answered everything: their session id."""
    browser = Client()
    browser.get(link_path(invitation))
    response = services.response_start(invitation=invitation)
    for page in pages_of(assessment):
        values, errors = services.parse_page(page, full_answers(page))
        assert not errors
        services.answers_save(response=response, page=page, values=values)
    return browser.cookies[django_settings.SESSION_COOKIE_NAME].value


def test_forty_members_replaying_submit_five_times_at_once_store_one_response_each(
    postgres, network, instruments
):
    assessment = open_assessment(network, instruments, members=40)
    sessions = [answered_session(i, assessment) for i in invite_all(assessment)]
    received: list[int] = []
    lock = threading.Lock()

    def receiver(sender, *, response_id: int, **kwargs) -> None:
        with lock:
            received.append(response_id)

    def submit(session_id: str) -> tuple[int, str]:
        try:
            browser = Client()
            browser.cookies[django_settings.SESSION_COOKIE_NAME] = session_id
            response = browser.post("/survey/submit/")
            return response.status_code, response.get("Location", "")
        finally:
            connection.close()

    response_submitted.connect(receiver, weak=False)
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(submit, [s for s in sessions for _ in range(5)]))
    finally:
        response_submitted.disconnect(receiver)

    assert len(results) == 200
    assert Counter(results) == {(302, "/survey/thanks/"): 200}
    responses = Response.objects.filter(assessment=assessment)
    assert responses.count() == 40
    assert responses.filter(submitted_at__isnull=False).count() == 40
    assert Invitation.objects.filter(assessment=assessment, status="completed").count() == 40
    assert sorted(received) == sorted(responses.values_list("pk", flat=True))


# ---- R6: a worker killed halfway through sending ------------------------------------


class HoldingMailbox:
    """An SMTP server's handler that accepts every message but one: the `hold_at`-th is
    held before it is accepted, so a test can kill the sender while that message is on
    the wire. Once released it is refused, as a server refuses a message whose sender
    vanished before the transaction ended: it was never delivered."""

    def __init__(self, hold_at: int):
        self.recipients: list[str] = []
        self.hold_at = hold_at
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if len(self.recipients) + 1 == self.hold_at and not self.release.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.4.2 Connection dropped before the message was accepted"
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


def batch_results(log: Path) -> list[tuple[int, int]]:
    """(sent, skipped) of every send_invitations task the workers finished."""
    found = re.findall(
        r"send_invitations\[[\w-]+\] succeeded in [\d.]+s: \{'sent': (\d+), 'skipped': (\d+)",
        log.read_text() if log.exists() else "",
    )
    return [(int(sent), int(skipped)) for sent, skipped in found]


def new_worker_idle(log: Path) -> bool:
    """The latest worker has finished every task it has received."""
    since_ready = log.read_text().rsplit("ready.", 1)[-1]
    return since_ready.count("] received") == since_ready.count("] succeeded in")


@pytest.fixture
def smtp_server():
    servers: list[Controller] = []

    def start_server(mailbox: HoldingMailbox) -> Controller:
        controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        servers.append(controller)
        return controller

    yield start_server
    for controller in servers:
        controller.stop()


def test_worker_killed_while_sending_300_invitations_never_sends_a_member_two_copies(
    private_redis, smtp_server, network, instruments, tmp_path
):
    redis, started = private_redis
    mailbox = HoldingMailbox(hold_at=150)
    smtp = smtp_server(mailbox)
    email_url = f"smtp://127.0.0.1:{smtp.port}"
    assessment = open_assessment(network, instruments, members=300)
    log = tmp_path / "worker.log"
    worker_env = {"EMAIL_URL": email_url, "CELERY_VISIBILITY_TIMEOUT": "1"}
    worker = start_worker(started, redis.url, log, **worker_env)

    services.assessment_invite(assessment=assessment, members=network.members.all())

    assert mailbox.holding.wait(60), "the worker never reached the 150th message"
    worker.kill()
    mailbox.release.set()
    received_before = len(mailbox.recipients)
    assert 0 < received_before < 300
    invitations = Invitation.objects.filter(assessment=assessment)
    interrupted = list(invitations.filter(status="sending").values_list("pk", flat=True))
    assert len(interrupted) == 1

    # Beat's sweeper runs every few minutes in production; here time is moved on instead.
    # The interrupted send is made 20 minutes old (past the 15 at which it counts as
    # stuck) and the invitations still waiting 10 minutes old, so that, if the sweeper
    # runs before the tasks the dead worker left in Redis, it queues them a second time.
    invitations.filter(pk__in=interrupted).update(
        sending_started_at=F("sending_started_at") - timedelta(minutes=20)
    )
    invitations.filter(status="queued").update(queued_at=timezone.now() - timedelta(minutes=10))
    time.sleep(1.5)  # past the workers' visibility timeout: Redis gives the batch back
    tasks.sweep_invitations.delay()
    start_worker(started, redis.url, log, **worker_env)

    # The dead worker's batch was never acknowledged, so Redis hands it to the new worker,
    # which runs it again next to the rest: every send already done must be skipped.
    wait_for(
        lambda: (
            not invitations.filter(status__in=["queued", "sending"]).exists()
            and "'stuck': 1" in log.read_text()
            and any(skipped for _, skipped in batch_results(log))
            and new_worker_idle(log)
        ),
        timeout=45,
        what="every invitation sent or failed, and the dead worker's batch run again",
    )
    copies = Counter(mailbox.recipients)
    assert not [address for address, n in copies.items() if n > 1]
    sent = invitations.filter(status="sent")
    failed = invitations.filter(status="failed")
    assert sent.count() + failed.count() == 300
    assert list(failed.values_list("pk", flat=True)) == interrupted
    assert "Interrupted while sending" in failed.get().failure_reason
    assert sent.count() == len(copies) == len(mailbox.recipients) == 299
    assert set(sent.values_list("member__email", flat=True)) == set(copies)
