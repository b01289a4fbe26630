"""The members' summary: publishing it, revoking it, reading it, and telling members.

A summary shows only what the round's latest release already publishes (the stage,
the domain scores, strengths and concerns) and the meeting's actions; nothing is
computed from answers here. Emails are claimed row by row, like invitations, so a
member is told about one summary at most once however often the coordinator sends."""

import contextlib
import logging
from datetime import timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from meetings import selectors as meetings
from surveys import tokens
from surveys.emails import absolute_url, email_build
from surveys.languages import current as current_language
from surveys.languages import with_language
from surveys.models import Assessment, Event, Invitation, Member
from surveys.queue import enqueue_on_commit
from surveys.services import event_record, member_links
from surveys.services.invitations import BATCH_SIZE, SMTP_ERRORS

from . import selectors, summary_words
from .models import MemberSummary, Release, SummaryEmail
from .scoring import findings

log = logging.getLogger(__name__)

EVERYONE, ANSWERED = "everyone", "answered"
AUDIENCES = [(EVERYONE, "Every invited member"), (ANSWERED, "Only those who answered")]
DOMAINS = ("purpose", "function", "form")
SUMMARY_PURPOSE = "summary"
# An email that could not leave for this long is news no more: the sweeper stops.
GIVE_UP_AFTER = timedelta(days=2)


class SendFailed(Exception):
    """Some emails of a batch met a mail server error; the task retries the batch."""


def summary_token(summary: MemberSummary) -> str:
    return tokens.token_for(summary.pk, summary.token_salt, SUMMARY_PURPOSE)


def summary_url(summary: MemberSummary) -> str:
    return absolute_url(reverse("member_summary_open", args=[summary_token(summary)]))


def live_summary(assessment: Assessment) -> MemberSummary | None:
    return assessment.member_summaries.filter(revoked_at__isnull=True).first()


def live_summary_with_sent_count(assessment: Assessment) -> MemberSummary | None:
    """For the dashboard: the live summary and how many members were told, one query."""
    sent = Count("emails", filter=Q(emails__sent_at__isnull=False))
    return assessment.member_summaries.filter(revoked_at__isnull=True).annotate(sent=sent).first()


def summary_for_token(token: str) -> MemberSummary | None:
    if not tokens.looks_like_token(token):
        return None
    return (
        MemberSummary.objects.select_related("assessment__network")
        .filter(token_hash=tokens.token_hash(token), revoked_at__isnull=True)
        .first()
    )


def member_summary_publish(*, assessment: Assessment, user) -> MemberSummary:
    """The round's live summary, made now if there is none. Only a released round has
    one: the summary reads the release."""
    if not assessment.releases.exists():
        raise ValueError("A round has a members' summary only once it has a release.")
    with transaction.atomic():
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        summary = live_summary(assessment)
        if summary is None:
            summary = MemberSummary.objects.create(
                assessment=assessment, token_salt=tokens.new_salt(), created_by=user
            )
            summary.token_hash = tokens.token_hash(summary_token(summary))
            summary.save(update_fields=["token_hash"])
            event_record(Event.SUMMARY_PUBLISHED, assessment=assessment, actor=user)
    return summary


