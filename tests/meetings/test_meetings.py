"""The maturity-matrix meeting's rules (framework section 5): the lowest view is
proposed, a different level needs the group's reason, tables merge to the lowest, live
ratings only while the meeting runs, no closing without a take-home action; and the
read functions the dashboard calls."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings import room as meeting_room
from meetings import selectors as meetings
from meetings import services as meeting_services
from meetings.models import Action, AgreedLevel, LiveRating, MatrixSession
from tests.factories import AssessmentFactory
from tests.meetings.helpers import (
    FIRST,
    SECOND,
    add_action,
    closed_meeting,
    matrix_assessment,
    plan,
    rate_live,
    running,
    survey_ratings,
    table,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(network, instruments):
    return matrix_assessment(network, instruments)


def record(meeting, level, *, table_name="Table A", dimension=FIRST, **fields):
    return meeting_services.agreed_level_record(
        session=meeting,
        table=table(meeting, table_name),
        dimension=dimension,
        level=level,
        **fields,
    )


# ---- planning ----------------------------------------------------------------------


def test_a_planned_meeting_has_its_tables_and_a_short_code_easy_to_read_aloud(assessment):
    meeting = plan(assessment, tables=("Table A", "Table B"))

    assert [t.name for t in meeting.tables.all()] == ["Table A", "Table B"]
    assert meeting.status == MatrixSession.PLANNED
    assert len(meeting.code) == 6
    assert not set(meeting.code) & set("0O1IL58BS")


def test_a_meeting_needs_an_assessment_with_the_matrix(network, instruments):
    scorecard_only = AssessmentFactory(network=network, health_scorecard=instruments["scorecard"])

    with pytest.raises(ValidationError, match="no maturity matrix"):
        plan(scorecard_only)


def test_a_table_with_ratings_is_never_removed_silently(assessment):
    meeting = running(assessment, tables=("Table A", "Table B"))
    rate_live(meeting, [3], table_name="Table B")

    with pytest.raises(ValidationError, match="Table B already has ratings"):
        meeting_services.meeting_tables_set(session=meeting, names=["Table A"])
    meeting_services.meeting_tables_set(session=meeting, names=["Table B", "Table C"])

    assert [t.name for t in meeting.tables.all()] == ["Table B", "Table C"]


# ---- the lowest-level rule ---------------------------------------------------------


def test_the_proposal_is_the_lowest_live_view_at_the_table(assessment):
    survey_ratings(assessment, [1, 1, 1, 1, 1])
    meeting = running(assessment, tables=("Table A", "Table B"))
    rate_live(meeting, [4, 2, 3])
    rate_live(meeting, [1], table_name="Table B")

    proposal = meeting_room.table_proposal(meeting, table(meeting), FIRST)

    assert (proposal.level, proposal.low, proposal.high, proposal.source) == (2, 2, 4, "live")
    assert "3 live ratings at this table" in proposal.description


def test_without_live_views_the_proposal_is_the_lowest_survey_rating(assessment):
    survey_ratings(assessment, [3, 4, 2, 5, 4])
    meeting = running(assessment)

    proposal = meeting_room.table_proposal(meeting, table(meeting), FIRST)

    assert (proposal.level, proposal.low, proposal.high, proposal.source) == (2, 2, 5, "survey")


def test_survey_ratings_under_the_threshold_are_hidden_and_propose_nothing(assessment):
    survey_ratings(assessment, [4, 2, 3, 3])  # 4 members, threshold 5
    meeting = running(assessment)

    survey = meeting_room.survey_views(assessment)[FIRST]

    # Not even the count: a number under the threshold is never published.
    assert survey.n == 0 and not survey.released and survey.views is None
    assert meeting_room.table_proposal(meeting, table(meeting), FIRST) is None


def test_only_submitted_survey_ratings_count(assessment):
    survey_ratings(assessment, [3, 3, 3, 3, 3])
    survey_ratings(assessment, [1, 1], submitted=False)

    survey = meeting_room.survey_views(assessment)[FIRST]

    assert survey.n == 5 and survey.views.low == 3


def test_recording_the_proposed_level_needs_no_reason_and_keeps_the_range(assessment):
    meeting = running(assessment)
    rate_live(meeting, [2, 4, 3])

    agreed = record(meeting, 2, target=3, notes="Half the table thought 4.")

    assert (agreed.level, agreed.proposed_level, agreed.range) == (2, 2, (2, 4))
    assert agreed.override_reason == "" and agreed.target == 3


def test_a_level_other_than_the_lowest_view_is_refused_without_a_reason(assessment):
    meeting = running(assessment)
    rate_live(meeting, [2, 4, 3])

    with pytest.raises(ValidationError) as refused:
        record(meeting, 3, override_reason="   ")

    assert "override_reason" in refused.value.error_dict
    assert "The proposed level is 2" in refused.value.messages[0]
    assert not AgreedLevel.objects.exists()


def test_a_level_other_than_the_lowest_view_is_accepted_with_the_groups_reason(assessment):
    meeting = running(assessment)
    rate_live(meeting, [2, 4, 3])

    agreed = record(meeting, 3, override_reason="The 2 was about last year's work.")

    assert (agreed.level, agreed.proposed_level) == (3, 2)
    assert agreed.override_reason == "The 2 was about last year's work."


def test_without_any_view_any_level_can_be_agreed(assessment):
    meeting = running(assessment)

    agreed = record(meeting, 3)

    assert agreed.proposed_level is None and agreed.range is None


def test_a_target_below_the_agreed_level_is_refused(assessment):
    meeting = running(assessment)

    with pytest.raises(ValidationError, match="below the agreed level"):
        record(meeting, 3, target=2)


def test_two_tables_merge_to_the_lowest_and_each_tables_view_is_kept(assessment):
    meeting = running(assessment, tables=("Table A", "Table B"))
    rate_live(meeting, [3, 4], table_name="Table A")
    rate_live(meeting, [2, 5], table_name="Table B")

    record(meeting, 3, table_name="Table A", target=4, priority=True)
    record(meeting, 2, table_name="Table B", target=3)

    rows = {a.table.name if a.table else None: a for a in AgreedLevel.objects.all()}
    assert rows["Table A"].level == 3 and rows["Table B"].level == 2
    merged = rows[None]
    assert (merged.level, merged.range, merged.target, merged.priority) == (2, (2, 5), 3, True)


def test_the_merged_level_follows_a_table_that_changes_its_record(assessment):
    meeting = running(assessment, tables=("Table A", "Table B"))
    record(meeting, 3, table_name="Table A")
    record(meeting, 4, table_name="Table B")
    record(meeting, 1, table_name="Table A", override_reason="")

    merged = AgreedLevel.objects.get(table=None)
    assert merged.level == 1
    assert AgreedLevel.objects.filter(table=None).count() == 1


def test_the_merged_reason_names_the_table_that_overrode(assessment):
    meeting = running(assessment, tables=("Table A", "Table B"))
    rate_live(meeting, [2], table_name="Table A")
    record(meeting, 3, table_name="Table A", override_reason="One phone misread it.")
    record(meeting, 4, table_name="Table B")

    assert AgreedLevel.objects.get(table=None).override_reason == ("Table A: One phone misread it.")


def test_the_database_refuses_levels_off_the_scale_and_a_second_merged_row(assessment):
    meeting = running(assessment)
    record(meeting, 2)

    with pytest.raises(IntegrityError), transaction.atomic():
        AgreedLevel.objects.create(session=meeting, table=None, dimension=FIRST, level=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreedLevel.objects.create(session=meeting, dimension=SECOND, level=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveRating.objects.create(
            session=meeting, table=table(meeting), dimension=FIRST, participant_key="k", level=0
        )


# ---- live ratings ------------------------------------------------------------------


def test_a_phone_has_one_changeable_rating_per_dimension(assessment):
    meeting = running(assessment)
    for level in (4, 2):
        meeting_services.live_rating_save(
            session=meeting, table=table(meeting), dimension=FIRST, participant_key="p", level=level
        )

    assert list(LiveRating.objects.values_list("level", flat=True)) == [2]


@pytest.mark.parametrize("state", ["planned", "closed"])
def test_a_live_rating_is_refused_when_the_meeting_is_not_running(assessment, state):
    meeting = plan(assessment)
    if state == "closed":
        meeting_services.matrix_session_start(session=meeting)
        add_action(meeting)
        meeting_services.matrix_session_close(session=meeting)

    with pytest.raises(ValidationError, match="not started|has ended"):
        meeting_services.live_rating_save(
            session=meeting, table=table(meeting), dimension=FIRST, participant_key="p", level=3
        )
    assert not LiveRating.objects.exists()


def test_a_live_rating_for_a_dimension_no_longer_on_screen_is_refused(assessment):
    meeting = running(assessment)
    meeting_services.matrix_session_show(session=meeting, dimension=SECOND)

    with pytest.raises(ValidationError, match="moved on"):
        meeting_services.live_rating_save(
            session=meeting, table=table(meeting), dimension=FIRST, participant_key="p", level=3
        )


def test_live_ratings_are_capped_per_dimension(assessment, monkeypatch):
    monkeypatch.setattr(meeting_services, "MAX_PARTICIPANTS", 2)
    meeting = running(assessment)
    rate_live(meeting, [3, 3])

    with pytest.raises(ValidationError, match="as many live ratings"):
        rate_live(meeting, [3, 3, 3])
    rate_live(meeting, [4, 4])  # the same two phones may still change their minds

    assert LiveRating.objects.count() == 2


# ---- closing and actions -----------------------------------------------------------


def test_closing_is_refused_without_a_take_home_action(assessment):
    meeting = running(assessment)

    with pytest.raises(ValidationError, match="at least one take-home action"):
        meeting_services.matrix_session_close(session=meeting)
    add_action(meeting)
    meeting_services.matrix_session_close(session=meeting)

    meeting.refresh_from_db()
    assert meeting.status == MatrixSession.CLOSED and meeting.closed_at is not None


def test_nothing_is_recorded_once_the_meeting_is_closed(assessment):
    meeting = running(assessment)
    add_action(meeting)
    meeting_services.matrix_session_close(session=meeting)

    with pytest.raises(ValidationError, match="closed"):
        record(meeting, 2)


def test_an_action_sent_again_after_a_dropped_connection_is_stored_once(assessment):
    meeting = running(assessment)

    first = add_action(meeting, client_ref="c0ffee")
    again = add_action(meeting, client_ref="c0ffee")

    assert first == again and Action.objects.count() == 1


def test_action_status_moves_between_open_done_and_dropped(assessment):
    action = add_action(running(assessment))

    meeting_services.action_set_status(action=action, status=Action.DONE)
    assert Action.objects.get().status == Action.DONE
    with pytest.raises(ValidationError):
        meeting_services.action_set_status(action=action, status="forgotten")


def test_actions_csv_neutralises_cells_a_spreadsheet_would_run(assessment):
    meeting = running(assessment)
    add_action(meeting, what="=cmd|' /C calc'!A0", who="+44 7700 900123", dimension=FIRST)
    add_action(meeting, what="@SUM(A1)", who="-Sam", due_on=meeting.held_on + timedelta(days=1))
    # The service trims what is typed; rows written another way are neutralised too.
    Action.objects.create(
        session=meeting, what="\tTabbed", who="\rReturned", due_on=meeting.held_on
    )

    rows = list(csv.reader(io.StringIO(meetings.actions_csv(meeting))))

    assert rows[0][:3] == ["Dimension", "What", "Who"]
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells and "'+44 7700 900123" in cells
    assert "'@SUM(A1)" in cells and "'-Sam" in cells
    assert "'\tTabbed" in cells and "'\rReturned" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


# ---- what the dashboard reads ------------------------------------------------------


def test_agreed_levels_come_from_the_latest_closed_meeting_only(assessment):
    assert meetings.agreed_levels(assessment) == {}
    closed_meeting(assessment, {FIRST: (2, 3)})
    later = running(assessment)  # still running: not counted
    meeting_services.agreed_level_record(
        session=later, table=table(later), dimension=FIRST, level=4
    )

    agreed = meetings.agreed_levels(assessment)

    assert agreed == {
        FIRST: {"level": 2, "target": 3, "priority": False, "range": None, "override_reason": ""}
    }


def test_network_actions_list_open_ones_first_then_by_due_date(network, assessment):
    meeting = running(assessment)
    today = timezone.localdate()
    done = add_action(meeting, what="Done early", due_on=today - timedelta(days=9))
    meeting_services.action_set_status(action=done, status=Action.DONE)
    late = add_action(meeting, what="Later", due_on=today + timedelta(days=30))
    soon = add_action(meeting, what="Soon", due_on=today + timedelta(days=3))

    assert meetings.network_actions(network) == [soon, late, done]
