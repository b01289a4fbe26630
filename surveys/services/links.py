"""What can be done with a member's personal link: resend, revoke and copy it (the
coordinator's actions, whose rules are the Invitation's own), find the invitation a
link belongs to, and end links that no longer belong to the member."""

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .. import tokens
from ..emails import email_build
from ..models import Event, Invitation, Member, Response, User
from ..queue import enqueue_on_commit
from .events import event_record
from .invitations import (
    UNSUBSCRIBE_SALT,
    invitation_url,
    invitations_send_after_commit,
    link_renew,
    member_links,
)


def invitation_resend(*, invitation: Invitation, user: User | None = None) -> None:
    """A fresh link by email once committed; the old link stops working. Also how a
    revoked invitation is restored."""
    refusal = invitation.resend_refusal
    if refusal:
        raise ValidationError(refusal)
    checked = invitation.status
    link_renew(invitation)
    fields = {
        "token_salt": invitation.token_salt,
        "token_hash": invitation.token_hash,
        "status": Invitation.QUEUED,
        "queued_at": timezone.now(),
        "failure_reason": "",
        "revoked_at": None,
        "send_attempts": 0,
    }
    with transaction.atomic():
        # Conditional on the status the rule was checked against: if a worker claimed the
        # invitation meanwhile, it keeps it and this resend is refused, not sent twice.
        if not Invitation.objects.filter(pk=invitation.pk, status=checked).update(**fields):
            invitation.refresh_from_db()
            raise ValidationError(
                gettext("This invitation changed just now: look again, then retry.")
            )
        invitations_send_after_commit([invitation.pk])
        event_record(Event.INVITATION_RESENT, invitation=invitation, actor=user)
    for field, value in fields.items():
        setattr(invitation, field, value)


def invitation_revoke(*, invitation: Invitation, user: User | None = None) -> None:
    refusal = invitation.revoke_refusal
    if refusal:
        raise ValidationError(refusal)
    invitation.status = Invitation.REVOKED
    invitation.revoked_at = timezone.now()
    invitation.token_hash = None
    with transaction.atomic():
        invitation.save(update_fields=["status", "revoked_at", "token_hash"])
        event_record(Event.INVITATION_REVOKED, invitation=invitation, actor=user)


def invitation_copy_link(*, invitation: Invitation, user: User | None = None) -> str:
    """A new link for a coordinator to pass on another way. The emailed link stops
    working, the copy works once (its first use moves it into that browser and emails
    the member a fresh link of their own), and the copy is recorded: nobody but the
    member ever holds a working link to a started invitation (docs/privacy.md)."""
    refusal = invitation.copy_link_refusal
    if refusal:
        raise ValidationError(refusal)
    link_renew(invitation)
    invitation.link_copied_at = timezone.now()
    invitation.link_is_copy = True
    with transaction.atomic():
        invitation.save(
            update_fields=["token_salt", "token_hash", "link_copied_at", "link_is_copy"]
        )
        event_record(Event.LINK_COPIED, invitation=invitation, actor=user)
    return invitation_url(invitation)


def copied_link_first_use(*, invitation: Invitation) -> Invitation:
    """A copied link has just been opened: it stops working (the browser that opened it
    keeps the session), and the member is emailed a link of their own for any other
    device. Whoever answers through it may not be the member: the release says so."""
    if not invitation.link_is_copy:
        return invitation
    link_renew(invitation)
    invitation.link_is_copy = False
    invitation.copied_link_used_at = timezone.now()
    with transaction.atomic():
        invitation.save(
            update_fields=["token_salt", "token_hash", "link_is_copy", "copied_link_used_at"]
        )
        event_record(Event.COPIED_LINK_USED, invitation=invitation)
        _email_own_link(invitation.pk)
    return invitation


def _email_own_link(invitation_id: int) -> None:
    from ..tasks import send_own_link  # the tasks module imports this one

    enqueue_on_commit(send_own_link, invitation_id)


def invitations_end_for_new_address(*, member: Member) -> int:
    """A member's address changed: answers saved so far belong to the old address, so
    every open invitation ends (its link stops working, unsent answers are discarded)
    and a resend to the new address starts afresh. Submitted answers stay. Returns how
    many invitations ended."""
    ended = 0
    for invitation in member.invitations.select_related("assessment").exclude(
        status__in=[Invitation.COMPLETED, Invitation.OPTED_OUT, Invitation.REVOKED]
    ):
        Response.objects.filter(invitation=invitation, submitted_at__isnull=True).delete()
        invitation.status = Invitation.REVOKED
        invitation.revoked_at = timezone.now()
        invitation.token_hash = None
        invitation.link_is_copy = False
        invitation.opened_at = invitation.started_at = None
        invitation.save(
            update_fields=[
                "status", "revoked_at", "token_hash", "link_is_copy", "opened_at", "started_at"
            ]
        )  # fmt: skip
        ended += 1
    return ended


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link belongs to, if the link still works: not revoked, not used
    up, the member not removed or opted out, the assessment open."""
    if not tokens.looks_like_token(token):
        return None
    invitation = (
        Invitation.objects.select_related("member", "assessment")
        .filter(token_hash=tokens.token_hash(token))
        .first()
    )
    return invitation if invitation and invitation_is_live(invitation) else None


def invitation_is_live(invitation: Invitation) -> bool:
    return (
        invitation.status in Invitation.LIVE
        and invitation.member.removed_at is None
        and invitation.assessment.is_open
    )


def invitation_open(*, invitation: Invitation) -> None:
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk).update(
            opened_at=timezone.now(),
        )
    Invitation.objects.filter(
        pk=invitation.pk, status__in=[Invitation.SENT, Invitation.QUEUED, Invitation.FAILED]
    ).update(status=Invitation.OPENED)


def invitation_opt_out(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).exclude(status=Invitation.COMPLETED).update(
        status=Invitation.OPTED_OUT
    )


def member_unsubscribe_by_link(*, signed: str) -> Member | None:
    """Unsubscribe from all netassess email; live invitations become opted out."""
    try:
        member_id = signing.loads(signed, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        return None
    with transaction.atomic():
        if member.unsubscribed_at is None:
            member.unsubscribed_at = timezone.now()
            member.save(update_fields=["unsubscribed_at", "updated_at"])
            event_record(Event.MEMBER_UNSUBSCRIBED, member=member, detail="By their own link")
        member.invitations.filter(
            status__in=[s for s in Invitation.LIVE if s != Invitation.SENDING]
        ).update(status=Invitation.OPTED_OUT)
    return member


def own_link_send(*, invitation_id: int) -> bool:
    """Emails the member their own link after a copied link was used; claimed first, so
    it goes once. Returns whether it was sent."""
    claimed = Invitation.objects.filter(
        pk=invitation_id, copied_link_used_at__isnull=False, own_link_sent_at__isnull=True
    ).update(own_link_sent_at=timezone.now())
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("member", "assessment__network").get(
        pk=invitation_id
    )
    url = invitation_url(invitation)
    context = {
        "member": invitation.member,
        "assessment": invitation.assessment,
        "network": invitation.assessment.network,
        "url": url,
        **member_links(invitation.member, url),
    }
    email_build(
        template="own_link",
        to=invitation.member.email,
        context=context,
        language=invitation.member.language,
    ).send()
    return True


def address_change_notice(*, member_id: int, old_address: str) -> None:
    member = Member.objects.select_related("network").filter(pk=member_id).first()
    if member is None:
        return
    context = {"name": member.name, "network": member.network}
    email_build(
        template="address_changed", to=old_address, context=context, language=member.language
    ).send()
