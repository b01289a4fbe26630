"""The record of what was done in a network (append-only)."""

from ..models import Event, Invitation, Member, Network, User


def event_record(
    kind: str,
    *,
    network: Network | None = None,
    invitation: Invitation | None = None,
    member: Member | None = None,
    actor: User | None = None,
) -> Event:
    """One event: about an invitation (its round and member), a member, or a network."""
    if invitation is not None:
        member = invitation.member
        network = invitation.assessment.network
    elif member is not None:
        network = member.network
    actor = actor if actor is not None and actor.is_authenticated else None
    return Event.objects.create(
        kind=kind,
        network=network,
        assessment=invitation.assessment if invitation is not None else None,
        member=member,
        actor=actor,
    )
