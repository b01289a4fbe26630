"""Whether agreed actions made a difference: members' answers counted in the worker,
released under the same disclosure rule as everything else, and shown on the next
dashboard beside the action."""

from datetime import timedelta

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import follow_up
from scorecards.demo import demo_round_answers
from scorecards.scoring.follow_up import follow_up_results
from scorecards.scoring.publication import publish
from surveys.models import Answer, Response
from tests.meetings.helpers import add_action, matrix_assessment, plan
from tests.scorecards.helpers import release
from tests.surveys.survey_helpers import open_assessment

QUESTIONS = [{"code": "F1", "text": "Write the purpose down"}]


def answers(values):
    return pd.DataFrame(
        {"respondent": range(len(values)), "item": "F1", "value": values}, dtype="object"
    ).astype({"value": "float64"})


def test_counts_are_shown_when_enough_members_answered():
    (result,) = follow_up_results(
        QUESTIONS, answers([1, 1, 1, 2, 2, None]), threshold=5, released=True
    )

    assert result == {
        "code": "F1",
        "text": "Write the purpose down",
        "n": 5,
        "shown": True,
        "made_a_difference": 3,
        "not_yet": 2,
        "dont_know": 1,
    }


def test_dont_know_does_not_count_towards_the_threshold():
    (result,) = follow_up_results(
        QUESTIONS, answers([1, 1, 2, 2, None, None]), threshold=5, released=True
    )

    assert result["shown"] is False
    assert "made_a_difference" not in result and "dont_know" not in result


def test_nothing_is_shown_before_the_round_is_released():
    (result,) = follow_up_results(QUESTIONS, answers([1] * 9), threshold=5, released=False)

    assert result["shown"] is False


def test_a_small_follow_up_cell_is_withheld_from_the_release_with_its_count():
    data = {
        "released": True,
        "follow_up": [{"code": "F1", "text": "x", "n": 2, "shown": True, "made_a_difference": 2}],
    }
    respondents = pd.DataFrame({"respondent": range(9)})

    out = publish(data, {}, respondents, number=1, earlier=[], known=set(), threshold=5)

    (question,) = out.data["follow_up"]
    assert question["shown"] is False
    assert "n" not in question and "made_a_difference" not in question


# ---- the next round, end to end --------------------------------------------------


@pytest.fixture
def next_round(network, instruments):
    today = timezone.localdate()
    last = matrix_assessment(
        network,
        instruments,
        opens_on=today - timedelta(days=200),
        closes_on=today - timedelta(days=170),
    )
    meeting = plan(last)
    add_action(meeting, what="Write the purpose down")
    add_action(meeting, what="Hold a members' day")
    assessment = open_assessment(network, instruments, members=30)
    follow_up.follow_up_questions_take(assessment=assessment)  # as the first invitation does
    demo_round_answers(assessment, (62, 58, 55), 3.0, 1.0, "monthly", seed=3)
    responses = list(Response.objects.filter(invitation__assessment=assessment))
    first, second = (q["code"] for q in assessment.follow_up_questions)
    said = [1] * 6 + [2] * 2 + [None] * 3
    Answer.objects.bulk_create(
        [Answer(response=r, item=first, value=v) for r, v in zip(responses, said, strict=False)]
        + [Answer(response=r, item=second, value=1) for r in responses[:2]]
    )
    release(assessment)
    return assessment


@pytest.mark.django_db
def test_next_dashboard_shows_beside_each_action_whether_it_made_a_difference(
    client, leader, next_round
):
    first, second = next_round.releases.get().data["follow_up"]
    assert (first["made_a_difference"], first["not_yet"], first["dont_know"]) == (6, 2, 3)
    assert second["shown"] is False and "made_a_difference" not in second

    client.force_login(leader)
    url = reverse("assessment_dashboard", args=[next_round.network_id, next_round.pk])
    body = client.get(url).content.decode()

    assert "made a difference 6, not yet 2, don't know 3" in body
    assert body.count("Did it make a difference? Too few answers to show") == 1

    pack = reverse("steering_pack", args=[next_round.network_id, next_round.pk])
    assert "made a difference 6, not yet 2, don't know 3" in client.get(pack).content.decode()


@pytest.mark.django_db
def test_the_export_has_each_follow_up_question_with_its_counts_or_too_few(next_round):
    from scorecards.exports import result_tables

    summary = result_tables(next_round.releases.get().data, {}, {})[0]
    said = [row for row in summary.rows if row[0] == "did the action make a difference"]

    assert [row[2] for row in said] == ["Write the purpose down", "Hold a members' day"]
    assert said[0][3] == 6 + 2
    assert said[0][-1] == "made a difference 6, not yet 2, don't know 3"
    assert said[1][3] is None and said[1][-1] != said[0][-1]