def member_summary_revoke(*, summary: MemberSummary, user=None) -> None:
    with transaction.atomic():
        revoked = MemberSummary.objects.filter(pk=summary.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            event_record(Event.SUMMARY_REVOKED, assessment=summary.assessment, actor=user)


def member_summary_send(*, summary: MemberSummary, audience: str, user=None) -> int:
    """Queue an email for each chosen member not told about this summary yet; the
    emails leave once committed. Returns how many were queued now."""
    invitations = summary.assessment.invitations.all()
    if audience == ANSWERED:
        invitations = invitations.filter(status=Invitation.COMPLETED)
    members = Member.objects.emailable().filter(pk__in=invitations.values("member_id"))
    with transaction.atomic():
        told = SummaryEmail.objects.filter(summary=summary).values("member_id")
        created = SummaryEmail.objects.bulk_create(
            [SummaryEmail(summary=summary, member=m) for m in members.exclude(pk__in=told)],
            ignore_conflicts=True,
        )
        ids = list(
            SummaryEmail.objects.filter(summary=summary, sent_at__isnull=True, claimed_at=None)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        from .tasks import send_summary_emails  # the tasks module imports this one

        for start in range(0, len(ids), BATCH_SIZE):
            enqueue_on_commit(send_summary_emails, ids[start : start + BATCH_SIZE])
        event_record(
            Event.SUMMARY_SENT,
            assessment=summary.assessment,
            actor=user,
            detail=f"To {dict(AUDIENCES)[audience].lower()}: {len(created)} queued",
        )
    return len(created)


def summary_emails_send(*, email_ids: list[int]) -> dict[str, int]:
    """Send a batch over one connection. Each row is claimed by a conditional update
    before its email leaves, so a batch run twice never sends a member two copies."""
    counts = dict.fromkeys(("sent", "skipped", "retrying"), 0)
    rows = list(
        SummaryEmail.objects.filter(pk__in=email_ids, claimed_at=None, sent_at=None)
        .select_related("member", "summary__assessment__network")
        .order_by("pk")
    )
    counts["skipped"] = len(set(email_ids)) - len(rows)
    connection = get_connection()
    try:
        for row in rows:
            claimed = SummaryEmail.objects.filter(pk=row.pk, claimed_at=None).update(
                claimed_at=timezone.now()
            )
            if not claimed:
                counts["skipped"] += 1
                continue
            reason = _not_wanted(row)
            if reason:
                SummaryEmail.objects.filter(pk=row.pk).update(skipped_reason=reason)
                counts["skipped"] += 1
                continue
            try:
                connection.send_messages([_email(row)])
            except SMTP_ERRORS as error:
                log.warning("Summary email %s not sent: %s", row.pk, type(error).__name__)
                SummaryEmail.objects.filter(pk=row.pk).update(claimed_at=None)
                counts["retrying"] += 1
                with contextlib.suppress(*SMTP_ERRORS):
                    connection.close()
                continue
            SummaryEmail.objects.filter(pk=row.pk).update(sent_at=timezone.now())
            counts["sent"] += 1
    finally:
        with contextlib.suppress(*SMTP_ERRORS):
            connection.close()
    return counts


def summary_emails_waiting() -> list[int]:
    now = timezone.now()
    return list(
        SummaryEmail.objects.filter(
            claimed_at=None,
            sent_at=None,
            queued_at__lt=now - timedelta(minutes=2),
            queued_at__gt=now - GIVE_UP_AFTER,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )


def _not_wanted(row: SummaryEmail) -> str:
    if row.member.removed_at:
        return "The member was removed before this was sent."
    if row.member.unsubscribed_at:
        return "The member unsubscribed before this was sent."
    if row.summary.revoked_at:
        return "The summary was revoked before this was sent."
    return ""


def _email(row: SummaryEmail):
    assessment = row.summary.assessment
    url = summary_url(row.summary)
    context = {
        "member": row.member,
        "assessment": assessment,
        "network": assessment.network,
        # The summary opens in the member's language (`?lang=`), and its page can switch.
        "url": with_language(url, row.member.language),
        **member_links(row.member, url),
    }
    return email_build(
        template="member_summary",
        to=row.member.email,
        context=context,
        headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>"},
        language=row.member.language,
    )


def summary_content(assessment: Assessment, release: Release) -> dict:
    """What the public page shows, read from the release: the stage, the three domain
    scores as whole numbers (withheld ones as None), strengths and concerns."""
    language = current_language()
    labels = selectors.labels_for(assessment, language)
    data = summary_words.in_language(release.data, labels)
    strengths, concerns = findings.strengths_and_concerns(data, labels)
    domains = data.get("domains") or {}
    scores = [
        (labels.get(code, code.capitalize()), _whole(domains.get(code) or {}))
        for code in DOMAINS
        if code in domains
    ]
    stage = data.get("stage")
    if stage:
        stage = {
            **stage,
            "word": summary_words.stage_word(stage.get("stage", "")),
            "certainty_word": summary_words.certainty_word(stage.get("certainty", "")),
        }
    return {
        "released": data.get("released"),
        "stage": stage,
        "scores": scores,
        "strengths": strengths,
        "concerns": concerns,
        "actions": meetings.network_actions(assessment.network),
    }


def _whole(score: dict) -> int | None:
    pct = score.get("mean_pct")
    return None if pct is None or score.get("withheld") else round(pct)
