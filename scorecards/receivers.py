"""What scorecards does when surveys or meetings report news (neither imports
scorecards)."""

from django.dispatch import receiver

from meetings.signals import agreed_levels_changed
from surveys.signals import assessment_closed, response_submitted

from .services import aggregation_schedule, charts_redraw_schedule


@receiver(response_submitted)
def score_after_submission(sender, *, assessment_id: int, **kwargs) -> None:
    aggregation_schedule(assessment_id=assessment_id)


@receiver(assessment_closed)
def score_after_closing(sender, *, assessment_id: int, **kwargs) -> None:
    aggregation_schedule(assessment_id=assessment_id)


@receiver(agreed_levels_changed)
def redraw_after_meeting(sender, *, assessment_id: int, **kwargs) -> None:
    """The matrix chart marks the levels a closed meeting agreed."""
    charts_redraw_schedule(assessment_id=assessment_id)
