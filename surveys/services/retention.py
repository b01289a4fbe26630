"""Retention (docs/retention.md): a round's raw data (responses with their answers,
comments, matrix ratings and roster ties; invitations and their reminders; the internal
snapshots) is deleted a network's retention period after the round closed, after two
warnings to its coordinators; the releases, the audited aggregates, stay. A legal hold
stops both the warnings and the deletion."""

import calendar
import logging
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from ..emails import absolute_url, email_build
from ..models import (
    Answer,
    Assessment,
    Event,
    Invitation,
    MatrixRating,
    NetworkRole,
    ReminderSent,
    Response,
    RetentionWarning,
    TextAnswer,
    Tie,
    User,
)
from ..signals import assessment_raw_deleting
from .events import event_record
from .invitations import SMTP_ERRORS

log = logging.getLogger(__name__)

# Coordinators are warned this many days before the deletion date, once each.
WARNING_DAYS = (30, 7)
# Deletion waits at least this long after the last warning went out.
LAST_WARNING = timedelta(days=min(WARNING_DAYS))


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def raw_data_due_on(assessment: Assessment, *, today: date | None = None) -> date | None:
    """When the round's raw data is due for deletion: the network's retention period
    after the day it really closed; None while it is open or scheduled."""
    closed = assessment.closed_on_as_of(today or timezone.localdate())
    if closed is None:
        return None
    return months_after(closed, assessment.network.retention_months)


def raw_data_deletion_on(assessment: Assessment, *, today: date | None = None) -> date | None:
    """The day the raw data will be deleted, as pages and warnings tell it: the due date,
    or a week after the last warning if that is later (it waits for a warning). None
    when it will not be (open, on hold, or gone already)."""
    today = today or timezone.localdate()
    due = raw_data_due_on(assessment, today=today)
    if due is None or assessment.legal_hold_reason or assessment.raw_deleted_at:
        return None
    warned = (
        assessment.retention_warnings.filter(due_on=due, days_before=min(WARNING_DAYS))
        .values_list("sent_on", flat=True)
        .first()
    )
    return max(due, (warned or today) + LAST_WARNING)


def retention_sweep(*, today: date | None = None) -> dict[str, int]:
    """Daily: warn about each round whose deletion date is 30 or 7 days away, and
    delete the raw data of each round whose date has come (a week after its last
    warning at the earliest). Safe to run twice: each warning is claimed, and deletion
    marks the round under a lock."""
    today = today or timezone.localdate()
    counts = {"warned": 0, "deleted": 0}
    # A round nobody was invited to holds no raw data: nothing to warn about or delete.
    invited = Invitation.objects.filter(assessment=OuterRef("pk"))
    rounds = (
        Assessment.objects.filter(raw_deleted_at__isnull=True, legal_hold_reason="")
        .filter(Q(closed_at__isnull=False) | Q(closes_on__lt=today))
        .filter(Exists(invited))
        .select_related("network")
    )
    for assessment in rounds:
        due = raw_data_due_on(assessment, today=today)
        if due is None or (due - today).days > max(WARNING_DAYS):
            continue
        deletion = raw_data_deletion_on(assessment, today=today)
        last_sent = assessment.retention_warnings.filter(
            due_on=due, days_before=min(WARNING_DAYS)
        ).exists()
        if last_sent and today >= deletion:
            counts["deleted"] += assessment_raw_delete(assessment_id=assessment.pk)
            continue
        slot = min(d for d in WARNING_DAYS if (due - today).days <= d)
        counts["warned"] += retention_warning_send(
            assessment=assessment, due_on=due, days_before=slot, today=today
        )
    return counts


def _coordinators(assessment: Assessment) -> list[User]:
    return list(
        User.objects.filter(
            network_roles__network_id=assessment.network_id,
            network_roles__role=NetworkRole.COORDINATOR,
            is_active=True,
        ).order_by("pk")
    )


