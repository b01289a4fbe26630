"""Workers turn answers into one Snapshot per data set (quality R2, R4, T1)."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client

from scorecards import answers, selectors, services, tasks
from scorecards.models import Snapshot
from surveys import services as survey_services
from surveys.models import Response
from tests.surveys.survey_helpers import answer_everything, invite_all, open_assessment, start

pytestmark = pytest.mark.django_db


def respond(assessment, invitations, *, value="4"):
    """Members answer everything and submit, as their browsers would."""
    for invitation in invitations:
        client = Client()
        start(client, invitation)
        answer_everything(client, assessment, value=value)
        client.post("/survey/submit/")


@pytest.fixture
def assessment(network, instruments):
    return open_assessment(network, instruments, members=6, anonymity_threshold=5)


def test_running_aggregation_twice_on_the_same_data_gives_one_snapshot(assessment):
    respond(assessment, invite_all(assessment)[:5])

    first = services.snapshot_compute(assessment_id=assessment.pk)
    second = services.snapshot_compute(assessment_id=assessment.pk)

    assert first.pk == second.pk
    assert Snapshot.objects.filter(assessment=assessment).count() == 1
    assert first.n_respondents == 5


def test_a_submission_schedules_scoring_after_commit(
    assessment, django_capture_on_commit_callbacks
):
    invitations = invite_all(assessment)
    with django_capture_on_commit_callbacks(execute=True):
        respond(assessment, invitations[:5])

    latest = selectors.latest_snapshot(assessment)
    assert latest is not None and latest.n_respondents == 5


def test_a_burst_of_submissions_is_scored_once(assessment, django_capture_on_commit_callbacks):
    invitations = invite_all(assessment)
    with (
        mock.patch("surveys.queue.enqueue_on_commit") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        respond(assessment, invitations[:5])

    assert enqueue.call_count == 1
    assert enqueue.call_args.kwargs["countdown"] == 10


def test_scores_match_the_answers_given(assessment):
    respond(assessment, invite_all(assessment)[:5], value="4")

    data = services.snapshot_compute(assessment_id=assessment.pk).data

    # Everyone agreed (4) with every statement; reverse-coded ones count as 2, so each
    # domain's mean lies between 2 and 4 and is the same for every respondent.
    for domain in ("purpose", "function", "form"):
        assert data["domains"][domain]["n"] == 5
        assert data["domains"][domain]["sd"] == 0
    assert data["matrix"]["dimensions"]["common_purpose"]["median_current"] == 3
    assert data["matrix"]["dimensions"]["common_purpose"]["median_target"] == 4
    assert data["context"]["response_rate"] == round(100 * 5 / 6, 1)


def test_answers_still_in_progress_do_not_count(assessment):
    invitations = invite_all(assessment)
    respond(assessment, invitations[:5])
    client = Client()
    start(client, invitations[5])
    answer_everything(client, assessment, value="1")  # answered but never submitted

    scorecard = services.snapshot_compute(assessment_id=assessment.pk)

    assert scorecard.n_respondents == 5
    assert Response.objects.filter(submitted_at__isnull=True).count() == 1


def test_below_the_threshold_nothing_but_counts_is_released(assessment):
    respond(assessment, invite_all(assessment)[:4])

    data = services.snapshot_compute(assessment_id=assessment.pk).data

    assert data["n_respondents"] == 4
    assert data["released"] is False
    assert data["comments"] == {}
    assert data["stage"] is None


def test_comments_are_released_sorted_once_the_threshold_is_met(assessment):
    respond(assessment, invite_all(assessment)[:5])

    comments = services.snapshot_compute(assessment_id=assessment.pk).data["comments"]

    answers = comments["C_works"]["answers"]
    assert len(answers) == 5 and answers == sorted(answers)


def test_custom_questions_are_reported_apart_from_the_scores(network, instruments):
    assessment = open_assessment(network, instruments, members=5)
    survey_services.custom_question_add(
        assessment=assessment, kind="agreement", text="Meetings start on time."
    )
    survey_services.custom_question_add(assessment=assessment, kind="text", text="One wish?")
    respond(assessment, invite_all(assessment))

    data = services.snapshot_compute(assessment_id=assessment.pk).data

    agreement, text = data["custom"]
    assert (agreement["code"], agreement["n"], agreement["mean"]) == ("X1", 5, 4.0)
    assert text["answers"] == ["Comment for X2"] * 5
    assert "X1" not in data["items"]


def test_a_newer_snapshot_is_never_replaced_by_an_older_one(assessment):
    invitations = invite_all(assessment)
    respond(assessment, invitations[:5])
    older = services.snapshot_compute(assessment_id=assessment.pk)
    respond(assessment, invitations[5:])
    newer = services.snapshot_compute(assessment_id=assessment.pk)

    # A slow worker finishing the older data set now saves nothing new...
    assert services.snapshot_compute(assessment_id=assessment.pk).pk == newer.pk
    # ...and the newer data stays the picture, whatever was saved last.
    Snapshot.objects.filter(pk=older.pk).update(computed_at=newer.computed_at)
    assert selectors.latest_snapshot(assessment).pk == newer.pk


def test_sweeper_scores_what_the_queue_missed(assessment):
    with mock.patch("scorecards.services.aggregation_schedule"):
        respond(assessment, invite_all(assessment)[:5])
    assert selectors.assessments_behind() == [assessment.pk]

    tasks.sweep_snapshots()

    assert selectors.assessments_behind() == []
    assert selectors.latest_snapshot(assessment).n_respondents == 5


def test_members_submit_while_the_broker_is_down_and_scores_catch_up(
    assessment, settings, django_capture_on_commit_callbacks
):
    from netassess.celery import app

    invitations = invite_all(assessment)
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:9/0"  # nothing listens there
    try:
        with django_capture_on_commit_callbacks(execute=True):
            respond(assessment, invitations[:5])
    finally:
        app.conf.task_always_eager = True
        app.conf.broker_url = settings.CELERY_BROKER_URL

    assert Response.objects.filter(submitted_at__isnull=False).count() == 5
    assert selectors.latest_snapshot(assessment) is None
    tasks.sweep_snapshots()
    assert selectors.latest_snapshot(assessment).n_respondents == 5


def test_closing_an_assessment_scores_it(assessment, django_capture_on_commit_callbacks):
    with mock.patch("scorecards.services.aggregation_schedule"):
        respond(assessment, invite_all(assessment)[:5])

    with django_capture_on_commit_callbacks(execute=True):
        survey_services.assessment_close(assessment=assessment)

    assert selectors.latest_snapshot(assessment).n_respondents == 5


def test_loading_answers_costs_the_same_queries_for_few_or_many(
    assessment, django_assert_max_num_queries
):
    invitations = invite_all(assessment)
    respond(assessment, invitations[:2])
    with django_assert_max_num_queries(4):
        answers.assessment_data(assessment)
    respond(assessment, invitations[2:])
    with django_assert_max_num_queries(4):
        data = answers.assessment_data(assessment)
    assert data.answers["respondent"].nunique() == 6
    assert data.answers["value"].isna().sum() == 0


def test_operator_command_scores_one_or_all(assessment, capsys):
    respond(assessment, invite_all(assessment)[:5])

    call_command("aggregate", str(assessment.pk))
    call_command("aggregate", "--all")

    out = capsys.readouterr().out
    assert f"assessment {assessment.pk}: 5 respondents" in out
    assert Snapshot.objects.count() == 1


def test_demo_networks_land_in_the_four_stages(db):
    call_command("seed_demo", members=40)

    latest = {}
    for scorecard in Snapshot.objects.select_related("assessment__network").order_by(
        "assessment__closes_on"
    ):
        latest[scorecard.assessment.network.name] = scorecard.stage
    assert latest == {
        "North Coast Stroke Network": "established",
        "Paediatric Diabetes Improvement Collaborative": "emerging",
        "Frailty at Home Partnership": "pre-emergent",
        "Valley Maternity Voices Network": "dormant",
    }
    call_command("seed_demo", members=40)  # again: nothing new
    assert Snapshot.objects.count() == 10


def test_old_snapshots_are_pruned_to_the_newest_three(network, instruments):
    assessment = open_assessment(network, instruments, members=9)
    invitations = invite_all(assessment)
    for invitation in invitations[:5]:
        respond(assessment, [invitation])
    for invitation in invitations[5:]:
        respond(assessment, [invitation])
        services.snapshot_compute(assessment_id=assessment.pk)

    counts = list(assessment.snapshots.latest_first().values_list("source_count", flat=True))
    assert counts == [9, 8, 7]
