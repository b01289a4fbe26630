"""Charts are drawn by the worker and stored with the release, and drawn again when
what they show changes: a meeting closes, an earlier round is released again (house
rule 3; quality R2, R4)."""

import ast
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings import room as meeting_room
from meetings import services as meeting_services
from scorecards import drawing, selectors, tasks
from scorecards.models import Release
from tests.meetings.helpers import add_action, running, table
from tests.scorecards.helpers import release
from tests.scorecards.test_dashboard_views import dashboard_url, scored_round

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def close_a_meeting(assessment, dimensions=("common_purpose", "membership")):
    """A meeting that agrees the proposed level of two dimensions, then closes."""
    meeting = running(assessment)
    for dimension in dimensions:
        proposal = meeting_room.table_proposal(meeting, table(meeting), dimension)
        meeting_services.agreed_level_record(
            session=meeting, table=table(meeting), dimension=dimension, level=proposal.level
        )
    add_action(meeting)
    return meeting_services.matrix_session_close(session=meeting)


def stored(assessment) -> dict[str, dict]:
    release = selectors.latest_release(assessment)
    return {chart["key"]: chart for chart in selectors.charts_in(release)}


def marks(chart) -> list[str]:
    return [trace.get("name") for trace in chart["figure"]["data"] if trace.get("name")]


@pytest.fixture
def assessment(network, instruments):
    return scored_round(network, instruments)


def test_the_worker_stores_every_chart_with_its_summary_and_table(assessment):
    charts = selectors.charts_in(selectors.latest_release(assessment))

    assert [c["key"] for c in charts] == [
        "stage", "domains", "subdimensions", "function-mix", "matrix", "gaps-group",
        "gaps-tenure", "gaps-network-role", "trend", "response-rate",
    ]  # fmt: skip
    assert [c["variant"] for c in charts if c["key"].startswith("gaps")] == [
        "group",
        "tenure",
        "network_role",
    ]
    for chart in charts:
        assert chart["summary"] and chart["title"]
        assert chart["figure"] or chart["empty_message"]
    domains = next(c for c in charts if c["key"] == "domains")
    assert domains["table"]["columns"][0] == "Domain" and len(domains["table"]["rows"]) == 3


def test_group_charts_name_groups_in_the_instruments_words(assessment):
    charts = stored(assessment)
    words = selectors.group_labels_for(assessment)

    for key, by in (("gaps-tenure", "tenure"), ("gaps-network-role", "network_role")):
        names = [row[0] for row in charts[key]["table"]["rows"]]
        assert names and not set(names) & set(words[by])
        assert set(names) <= {*words[by].values(), "not stated"}


def test_closing_the_meeting_redraws_the_matrix_chart_with_the_agreed_levels(
    client, leader, assessment, django_capture_on_commit_callbacks
):
    before = stored(assessment)["matrix"]
    assert "A: agreed at the meeting" not in marks(before)

    with django_capture_on_commit_callbacks(execute=True):
        close_a_meeting(assessment)

    after = stored(assessment)["matrix"]
    assert "A: agreed at the meeting" in marks(after)
    assert after["table"]["columns"][-1] == "Agreed"
    assert "the meeting agreed 2 of 8 levels" in after["summary"]
    client.force_login(leader)
    body = client.get(dashboard_url(assessment)).content.decode()
    assert "the meeting agreed 2 of 8 levels" in body


def test_a_meeting_asks_for_the_redraw_only_once_its_close_is_committed(
    assessment, django_capture_on_commit_callbacks
):
    with mock.patch("scorecards.receivers.charts_redraw_schedule") as schedule:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            close_a_meeting(assessment)
        assert schedule.call_count == 0
        for callback in callbacks:
            callback()

    schedule.assert_called_once_with(assessment_id=assessment.pk)


def test_a_later_rounds_trend_is_redrawn_when_an_earlier_round_is_released(
    network, instruments, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    earlier = open_earlier_round(network, instruments, today)
    later = scored_round(network, instruments)
    assert stored(later)["trend"]["figure"] is None  # one round with results: no trend yet

    with django_capture_on_commit_callbacks(execute=True):
        release(earlier)

    trend = stored(later)["trend"]
    assert trend["figure"] is not None
    assert [row[0] for row in trend["table"]["rows"]] == [earlier.title, later.title]


def open_earlier_round(network, instruments, today):
    """A round half a year back, answered but not yet released."""
    from scorecards.demo import demo_round_answers
    from tests.surveys.survey_helpers import open_assessment

    assessment = open_assessment(
        network,
        instruments,
        members=30,
        title="Autumn round",
        opens_on=today - timedelta(days=200),
        closes_on=today - timedelta(days=180),
    )
    demo_round_answers(assessment, (50, 50, 50), 3.0, 1.0, "monthly", seed=5)
    return assessment


def test_redrawing_what_has_not_changed_draws_nothing(assessment):
    drawn = selectors.latest_release(assessment).charts

    assert drawing.release_charts_redraw(assessment_id=assessment.pk) is False
    assert selectors.latest_release(assessment).charts == drawn
    assert drawing.release_charts_redraw(assessment_id=assessment.pk, force=True) is True
    assert selectors.latest_release(assessment).charts == drawn


def test_operator_redraws_every_rounds_charts_after_the_chart_code_changed(assessment):
    Release.objects.update(charts=[])

    call_command("aggregate", "--charts")

    assert len(selectors.charts_in(selectors.latest_release(assessment))) == 10


def test_sweeper_redraws_charts_whose_redraw_was_never_queued(assessment):
    with mock.patch("scorecards.receivers.charts_redraw_schedule"):  # the broker was down
        close_a_meeting(assessment)
    assert selectors.charts_behind() == [assessment.pk]

    tasks.sweep_snapshots()

    assert "A: agreed at the meeting" in marks(stored(assessment)["matrix"])
    assert selectors.charts_behind() == []


def test_meetings_never_import_scorecards():
    for path in (ROOT / "meetings").rglob("*.py"):
        tree = ast.parse(path.read_text())
        modules = {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }  # fmt: skip

        assert not any(m.split(".")[0] == "scorecards" for m in modules), path