def retention_warning_send(
    *, assessment: Assessment, due_on: date, days_before: int, today: date
) -> bool:
    """Claim the warning, then email each coordinator (never leaders or members). If
    none of the emails could leave, the claim is given back and tomorrow's run tries
    again: deletion waits for a warning that went out."""
    try:
        with transaction.atomic():
            warning = RetentionWarning.objects.create(
                assessment=assessment, due_on=due_on, days_before=days_before, sent_on=today
            )
    except IntegrityError:
        return False
    coordinators = _coordinators(assessment)
    deletion = max(due_on, today + LAST_WARNING) if days_before == min(WARNING_DAYS) else due_on
    page = reverse("assessment_detail", args=[assessment.network_id, assessment.pk])
    context = {
        "assessment": assessment,
        "network": assessment.network,
        "deletion_on": deletion,
        "months": assessment.network.retention_months,
        "url": absolute_url(page),
    }
    sent = 0
    with get_connection() as connection:
        for user in coordinators:
            email = email_build(
                template="retention_warning", to=user.email, context=context, language=user.language
            )
            email.connection = connection
            try:
                email.send()
            except SMTP_ERRORS as error:
                log.warning("Retention warning for round %s not sent: %s", assessment.pk, error)
                continue
            sent += 1
    if coordinators and not sent:
        warning.delete()
        return False
    event_record(
        Event.RETENTION_WARNING_SENT,
        assessment=assessment,
        detail=f"{days_before}-day warning to {sent} coordinator{'s' if sent != 1 else ''}: raw "
        f"answers to be deleted on {deletion:%d %B %Y}",
    )
    return True


def assessment_raw_delete(*, assessment_id: int) -> bool:
    """Delete a round's raw data and mark the round; its releases stay. Under a lock on
    the round, so a worker scoring it at the same moment either finishes first (and its
    snapshot goes too) or finds it deleted. Returns whether it deleted."""
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update().select_related("network").get(pk=assessment_id)
        )
        if assessment.raw_deleted_at is not None or assessment.legal_hold_reason:
            return False
        responses = Response.objects.filter(assessment=assessment)
        answered = responses.filter(submitted_at__isnull=False).count()
        # The snapshots (the other apps' raw-derived data) first, in this transaction.
        assessment_raw_deleting.send(sender=Assessment, assessment_id=assessment.pk)
        for model in (Answer, TextAnswer, MatrixRating, Tie):
            model.objects.filter(response__assessment=assessment).delete()
        responses.delete()
        ReminderSent.objects.filter(invitation__assessment=assessment).delete()
        invited, _ = Invitation.objects.filter(assessment=assessment).delete()
        assessment.raw_deleted_at = timezone.now()
        assessment.save(update_fields=["raw_deleted_at"])
        event_record(
            Event.RAW_DATA_DELETED,
            assessment=assessment,
            detail=f"{answered} responses and {invited} records of invitations deleted after "
            f"{assessment.network.retention_months} months; the releases are kept",
        )
    return True


def legal_hold_place(*, assessment: Assessment, user: User | None, reason: str) -> None:
    """Stop the round's raw data being deleted (and its warnings) until the hold is
    lifted; placing it again changes the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why the raw answers must be kept.")})
    if assessment.raw_deleted_at is not None:
        raise ValidationError(
            gettext(
                "The raw answers of this round were deleted under the network's retention "
                "period. There is nothing left to hold."
            )
        )
    assessment.legal_hold_reason = reason[:300]
    assessment.legal_hold_at = timezone.now()
    with transaction.atomic():
        assessment.save(update_fields=["legal_hold_reason", "legal_hold_at"])
        event_record(Event.LEGAL_HOLD_PLACED, assessment=assessment, actor=user, detail=reason)


def legal_hold_lift(*, assessment: Assessment, user: User | None, reason: str) -> None:
    """Let retention run again: deletion comes no sooner than a week after a fresh
    warning."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why the hold can be lifted.")})
    if not assessment.legal_hold_reason:
        raise ValidationError(gettext("This round is not on legal hold."))
    held = assessment.legal_hold_reason
    assessment.legal_hold_reason = ""
    assessment.legal_hold_at = None
    with transaction.atomic():
        assessment.save(update_fields=["legal_hold_reason", "legal_hold_at"])
        # Warnings sent before the hold are spent: the coordinators are warned afresh.
        assessment.retention_warnings.all().delete()
        event_record(
            Event.LEGAL_HOLD_LIFTED,
            assessment=assessment,
            actor=user,
            detail=f"{reason[:150]} (the hold was: {held[:130]})",
        )
