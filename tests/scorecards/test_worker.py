"""A real Celery worker on a real (private) Redis, against PostgreSQL (quality R1, R3)."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client

from netassess.celery import app
from scorecards import answers, selectors
from scorecards.models import Snapshot
from scorecards.scoring.snapshot import snapshot_build
from tests.surveys.survey_helpers import answer_everything, invite_all, open_assessment, start
from tests.workers import RedisServer, Worker, use_broker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_server(redis_server_binary, tmp_path):
    server = RedisServer(redis_server_binary, tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def real_queue(postgres, redis_server, settings):
    """Tasks go through Redis to a worker subprocess instead of running in-process."""
    use_broker(redis_server.url, eager=False)
    settings.AGGREGATION_DEBOUNCE_SECONDS = 1
    yield redis_server
    use_broker(settings.CELERY_BROKER_URL, eager=True)


@pytest.fixture
def workers(real_queue, tmp_path):
    started: list[Worker] = []

    def start_worker() -> Worker:
        worker = Worker(real_queue.url, tmp_path / "worker.log").start()
        started.append(worker)
        return worker

    yield start_worker
    for worker in started:
        worker.stop()


def submit_all(assessment, invitations):
    for invitation in invitations:
        client = Client()
        start(client, invitation)
        answer_everything(client, assessment)
        assert client.post("/survey/submit/").url == "/survey/thanks/"


def test_submissions_are_scored_by_a_real_worker(workers, network, instruments):
    worker = workers()
    assessment = open_assessment(network, instruments, members=5)

    submit_all(assessment, invite_all(assessment))

    scorecard = wait_for(
        lambda: Snapshot.objects.filter(assessment=assessment, n_respondents=5).first(),
        what="the worker's scorecard",
    )
    stage = scorecard.data["stage"]
    assert scorecard.stage in ("pre-emergent", "emerging", "established", "dormant"), (
        stage["summary"],
        scorecard.data["domains"],
        scorecard.data["invited"],
    )
    assert "aggregate_assessment" in worker.output()
    # Submissions slower than the debounce window may give an earlier snapshot too;
    # never two of the same data, and the latest is the complete one.
    keys = list(Snapshot.objects.filter(assessment=assessment).values_list("data_key", flat=True))
    assert len(keys) == len(set(keys)) <= 5
    assert Snapshot.objects.filter(assessment=assessment).latest_first().first() == scorecard


def test_worker_killed_mid_aggregation_leaves_a_complete_identical_result(
    workers, network, instruments
):
    assessment = open_assessment(network, instruments, members=6)
    app.conf.task_always_eager = True  # answers first, with no worker involved
    try:
        submit_all(assessment, invite_all(assessment))
    finally:
        app.conf.task_always_eager = False
    Snapshot.objects.all().delete()
    source = selectors.source_state(assessment, None)
    undisturbed = snapshot_build(
        answers.assessment_data(assessment),
        answers.round_facts(assessment, invited=source.invited, submitted_count=source.count),
    ).data
    key = source.key(assessment)

    # Hold the snapshot's key in an open transaction: the worker computes everything
    # and then waits at the moment of saving, provably mid-task, when it is killed.
    blocker_ready, release = threading.Event(), threading.Event()

    def hold_the_row():
        with transaction.atomic():
            Snapshot.objects.create(
                assessment=assessment, data_key=key, source_count=0, n_respondents=0, data={}
            )
            blocker_ready.set()
            release.wait(120)
            transaction.set_rollback(True)
        connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    blocker_ready.wait(30)
    worker = workers()
    from scorecards.tasks import aggregate_assessment, sweep_snapshots

    aggregate_assessment.delay(assessment.pk)
    wait_for(lambda: _waiting_on_lock(), timeout=60, what="the worker to block while saving")
    worker.kill()
    release.set()
    holder.join(30)
    assert not Snapshot.objects.filter(assessment=assessment).exists()

    # After the restart, beat's sweeper (every two minutes; run here at once) finds the
    # assessment behind its answers and a new worker computes it from scratch. Redis
    # would also hand the unacknowledged task out again after its visibility timeout.
    workers()
    sweep_snapshots.delay()
    saved = wait_for(
        lambda: Snapshot.objects.filter(assessment=assessment).first(),
        timeout=90,
        what="the recomputed scorecard",
    )
    assert Snapshot.objects.filter(assessment=assessment).count() == 1
    assert saved.data == undisturbed


def _waiting_on_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE 'INSERT INTO \"scorecards_snapshot\"%%'"
        )
        return cursor.fetchone()[0] > 0
