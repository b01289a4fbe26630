"""The next round asks members whether each action the network agreed made a
difference: the questions are stored on the round when its first invitations are made
(surveys imports nothing of meetings), answered on a short optional page, and stored
like other answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import follow_up
from meetings import services as meeting_services
from meetings.models import Action
from surveys.models import Answer
from tests.meetings.helpers import add_action, matrix_assessment, plan
from tests.surveys.survey_helpers import invite_all, open_assessment, pages_of, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_round(network, instruments):
    today = timezone.localdate()
    return matrix_assessment(
        network,
        instruments,
        opens_on=today - timedelta(days=200),
        closes_on=today - timedelta(days=170),
    )


@pytest.fixture
def agreed(last_round):
    meeting = plan(last_round)
    actions = {
        "open": add_action(meeting, what="Write the purpose down"),
        "done": add_action(meeting, what="Hold a members' day"),
        "dropped": add_action(meeting, what="Start a newsletter"),
    }
    meeting_services.action_set_status(action=actions["done"], status=Action.DONE)
    return actions


@pytest.fixture
def next_round(network, instruments, agreed):
    agreed["dropped"].status = Action.DROPPED
    agreed["dropped"].save()
    return open_assessment(network, instruments, title="Autumn round")


def asked(assessment):
    assessment.refresh_from_db()
    return [q["text"] for q in assessment.follow_up_questions]


def test_next_round_asks_about_each_action_agreed_but_not_dropped(next_round, agreed):
    invite_all(next_round)

    assert asked(next_round) == ["Write the purpose down", "Hold a members' day"]
    codes = [q["code"] for q in next_round.follow_up_questions]
    assert codes == [f"ACT{agreed['open'].pk}", f"ACT{agreed['done'].pk}"]


def test_questions_are_not_taken_before_the_round_opens(next_round):
    assert asked(next_round) == []


def test_questions_are_a_snapshot_taken_once_when_the_round_opens(
    network, next_round, agreed, last_round
):
    invite_all(next_round)
    agreed["open"].what = "Reworded afterwards"
    agreed["open"].save()
    add_action(plan(last_round, title="A second meeting"), what="Added after opening")
    from tests.factories import MemberFactory

    MemberFactory(network=network)
    invite_all(next_round)  # a member added while the round is open

    assert asked(next_round) == ["Write the purpose down", "Hold a members' day"]


def test_an_action_is_asked_about_in_one_round_only(network, instruments, next_round):
    invite_all(next_round)
    today = timezone.localdate()
    later = open_assessment(
        network, instruments, title="Next year", opens_on=today, closes_on=today + timedelta(days=9)
    )
    invite_all(later)

    assert asked(later) == []


def test_a_round_with_no_earlier_actions_has_no_follow_up_page(network, instruments):
    assessment = open_assessment(network, instruments)
    invite_all(assessment)

    assert "since-last-time" not in [page.key for page in pages_of(assessment)]


def test_member_says_which_actions_made_a_difference_on_an_optional_page(
    client, next_round, agreed
):
    invitation = invite_all(next_round)[0]
    next_round.refresh_from_db()
    start(client, invitation)
    page = pages_of(next_round)[-1]

    shown = client.get(f"/survey/page/{page.key}/").content.decode()
    assert "Write the purpose down" in shown and "Made a difference" in shown
    assert "Not yet" in shown and "Don&#x27;t know" in shown

    open_code, done_code = (q.code for q in page.questions)
    response = client.post(
        f"/survey/page/{page.key}/", {open_code: "1", done_code: "dk", "nav": "next"}
    )

    assert response.status_code == 302
    stored = dict(Answer.objects.filter(item__startswith="ACT").values_list("item", "value"))
    assert stored == {open_code: 1, done_code: None}


def test_member_may_skip_the_follow_up_page(client, next_round):
    invitation = invite_all(next_round)[0]
    next_round.refresh_from_db()
    start(client, invitation)
    page = pages_of(next_round)[-1]

    response = client.post(f"/survey/page/{page.key}/", {"nav": "next"})

    assert response.status_code == 302
    assert not Answer.objects.filter(item__startswith="ACT").exists()


def test_follow_up_questions_are_capped(network, last_round, instruments):
    meeting = plan(last_round)
    for n in range(follow_up.MAX_FOLLOW_UP_QUESTIONS + 3):
        add_action(meeting, what=f"Action {n}")
    assessment = open_assessment(network, instruments)

    assert len(follow_up.follow_up_questions_for(assessment)) == follow_up.MAX_FOLLOW_UP_QUESTIONS


def test_the_question_about_action_11_never_shares_a_row_with_statement_f11(
    client, network, instruments, last_round
):
    """Follow-up codes once were F<action id>, which the v2 scorecard's statements use
    too: action 11's answer and statement F11's would have been one row."""
    meeting = plan(last_round)
    Action.objects.create(
        pk=11,
        session=meeting,
        what="Agree a shared purpose",
        dimension="common_purpose",
        due_on=timezone.localdate(),
    )
    autumn = open_assessment(network, instruments, title="Autumn round")
    invitation = invite_all(autumn)[0]
    autumn.refresh_from_db()
    start(client, invitation)
    pages = pages_of(autumn)
    statements = next(p for p in pages if any(q.code == "F11" for q in p.questions))
    follow = pages[-1]
    assert [q.code for q in follow.questions] == ["ACT11"]
    data = {q.code: "5" for q in statements.questions if q.kind == "agreement"}
    client.post(f"/survey/page/{statements.key}/", {**data, "nav": "next"})
    client.post(f"/survey/page/{follow.key}/", {"ACT11": "2", "nav": "next"})
    stored = dict(Answer.objects.filter(item__in=["F11", "ACT11"]).values_list("item", "value"))
    assert stored == {"F11": 5, "ACT11": 2}
