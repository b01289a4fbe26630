"""What a member reads before starting and on "Check your answers"."""

import re

import pytest
from django.urls import reverse

from tests.surveys.survey_helpers import (
    answer_everything,
    full_answers,
    invite_all,
    link_path,
    open_assessment,
    pages_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(network, instruments):
    return open_assessment(network, instruments)


@pytest.fixture
def member_client(client, assessment):
    client.get(link_path(invite_all(assessment)[0]))
    return client


def test_mia_is_told_one_honest_time_not_the_matrix_meetings_length(member_client, instruments):
    body = member_client.get("/survey/").content.decode()

    figures = {int(n) for n in re.findall(r"about (\d+) minutes", body)}
    scorecard = instruments["scorecard"].minutes
    assert figures == {scorecard}
    assert "120" not in body and "128" not in body
    assert "maturity matrix's 8 dimensions" in body


def test_olivia_previewing_the_matrix_is_not_told_members_take_two_hours(
    client, owner, instruments
):
    client.force_login(owner)
    matrix = instruments["matrix"]

    body = client.get(reverse("instrument_preview", args=[matrix.code, matrix.version]))

    assert "It takes about" not in body.content.decode()


def _progress(body: str) -> int:
    return int(re.search(r'aria-valuenow="(\d+)"', body).group(1))


def test_mia_checking_her_answers_sees_them_in_words_with_links_to_change_them(
    member_client, assessment
):
    member_client.post("/survey/")
    pages = pages_of(assessment)
    statements, matrix = pages[1], next(p for p in pages if p.key.startswith("matrix-"))
    data = full_answers(statements)
    data[statements.questions[0].code] = "dk"
    member_client.post(f"/survey/page/{statements.key}/", {**data, "nav": "next"})
    member_client.post(f"/survey/page/{matrix.key}/", {**full_answers(matrix), "nav": "next"})

    body = member_client.get("/survey/review/").content.decode()

    agree = dict(statements.questions[1].options)["4"]
    assert f">{agree}<" in body  # "Agree", not "4"
    assert ">Don&#x27;t know<" in body
    assert "Now: Working (level 3); target: Embedded (level 4)" in body
    assert statements.questions[1].text.replace("'", "&#x27;") in body
    for page in pages:
        assert f'href="/survey/page/{page.key}/"' in body
    assert "Not answered" in body


def test_mias_progress_on_the_review_counts_answered_questions_not_pages(member_client, assessment):
    member_client.post("/survey/")
    pages = pages_of(assessment)
    first = pages[1]
    member_client.post(f"/survey/page/{first.key}/", {**full_answers(first), "nav": "next"})
    total = sum(len(p.questions) for p in pages)

    body = member_client.get("/survey/review/").content.decode()

    assert f"{len(first.questions)} of {total} questions answered" in body
    assert _progress(body) == round(100 * len(first.questions) / total) < 100

    answer_everything(member_client, assessment)
    assert _progress(member_client.get("/survey/review/").content.decode()) == 100
