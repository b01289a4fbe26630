"""The audit trail (append-only): one function records every event.

Where an event came from (the client address, as `surveys.client_address` finds it
behind the configured proxies) is taken from the request being served, which
`surveys.audit_address.AuditAddress` keeps for the length of the request, so the
services that record events need no request; work done by the worker has none."""

from contextvars import ContextVar

from ..models import Assessment, Event, Invitation, Member, Network, User

_address: ContextVar[str | None] = ContextVar("audit_address", default=None)


def address_set(address: str | None):
    """Keep `address` as the source of events recorded from here on; returns what
    `address_reset` needs."""
    return _address.set(address)


def address_reset(handle) -> None:
    _address.reset(handle)


def current_address() -> str | None:
    """The client address of the request being served, if any."""
    return _address.get()


def event_record(
    kind: str,
    *,
    network: Network | None = None,
    assessment: Assessment | None = None,
    invitation: Invitation | None = None,
    member: Member | None = None,
    actor: User | None = None,
    account: User | None = None,
    detail: str = "",
) -> Event:
    """One event: about an invitation (its round and member), a round, a member, an
    account or a network. ``detail`` is short and never holds an answer, a token or
    text a member typed."""
    if invitation is not None:
        member = invitation.member
        assessment = invitation.assessment
    if assessment is not None:
        network = assessment.network
    elif member is not None:
        network = member.network
    actor = actor if actor is not None and actor.is_authenticated else None
    return Event.objects.create(
        kind=kind,
        network=network,
        assessment=assessment,
        member=member,
        actor=actor,
        account=account,
        detail=detail[:300],
        address=_address.get(),
    )
