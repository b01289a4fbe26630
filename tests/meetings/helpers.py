"""Building a maturity-matrix meeting and the ratings it discusses."""

from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import MatrixSession
from surveys.models import MatrixRating
from tests.factories import AssessmentFactory, InvitationFactory, ResponseFactory
from tests.scorecards.helpers import release

FIRST = "common_purpose"
SECOND = "distributed_leadership"


def matrix_assessment(network, instruments, **fields):
    return AssessmentFactory(network=network, matrix=instruments["matrix"], **fields)


def survey_ratings(assessment, levels, *, dimension=FIRST, submitted=True) -> None:
    """One member's response per level, each rating `dimension` at that level; then the
    round closes and is released, which is all the meeting ever reads of them."""
    for level in levels:
        response = ResponseFactory(
            invitation=InvitationFactory(assessment=assessment),
            submitted_at=timezone.now() if submitted else None,
        )
        MatrixRating.objects.create(
            response=response, dimension=dimension, current=level, target=min(level + 1, 5)
        )
    release(assessment)


def plan(assessment, tables=("Table A",), **fields) -> MatrixSession:
    return meeting_services.matrix_session_create(
        assessment=assessment,
        title=fields.pop("title", "Spring matrix meeting"),
        held_on=fields.pop("held_on", assessment.closes_on),
        tables=list(tables),
        **fields,
    )


def running(assessment, tables=("Table A",)) -> MatrixSession:
    return meeting_services.matrix_session_start(session=plan(assessment, tables))


def table(meeting, name="Table A"):
    return meeting.tables.get(name=name)


def rate_live(meeting, levels, *, table_name="Table A", dimension=None) -> None:
    """One phone per level, each rating the dimension on screen at `table_name`."""
    for i, level in enumerate(levels):
        meeting_services.live_rating_save(
            session=meeting,
            table=table(meeting, table_name),
            dimension=dimension or meeting.current_dimension,
            participant_key=f"{table_name}-phone-{i}",
            level=level,
        )


def add_action(meeting, **fields):
    return meeting_services.action_add(
        session=meeting,
        what=fields.pop("what", "Write the purpose down with members"),
        who=fields.pop("who", "Priya"),
        due_on=fields.pop("due_on", meeting.held_on),
        **fields,
    )


def closed_meeting(assessment, levels: dict, **fields):
    meeting = running(assessment)
    for dimension, (level, target) in levels.items():
        meeting_services.agreed_level_record(
            session=meeting, table=table(meeting), dimension=dimension, level=level, target=target
        )
    add_action(meeting)
    return meeting_services.matrix_session_close(session=meeting)
