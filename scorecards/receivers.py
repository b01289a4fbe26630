"""What scorecards does when surveys reports news (surveys never imports scorecards)."""

from django.dispatch import receiver

from surveys.signals import assessment_closed, response_submitted

from .services import aggregation_schedule


@receiver(response_submitted)
def score_after_submission(sender, *, assessment_id: int, **kwargs) -> None:
    aggregation_schedule(assessment_id=assessment_id)


@receiver(assessment_closed)
def score_after_closing(sender, *, assessment_id: int, **kwargs) -> None:
    aggregation_schedule(assessment_id=assessment_id)
