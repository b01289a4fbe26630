"""Invitations: members' personal links, emailed in batches, chased by reminders."""

import contextlib
import logging
import smtplib
from datetime import timedelta

from django.core import signing
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.urls import reverse
from django.utils import timezone

from .. import languages, tokens
from ..emails import absolute_url, email_build, language_links
from ..models import Assessment, Event, Invitation, Member, ReminderSent, User
from ..signals import assessment_opening
from .assessments import invitation_texts
from .erasure import erasure_url
from .events import event_record

log = logging.getLogger(__name__)

# Invitations are emailed in batches of this many, each batch over one SMTP connection.
BATCH_SIZE = 100
# A batch that left invitations queued is retried (with backoff) until each has had this
# many tries; an invitation that has is marked failed, with the reason, for the
# coordinator to see.
MAX_SEND_ATTEMPTS = 5
# A send claimed longer ago than this was interrupted (a worker died mid-send).
STUCK_AFTER = timedelta(minutes=15)
UNSUBSCRIBE_SALT = "netassess.unsubscribe"
# What a mail server that refuses a message, or cannot be reached, raises.
SMTP_ERRORS = (smtplib.SMTPException, OSError)


class SendFailed(Exception):
    """Some of a batch's invitations could not be sent and are queued again: the task
    that sent the batch is retried, and sends those (and only those) then."""

    def __init__(self, waiting: int):
        super().__init__(f"{waiting} invitation(s) queued again after a mail server error")
        self.waiting = waiting


def invitation_url(invitation: Invitation) -> str:
    token = tokens.token_for(invitation.pk, invitation.token_salt)
    return absolute_url(reverse("survey_link", args=[token]))


def unsubscribe_url(member: Member) -> str:
    signed = signing.dumps(member.pk, salt=UNSUBSCRIBE_SALT)
    return absolute_url(reverse("unsubscribe", args=[signed]))


def link_renew(invitation: Invitation) -> None:
    invitation.token_salt = tokens.new_salt()
    invitation.token_hash = tokens.token_hash(
        tokens.token_for(invitation.pk, invitation.token_salt)
    )


def invitations_create(*, assessment: Assessment, members: QuerySet[Member]) -> list[Invitation]:
    """Invitations (with their links) for the members not invited yet; removed and
    unsubscribed members are skipped. Nothing is emailed: see `assessment_invite`."""
    invited = assessment.invitations.values("member_id")
    candidates = list(
        members.emailable().filter(network=assessment.network).exclude(pk__in=invited)
    )
    with transaction.atomic():
        if candidates:
            assessment_open(assessment=assessment)
        created = Invitation.objects.bulk_create(
            [Invitation(assessment=assessment, member=m) for m in candidates], batch_size=1000
        )
        if created and created[0].pk is None:  # backends that do not return ids
            created = list(assessment.invitations.filter(member__in=candidates))
        for invitation in created:
            link_renew(invitation)
        Invitation.objects.bulk_update(created, ["token_salt", "token_hash"], batch_size=1000)
    return created


def assessment_open(*, assessment: Assessment) -> bool:
    """The round's first invitations are being made: once per round (claimed on
    `follow_up_taken_at`), let the other apps store what it should ask."""
    claimed = Assessment.objects.filter(pk=assessment.pk, follow_up_taken_at__isnull=True).update(
        follow_up_taken_at=timezone.now()
    )
    if claimed:
        assessment_opening.send(sender=Assessment, assessment=assessment)
    return bool(claimed)


def assessment_invite(
    *, assessment: Assessment, members: QuerySet[Member], user: User | None = None
) -> list[Invitation]:
    """Invite members to a round: their invitations now, the emails once committed."""
    with transaction.atomic():
        created = invitations_create(assessment=assessment, members=members)
        invitations_send_after_commit([invitation.pk for invitation in created])
        if created:
            count = len(created)
            event_record(
                Event.INVITATIONS_SENT,
                assessment=assessment,
                actor=user,
                detail=f"{count} member{'s' if count != 1 else ''} invited",
            )
    return created


def invitations_send_after_commit(invitation_ids: list[int]) -> None:
    from ..queue import enqueue_on_commit
    from ..tasks import send_invitations  # the tasks module imports this one

    for start in range(0, len(invitation_ids), BATCH_SIZE):
        enqueue_on_commit(send_invitations, invitation_ids[start : start + BATCH_SIZE])


def member_links(member: Member, url: str | None = None) -> dict:
    """The links every email to a member ends with, opening in their language, and the
    email's own link in each other language."""
    language = member.language
    context = {
        "unsubscribe_url": languages.with_language(unsubscribe_url(member), language),
        "erase_url": erasure_url(member),
    }
    if context["erase_url"]:
        context["erase_url"] = languages.with_language(context["erase_url"], language)
    if url is not None:
        context["other_languages"] = language_links(url, language)
    return context


def invitation_email(invitation: Invitation):
    assessment, member = invitation.assessment, invitation.member
    subject, message = invitation_texts(assessment, member.language)
    # Only {name} is filled in: the coordinator's text is never used as a format string.
    message = message.replace("{name}", member.name.split(" ")[0])
    url = invitation_url(invitation)
    context = {
        "member": member,
        "assessment": assessment,
        "network": assessment.network,
        "subject": subject,
        "message": message,
        "url": url,
        **member_links(member, url),
    }
    return email_build(
        template="invitation",
        to=member.email,
        context=context,
        headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>"},
        language=member.language,
    )


