"""The integrity note a release carries: how the coordinator's doors were used while
the round was open (members added, addresses changed, links copied), and which
answers came through them. Those answers may have been written by someone other than
the member, so the release audit gives them no cover for anyone else
(docs/privacy.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone

from surveys.models import Assessment, Event, Invitation


@dataclass(frozen=True)
class RoundIntegrity:
    members_added: int = 0
    addresses_changed: int = 0
    links_copied: int = 0
    answers_through_doors: int = 0
    known: set[int] = field(default_factory=set)  # response ids: never shown

    def as_dict(self) -> dict:
        return {
            "members_added": self.members_added,
            "addresses_changed": self.addresses_changed,
            "links_copied": self.links_copied,
            "answers_through_doors": self.answers_through_doors,
        }


def open_window(assessment: Assessment) -> tuple[datetime, datetime] | None:
    """While the round was live: from the first invitation going out (members listed
    before that are the network's members, not late additions) to its closing, early
    or on its closing date. None before anyone was invited."""
    first = assessment.invitations.order_by("queued_at").values_list("queued_at", flat=True)
    start = first.first()
    if start is None:
        return None
    closing = timezone.make_aware(datetime.combine(assessment.closes_on, time.max))
    end = assessment.closed_at or min(closing, timezone.now())
    return start, end


def round_integrity(assessment: Assessment) -> RoundIntegrity:
    window = open_window(assessment)
    if window is None:
        return RoundIntegrity()
    start, end = window
    invited = assessment.invitations.values("member_id")
    events = Event.objects.filter(
        network_id=assessment.network_id,
        member_id__in=invited,
        created_at__gte=start,
        created_at__lte=end,
    )
    added = set(events.filter(kind=Event.MEMBER_ADDED).values_list("member_id", flat=True))
    changed = set(
        events.filter(kind=Event.MEMBER_EMAIL_CHANGED).values_list("member_id", flat=True)
    )
    copied = assessment.invitations.filter(link_copied_at__gte=start, link_copied_at__lte=end)
    doors = Q(member_id__in=added | changed) | Q(copied_link_used_at__isnull=False)
    known = set(
        Invitation.objects.filter(doors, assessment=assessment, response__isnull=False)
        .filter(response__submitted_at__isnull=False)
        .values_list("response__pk", flat=True)
    )
    return RoundIntegrity(
        members_added=len(added),
        addresses_changed=len(changed),
        links_copied=copied.count(),
        answers_through_doors=len(known),
        known=known,
    )
