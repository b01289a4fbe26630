"""What a member reads before starting and on "Check your answers"."""

import re

import pytest
from django.urls import reverse

from tests.surveys.survey_helpers import invite_all, link_path, open_assessment

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
