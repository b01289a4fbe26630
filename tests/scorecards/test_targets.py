"""Progress against the targets set at the last meeting, read from stored results."""

from datetime import timedelta

import pytest
from django.utils import timezone

from scorecards.models import Release
from scorecards.targets import progress_against_targets
from tests.meetings.helpers import FIRST, SECOND, closed_meeting, matrix_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(network, instruments):
    return matrix_assessment(network, instruments)


def test_progress_against_targets_compares_last_rounds_targets_with_this_round(
    network, instruments
):
    today = timezone.localdate()
    before = matrix_assessment(network, instruments, opens_on=today - timedelta(days=400))
    before.closes_on = before.opens_on + timedelta(days=14)
    before.save()
    closed_meeting(before, {FIRST: (2, 3), SECOND: (1, 3)})
    now = matrix_assessment(network, instruments)
    Release.objects.create(
        assessment=now,
        number=1,
        kind=Release.FINAL,
        snapshot_key="k",
        n_respondents=6,
        data={
            "released": True,
            "matrix": {"dimensions": {SECOND: {"median_current": 2.0, "n": 6}}},
        },
    )
    closed_meeting(now, {FIRST: (3, 4)})

    rows = {r["dimension"]: r for r in progress_against_targets(network, now)}

    assert rows[FIRST]["target"] == 3 and rows[FIRST]["now"] == 3
    assert rows[FIRST]["source"] == "meeting" and rows[FIRST]["met"] is True
    assert rows[SECOND]["now"] == 2.0 and rows[SECOND]["source"] == "survey"
    assert rows[SECOND]["gap"] == 1.0 and rows[SECOND]["met"] is False
    assert len(rows) == 8


def test_progress_against_targets_is_empty_without_an_earlier_closed_meeting(
    network, outsider, assessment
):
    assert progress_against_targets(network, assessment) == []
    other_network = outsider.network_roles.get().network
    assert progress_against_targets(other_network, assessment) == []
