"""Invitations: members' personal links, emailed in batches, chased by reminders."""

import logging
import smtplib
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from .. import tokens
from ..emails import absolute_url, email_build
from ..models import Assessment, Invitation, Member, ReminderSent, Response

log = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 5
# A send claimed longer ago than this was interrupted (a worker died mid-send).
STUCK_AFTER = timedelta(minutes=15)
UNSUBSCRIBE_SALT = "netassess.unsubscribe"


class SendFailed(Exception):
    """The mail server refused or could not be reached; the invitation is queued again."""

    def __init__(self, attempts: int):
        super().__init__(f"send failed (attempt {attempts})")
        self.attempts = attempts


def invitation_url(invitation: Invitation) -> str:
    token = tokens.token_for(invitation.pk, invitation.token_salt)
    return absolute_url(reverse("survey_link", args=[token]))


def unsubscribe_url(member: Member) -> str:
    signed = signing.dumps(member.pk, salt=UNSUBSCRIBE_SALT)
    return absolute_url(reverse("unsubscribe", args=[signed]))


def _new_link(invitation: Invitation) -> None:
    invitation.token_salt = tokens.new_salt()
    invitation.token_hash = tokens.token_hash(
        tokens.token_for(invitation.pk, invitation.token_salt)
    )


def invitations_create(*, assessment: Assessment, members: QuerySet[Member]) -> list[Invitation]:
    """Invite members not invited yet (removed and unsubscribed members are skipped).
    Returns the new invitations; the caller enqueues their sending after commit."""
    invited = assessment.invitations.values("member_id")
    candidates = list(
        members.emailable().filter(network=assessment.network).exclude(pk__in=invited)
    )
    with transaction.atomic():
        created = Invitation.objects.bulk_create(
            [Invitation(assessment=assessment, member=m) for m in candidates], batch_size=1000
        )
        if created and created[0].pk is None:  # backends that do not return ids
            created = list(assessment.invitations.filter(member__in=candidates))
        for invitation in created:
            _new_link(invitation)
        Invitation.objects.bulk_update(created, ["token_salt", "token_hash"], batch_size=1000)
    return created


def invitation_claim_send(*, invitation_id: int) -> Invitation | None:
    """Take the right to send this invitation's email, or None if it is not queued (sent
    already, being sent by another worker, revoked...). This is what makes a send
    happen at most once however often the task runs."""
    claimed = Invitation.objects.filter(pk=invitation_id, status=Invitation.QUEUED).update(
        status=Invitation.SENDING,
        sending_started_at=timezone.now(),
        send_attempts=F("send_attempts") + 1,
    )
    if not claimed:
        return None
    return Invitation.objects.select_related("member", "assessment__network").get(pk=invitation_id)


def invitation_email(invitation: Invitation):
    assessment, member = invitation.assessment, invitation.member
    # Only {name} is filled in: the coordinator's text is never used as a format string.
    message = assessment.invitation_message.replace("{name}", member.name.split(" ")[0])
    context = {
        "member": member,
        "assessment": assessment,
        "network": assessment.network,
        "message": message,
        "url": invitation_url(invitation),
        "unsubscribe_url": unsubscribe_url(member),
    }
    return email_build(
        template="invitation",
        to=member.email,
        context=context,
        headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>"},
    )


def invitation_send(*, invitation_id: int, connection=None) -> str:
    """Send one claimed invitation. Returns what happened: sent, skipped or failed.
    Raises SendFailed when the mail server refused it and another try is due."""
    invitation = invitation_claim_send(invitation_id=invitation_id)
    if invitation is None:
        return "skipped"
    skip = _reason_not_to_send(invitation)
    if skip:
        status, reason = skip
        Invitation.objects.filter(pk=invitation.pk).update(status=status, failure_reason=reason)
        return "skipped"
    email = invitation_email(invitation)
    email.connection = connection
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        return _send_failed(invitation, error)
    # A member who had started before a resend stays "started" (one statement, no
    # extra round trip), so progress and reminder wording stay true.
    started = Exists(Response.objects.filter(invitation=OuterRef("pk")))
    Invitation.objects.filter(pk=invitation.pk, status=Invitation.SENDING).update(
        status=Case(
            When(started, then=Value(Invitation.STARTED)),
            default=Value(Invitation.SENT),
        ),
        sent_at=timezone.now(),
        failure_reason="",
    )
    return "sent"


def _reason_not_to_send(invitation: Invitation) -> tuple[str, str] | None:
    member = invitation.member
    if member.removed_at:
        return Invitation.REVOKED, "The member was removed before this was sent."
    if member.unsubscribed_at:
        return Invitation.OPTED_OUT, "The member unsubscribed before this was sent."
    if invitation.assessment.status == "closed":
        return Invitation.FAILED, "The assessment closed before this was sent."
    return None


