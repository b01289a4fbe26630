"""What scorecards does when surveys or meetings report news (neither imports
scorecards)."""

from django.dispatch import receiver

from meetings.signals import agreed_levels_changed
from surveys.services.erasure import mentions_scrub
from surveys.signals import (
    assessment_closed,
    assessment_raw_deleting,
    member_data_requested,
    member_erasing,
    response_submitted,
)

from .drawing import charts_redraw_schedule
from .models import Release, ShareLink, Snapshot, SummaryEmail
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


@receiver(member_erasing)
def forget_an_erased_member(sender, *, network_id: int, mentions, **kwargs) -> None:
    """A member who agreed to be named on a released network map is named there, and
    comments may mention anyone: their name and address are taken out of the network's
    snapshots and releases (the one change a release ever gets besides its charts), and
    out of share links' labels."""
    mentions_scrub(
        Snapshot.objects.filter(assessment__network_id=network_id),
        mentions,
        json=["data", "comments"],
    )
    mentions_scrub(
        Release.objects.filter(assessment__network_id=network_id),
        mentions,
        json=["data", "comments", "charts"],
    )
    mentions_scrub(ShareLink.objects.filter(network_id=network_id), mentions, text=["label"])


@receiver(member_data_requested)
def summaries_a_member_was_sent(sender, *, member, **kwargs) -> dict:
    """For a subject access export: the members' summaries they were emailed."""
    rows = SummaryEmail.objects.filter(member=member).select_related("summary__assessment")
    return {
        "summary_emails": [
            {
                "round": row.summary.assessment.title,
                "queued_at": row.queued_at.isoformat(),
                "sent_at": row.sent_at.isoformat() if row.sent_at else None,
            }
            for row in rows.order_by("pk")
        ]
    }