def invitations_send(*, invitation_ids: list[int]) -> dict[str, int]:
    """Email a batch of invitations over one SMTP connection. Each is claimed on its own
    just before its email leaves and marked sent just after, so a batch run twice, or by
    two workers at once, never sends a member two copies; a worker killed mid-send
    leaves one invitation in doubt, which `invitations_release_stuck` reports.

    Returns how many were sent, skipped (no longer queued), failed (given up) and left
    queued for the task's retry."""
    counts = dict.fromkeys(("sent", "skipped", "failed", "retrying"), 0)
    # The batch is read once. A resend made since changes the link, so the claim (which
    # checks the link too) fails and the resend's own task sends the new one.
    queued = list(
        Invitation.objects.filter(pk__in=invitation_ids, status=Invitation.QUEUED)
        .select_related("member", "assessment__network")
        .order_by("pk")
    )
    counts["skipped"] = len(set(invitation_ids)) - len(queued)
    connection = get_connection()
    delivered = None  # sent, and marked so in the same commit as the next claim
    try:
        for position, invitation in enumerate(queued):
            # Every commit waits for the disk; one for both halves the waiting, and the
            # order of events is the same: marked sent before the next email leaves.
            with transaction.atomic():
                if delivered:
                    _mark_sent(delivered)
                claimed = _claim(invitation)
            delivered = None
            if not claimed or _no_longer_wanted(invitation):
                counts["skipped"] += 1
                continue
            email = invitation_email(invitation)
            try:
                connection.open()  # once per batch, again only after an error
            except SMTP_ERRORS as error:
                # The server cannot be reached: the rest of the batch waits for the retry
                # rather than each trying a dead server in turn.
                counts[_send_failed(invitation, error)] += 1
                counts["retrying"] += len(queued) - position - 1
                break
            try:
                connection.send_messages([email])
            except SMTP_ERRORS as error:
                counts[_send_failed(invitation, error)] += 1
                _hang_up(connection)  # the next one starts a fresh session
                continue
            delivered = invitation
            counts["sent"] += 1
    finally:
        if delivered:
            _mark_sent(delivered)
        _hang_up(connection)
    return counts


def _claim(invitation: Invitation) -> bool:
    """Take the right to send this invitation's email: one conditional update, which
    only one caller can win, however often the batch runs."""
    claimed = Invitation.objects.filter(
        pk=invitation.pk, status=Invitation.QUEUED, token_hash=invitation.token_hash
    ).update(
        status=Invitation.SENDING,
        sending_started_at=timezone.now(),
        send_attempts=F("send_attempts") + 1,
    )
    if not claimed:
        return False
    invitation.send_attempts += 1
    return True


def _no_longer_wanted(invitation: Invitation) -> bool:
    """A claimed invitation that must not be emailed after all is closed with the reason."""
    member = invitation.member
    if member.removed_at:
        status, reason = Invitation.REVOKED, "The member was removed before this was sent."
    elif member.unsubscribed_at:
        status, reason = Invitation.OPTED_OUT, "The member unsubscribed before this was sent."
    elif invitation.assessment.status == "closed":
        status, reason = Invitation.FAILED, "The assessment closed before this was sent."
    else:
        return False
    Invitation.objects.filter(pk=invitation.pk).update(status=status, failure_reason=reason)
    return True


def _mark_sent(invitation: Invitation) -> None:
    # A member who had started before a resend stays "started", so progress and
    # reminder wording stay true. The started_at read with the batch is still right:
    # starting changes the status, and the claim (on the status) would have failed.
    status = Invitation.SENT if invitation.started_at is None else Invitation.STARTED
    Invitation.objects.filter(pk=invitation.pk, status=Invitation.SENDING).update(
        status=status, sent_at=timezone.now(), failure_reason=""
    )


def _send_failed(invitation: Invitation, error: Exception) -> str:
    """Queued again for the batch's retry, or failed for good after the last try; the
    reason is kept either way, for the coordinator to see."""
    reason = f"{type(error).__name__}: {error}"[:300]
    final = invitation.send_attempts >= MAX_SEND_ATTEMPTS
    Invitation.objects.filter(pk=invitation.pk, status=Invitation.SENDING).update(
        status=Invitation.FAILED if final else Invitation.QUEUED, failure_reason=reason
    )
    log.warning(
        "Invitation %s not sent (attempt %s): %s", invitation.pk, invitation.send_attempts, reason
    )
    return "failed" if final else "retrying"


def _hang_up(connection) -> None:
    with contextlib.suppress(*SMTP_ERRORS):  # a session that broke is gone either way
        connection.close()


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


# ---- reminders --------------------------------------------------------------------


def reminder_slot_due(assessment: Assessment, today) -> int | None:
    """The reminder slot (days before closing) due today: the most recent one reached.
    Earlier slots missed (say, while the scheduler was down) are not sent late."""
    if not assessment.is_open:
        return None
    # Counted in days rather than by subtracting from the closing date, which a date
    # near the calendar's first day could not survive.
    days_left = (assessment.closes_on - today).days
    reached = [d for d in assessment.reminder_days if days_left <= d]
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
        # How long the round's scorecard takes, read in the same query; None without one.
        .annotate(minutes=KeyTextTransform("minutes", "assessment__health_scorecard__definition"))
    )


def reminder_send(*, invitation: Invitation, slot: int, connection=None) -> bool:
    """Claim the slot, then send; a slot already claimed is never sent again."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(invitation=invitation, days_before=slot)
    except IntegrityError:
        return False
    started = invitation.status == Invitation.STARTED
    url = invitation_url(invitation)
    email = email_build(
        template="reminder",
        to=invitation.member.email,
        context={
            "member": invitation.member,
            "assessment": invitation.assessment,
            "network": invitation.assessment.network,
            "started": started,
            "minutes": getattr(invitation, "minutes", None),
            "url": url,
            **member_links(invitation.member, url),
        },
        language=invitation.member.language,
    )
    email.connection = connection
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        log.warning("Reminder for invitation %s not sent: %s", invitation.pk, error)
        return False
    return True