def _send_failed(invitation: Invitation, error: Exception) -> str:
    reason = f"{type(error).__name__}: {error}"[:300]
    final = invitation.send_attempts >= MAX_SEND_ATTEMPTS
    Invitation.objects.filter(pk=invitation.pk, status=Invitation.SENDING).update(
        status=Invitation.FAILED if final else Invitation.QUEUED, failure_reason=reason
    )
    log.warning(
        "Invitation %s not sent (attempt %s): %s", invitation.pk, invitation.send_attempts, reason
    )
    if final:
        return "failed"
    raise SendFailed(invitation.send_attempts)


def invitations_release_stuck() -> int:
    """Sends interrupted mid-way (a worker killed) are marked failed, not retried: the
    email may have left, and a member must never get two copies. The coordinator sees
    the reason and can resend."""
    return Invitation.objects.filter(
        status=Invitation.SENDING, sending_started_at__lt=timezone.now() - STUCK_AFTER
    ).update(
        status=Invitation.FAILED,
        failure_reason="Interrupted while sending: it may not have arrived. Resend if needed.",
    )


def invitation_resend(*, invitation: Invitation) -> None:
    """A fresh link by email; the old link stops working. Also how a revoked invitation
    is restored. Refused when it would undo an answer or an opt-out, or send twice."""
    refusals = {
        Invitation.COMPLETED: "This member has already answered: there is nothing to resend.",
        Invitation.OPTED_OUT: "This member chose not to take part, so they are not emailed again.",
        Invitation.SENDING: "This invitation is being sent right now. Try again in a minute.",
    }
    if invitation.status in refusals:
        raise ValidationError(refusals[invitation.status])
    if invitation.assessment.status == "closed":
        raise ValidationError("This round has closed: extend it first, then resend.")
    _new_link(invitation)
    invitation.status = Invitation.QUEUED
    invitation.queued_at = timezone.now()
    invitation.failure_reason = ""
    invitation.revoked_at = None
    invitation.send_attempts = 0
    invitation.save(
        update_fields=[
            "token_salt",
            "token_hash",
            "status",
            "queued_at",
            "failure_reason",
            "revoked_at",
            "send_attempts",
        ]
    )


def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.status == Invitation.COMPLETED:
        # Revoking would drop a finished response from the counts without removing it.
        raise ValidationError("This member has already answered, so their link is used up.")
    invitation.status = Invitation.REVOKED
    invitation.revoked_at = timezone.now()
    invitation.token_hash = None
    invitation.save(update_fields=["status", "revoked_at", "token_hash"])


def invitation_copy_link(*, invitation: Invitation) -> str:
    """The member's link, for a coordinator to pass on another way. Refused once the
    member has started: the link would show their answers (quality T1). A resend puts a
    started invitation back to queued, so their response is checked too."""
    copyable = (Invitation.QUEUED, Invitation.SENT, Invitation.FAILED, Invitation.OPENED)
    started = Response.objects.filter(invitation_id=invitation.pk).exists()
    if invitation.status not in copyable or started:
        raise ValidationError(
            "This member has started or finished, so their link is private to them. "
            "Use Resend to email them a new one."
        )
    if invitation.assessment.status == "closed":
        raise ValidationError("This round has closed, so the link would not work. Extend it first.")
    invitation.link_copied_at = timezone.now()
    invitation.save(update_fields=["link_copied_at"])
    return invitation_url(invitation)


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
        member.invitations.filter(
            status__in=[s for s in Invitation.LIVE if s != Invitation.SENDING]
        ).update(status=Invitation.OPTED_OUT)
    return member


# ---- reminders --------------------------------------------------------------------


def reminder_slot_due(assessment: Assessment, today) -> int | None:
    """The reminder slot (days before closing) due today: the most recent one reached.
    Earlier slots missed (say, while the scheduler was down) are not sent late."""
    if not assessment.is_open:
        return None
    reached = [
        d for d in assessment.reminder_days if assessment.closes_on - timedelta(days=d) <= today
    ]
    return min(reached) if reached else None


def reminders_due(assessment: Assessment, slot: int) -> QuerySet[Invitation]:
    return (
        assessment.invitations.filter(
            status__in=[Invitation.SENT, Invitation.OPENED, Invitation.STARTED],
            member__removed_at__isnull=True,
            member__unsubscribed_at__isnull=True,
        )
        .exclude(Q(reminders__days_before__lte=slot))
        .select_related("member", "assessment__network")
    )


def reminder_send(*, invitation: Invitation, slot: int, connection=None) -> bool:
    """Claim the slot, then send; a slot already claimed is never sent again."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(invitation=invitation, days_before=slot)
    except IntegrityError:
        return False
    started = invitation.status == Invitation.STARTED
    email = email_build(
        template="reminder",
        to=invitation.member.email,
        context={
            "member": invitation.member,
            "assessment": invitation.assessment,
            "network": invitation.assessment.network,
            "started": started,
            "url": invitation_url(invitation),
            "unsubscribe_url": unsubscribe_url(invitation.member),
        },
    )
    email.connection = connection
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        log.warning("Reminder for invitation %s not sent: %s", invitation.pk, error)
        return False
    return True
