"""How well the network does each function now (scorecard v2): answered on its own page
after importance, stored beside the importance answers as NOW_<importance code>."""

import re

import pytest

from surveys.models import Answer
from tests.surveys.survey_helpers import invite_all, open_assessment, pages_of, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(network, instruments):
    return open_assessment(network, instruments, matrix=None)


def page(assessment, key):
    return next(p for p in pages_of(assessment) if p.key == key)


def test_member_rates_performance_and_importance_side_by_side(client, assessment):
    start(client, invite_all(assessment)[0])
    importance, performance = page(assessment, "importance"), page(assessment, "performance")

    client.post(f"/survey/page/{importance.key}/", {q.code: "5" for q in importance.questions})
    answers = {q.code: "2" for q in performance.questions} | {"NOW_I_filtering": "dk"}
    moved_on = client.post(f"/survey/page/{performance.key}/", {**answers, "nav": "next"})

    assert moved_on.status_code == 302
    stored = dict(Answer.objects.values_list("item", "value"))
    assert stored["I_filtering"] == 5 and stored["NOW_I_filtering"] is None  # Don't know
    assert stored["I_convening"] == 5 and stored["NOW_I_convening"] == 2
    assert sorted(k for k in stored if k.startswith("NOW_")) == sorted(
        "NOW_" + k for k in stored if k.startswith("I_")
    )


def test_a_performance_answer_is_shown_again_when_the_member_comes_back(client, assessment):
    start(client, invite_all(assessment)[0])
    performance = page(assessment, "performance")
    client.post(f"/survey/page/{performance.key}/", {"NOW_I_investing": "4"})

    body = client.get(f"/survey/page/{performance.key}/").content.decode()

    assert "Extremely well" in body and "Not at all well" in body
    assert _checked(body, "NOW_I_investing") == "4"


def test_every_performance_question_must_be_answered_or_dont_know(client, assessment):
    start(client, invite_all(assessment)[0])
    performance = page(assessment, "performance")
    answers = {q.code: "3" for q in performance.questions[1:]}

    refused = client.post(f"/survey/page/{performance.key}/", {**answers, "nav": "next"})

    assert refused.status_code == 400
    assert f'href="#q-{performance.questions[0].code}"' in refused.content.decode()
    assert Answer.objects.count() == len(performance.questions) - 1


def test_a_value_off_the_scale_is_refused(client, assessment):
    start(client, invite_all(assessment)[0])
    performance = page(assessment, "performance")

    client.post(f"/survey/page/{performance.key}/", {"NOW_I_community": "6"})

    assert not Answer.objects.exists()


def _checked(body: str, name: str) -> str | None:
    """The value of the checked radio button named `name`, if any."""
    for tag in re.findall(r"<input[^>]*>", body):
        if f'name="{name}"' in tag and "checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None
