"""A subject access export (docs/retention.md): everything the network holds about one
member, for a coordinator to give them. It holds no other person's data (who did
things is said by role, never by name) and none of the member's answers: those are
held so that nobody but the member can read them (quality T1), so the export says which
rounds they answered and how they can have their answers themselves."""

from django.utils import timezone

from .models import Event, Invitation, Member
from .signals import member_data_requested

ANSWERS = (
    "The member's answers to each round they completed are held so that nobody but the "
    "member can read them: coordinators and leaders see only who has responded, and "
    "results are published for groups of several people. They are not in this export. "
    "The member can download a copy of their own answers from the thank-you page right "
    "after submitting, in the same browser; the raw answers are deleted under the "
    "network's retention period, after which only the released group results remain."
)
INVITATION_DATES = (
    "queued_at",
    "sent_at",
    "opened_at",
    "started_at",
    "completed_at",
    "revoked_at",
    "link_copied_at",
    "copied_link_used_at",
)


def _when(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _by(event: Event) -> str:
    """Who did it, by role only: the export holds nobody else's data."""
    if event.actor_id:
        return "a coordinator of the network"
    return "the member or someone with their link" if event.address else "netassess"


def member_record(member: Member) -> dict:
    """What is held about ``member``, as plain data (dates in ISO 8601)."""
    invitations = (
        Invitation.objects.filter(member=member)
        .select_related("assessment")
        .order_by("queued_at", "pk")
    )
    events = Event.objects.filter(member=member).order_by("created_at", "pk")
    record = {
        "about": (
            f"Everything {member.network.name} holds in netassess about this member, "
            f"exported on {timezone.localdate().isoformat()}."
        ),
        "member": {
            "name": member.name,
            "email": member.email,
            "stakeholder_group": member.group.name,
            "organisation": member.organisation,
            "added_at": _when(member.created_at),
            "last_changed_at": _when(member.updated_at),
            "unsubscribed_at": _when(member.unsubscribed_at),
            "removed_at": _when(member.removed_at),
            "left_the_roster_at": _when(member.left_roster_at),
            "left_off_the_roster_by_a_coordinator": member.off_roster,
        },
        "invitations": [
            {
                "round": invitation.assessment.title,
                "status": invitation.get_status_display(),
                "answered": invitation.status == Invitation.COMPLETED,
                **{field: _when(getattr(invitation, field)) for field in INVITATION_DATES},
                "failure_reason": invitation.failure_reason,
            }
            for invitation in invitations
        ],
        "answers": ANSWERS,
        "events": [
            {
                "at": _when(event.created_at),
                "what": event.get_kind_display(),
                "detail": event.detail,
                "by": _by(event),
            }
            for event in events
        ],
    }
    for _, section in member_data_requested.send(sender=Member, member=member):
        record.update(section or {})
    return record
