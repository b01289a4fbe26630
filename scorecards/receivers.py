"""What scorecards does when surveys or meetings report news (neither imports
scorecards)."""

from django.dispatch import receiver

from meetings.signals import agreed_levels_changed
from surveys.signals import assessment_closed, assessment_raw_deleting, response_submitted

from .drawing import charts_redraw_schedule
from .models import Release, Snapshot
from .releases import release_schedule
from .services import aggregation_schedule


@receiver(response_submitted)
def score_after_submission(sender, *, assessment_id: int, **kwargs) -> None:
    aggregation_schedule(assessment_id=assessment_id)


@receiver(assessment_closed)
def release_at_closing(sender, *, assessment_id: int, **kwargs) -> None:
    """Closing releases the round's results: every response submitted by then."""
    release_schedule(assessment_id=assessment_id, kind=Release.FINAL)


@receiver(agreed_levels_changed)
def redraw_after_meeting(sender, *, assessment_id: int, **kwargs) -> None:
    """The matrix chart marks the levels a closed meeting agreed."""
    charts_redraw_schedule(assessment_id=assessment_id)


@receiver(assessment_raw_deleting)
def delete_snapshots_with_raw_data(sender, *, assessment_id: int, **kwargs) -> None:
    """Snapshots are computed from the raw answers (and hold every comment): they go
    with them. Releases, the audited aggregates, stay."""
    Snapshot.objects.filter(assessment_id=assessment_id).delete()
