"""Reads for the coordinator's assessment pages: how far a round has got.

Everything here is computed from invitation statuses and member counts, grouped in the
database. Nothing reads an Answer, a TextAnswer or a MatrixRating: coordinators and
leaders learn who has responded, never what anyone answered (quality T1).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, ngettext

from .models import Assessment, Invitation, Member, Network

# Everyone asked, whatever happened next; a revoked invitation no longer counts.
INVITED_STATUSES = [status for status, _ in Invitation.STATUS_CHOICES if status != "revoked"]
# A per-day table longer than this shows only the days with completions.
MAX_DAYS_IN_FULL = 90


def rate(completed: int, invited: int) -> int | None:
    """Completed as a whole percentage of invited; None when nobody was invited."""
    return round(100 * completed / invited) if invited else None


# ---- the list of rounds ------------------------------------------------------------


def assessments_with_counts(network: Network) -> QuerySet[Assessment]:
    """Rounds with their invited and completed counts, in one query, latest first (said
    again: a grouped query does not take the model's default ordering)."""
    return network.assessments.annotate(
        invited_count=Count("invitations", filter=Q(invitations__status__in=INVITED_STATUSES)),
        completed_count=Count("invitations", filter=Q(invitations__status=Invitation.COMPLETED)),
    ).order_by("-opens_on", "-pk")


def rounds_of(network: Network) -> list[Assessment]:
    rounds = list(assessments_with_counts(network))
    for assessment in rounds:
        assessment.response_rate = rate(assessment.completed_count, assessment.invited_count)
    return rounds


def latest_round(network: Network) -> Assessment | None:
    """The most recent round (by opening date) with its counts, for the network's page."""
    assessment = assessments_with_counts(network).first()
    if assessment is not None:
        assessment.response_rate = rate(assessment.completed_count, assessment.invited_count)
    return assessment


def invitation_totals(assessment: Assessment) -> dict[str, int]:
    return assessment.invitations.aggregate(
        total=Count("pk"),
        invited=Count("pk", filter=Q(status__in=INVITED_STATUSES)),
        completed=Count("pk", filter=Q(status=Invitation.COMPLETED)),
    )


def status_counts(assessment: Assessment) -> dict[str, int]:
    rows = assessment.invitations.values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


# ---- progress of one round ---------------------------------------------------------


@dataclass(frozen=True)
class GroupProgress:
    name: str
    invited: int
    completed: int

    @property
    def rate(self) -> int | None:
        return rate(self.completed, self.invited)


@dataclass(frozen=True)
class DayCount:
    day: date
    completed: int
    total: int  # completions up to and including this day
    bar_percent: int  # width of this day's bar, relative to the busiest day


@dataclass(frozen=True)
class Progress:
    statuses: dict[str, int]
    groups: list[GroupProgress]
    days: list[DayCount]
    days_abridged: bool
    forecast: str

    @property
    def invited(self) -> int:
        return sum(n for s, n in self.statuses.items() if s in INVITED_STATUSES)

    @property
    def completed(self) -> int:
        return self.statuses.get(Invitation.COMPLETED, 0)

    @property
    def started(self) -> int:
        """Started but not finished."""
        return self.statuses.get(Invitation.STARTED, 0)

    @property
    def rate(self) -> int | None:
        return rate(self.completed, self.invited)

    @property
    def status_rows(self) -> list[tuple[str, int]]:
        return [(label, self.statuses.get(s, 0)) for s, label in Invitation.STATUS_CHOICES]


def _group_rows(assessment: Assessment) -> list[dict]:
    """One query: invitations counted by the member's stakeholder group and status.
    order_by() clears the model's ordering, which would otherwise split the groups."""
    return list(
        assessment.invitations.values("member__group__name", "member__group__position", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )


def group_progress(rows: list[dict], threshold: int) -> list[GroupProgress]:
    invited: Counter[str] = Counter()
    completed: Counter[str] = Counter()
    position: dict[str, int] = {}
    for row in rows:
        name = row["member__group__name"]
        position[name] = row["member__group__position"]
        if row["status"] in INVITED_STATUSES:
            invited[name] += row["n"]
        if row["status"] == Invitation.COMPLETED:
            completed[name] += row["n"]
    names = sorted(invited, key=lambda name: (position[name], name))
    return [GroupProgress(name, invited[name], completed[name]) for name in names]


def _completions_by_day(assessment: Assessment) -> dict[date, int]:
    rows = (
        assessment.invitations.filter(status=Invitation.COMPLETED, completed_at__isnull=False)
        .annotate(day=TruncDate("completed_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return {row["day"]: row["n"] for row in rows}


def day_series(counts: dict[date, int], start: date, end: date) -> tuple[list[DayCount], bool]:
    """Every day from start to end with its completions and the running total. A very
    long round shows only the days on which someone completed (the flag says so)."""
    if counts:
        start, end = min(start, min(counts)), max(end, max(counts))
    if end < start:
        return [], False
    span = (end - start).days + 1
    abridged = span > MAX_DAYS_IN_FULL
    days = sorted(counts) if abridged else [start + timedelta(days=i) for i in range(span)]
    busiest = max(counts.values(), default=0) or 1
    series, total = [], 0
    for day in days:
        total += counts.get(day, 0)
        n = counts.get(day, 0)
        series.append(DayCount(day, n, total, round(100 * n / busiest)))
    return series, abridged


def _last_day(assessment: Assessment, today: date) -> date:
    """The last day members could answer so far."""
    end = min(today, assessment.closes_on)
    if assessment.closed_at is not None:
        end = min(end, timezone.localdate(assessment.closed_at))
    return end


def extension_offered(assessment: Assessment, today: date) -> date:
    """What the extend form proposes: a week after the later of today and the closing
    date. Never past the calendar's last day, whatever date a round was stored with
    (a round closing on 31 December 9999 once made this page fail)."""
    later = max(assessment.closes_on, today)
    return later + timedelta(days=7) if later <= date.max - timedelta(days=7) else date.max


def pace_forecast(*, assessment: Assessment, completed: int, invited: int, today: date) -> str:
    """A plain sentence: will the anonymity threshold be reached by the closing date at
    the pace so far (completions per day since opening, times the days left)?"""
    threshold = assessment.anonymity_threshold
    closes = date_format(assessment.closes_on, "j F")
    status = assessment.status
    if status == "scheduled":
        opens = date_format(assessment.opens_on, "j F")
        return gettext("The round opens on %(date)s, so there is no pace to go on yet.") % {
            "date": opens
        }
    if status == "closed":
        if completed >= threshold:
            sentence = gettext(
                "The round has closed with %(completed)s completed: "
                "the threshold of %(threshold)s was reached."
            )
        else:
            sentence = gettext(
                "The round has closed with %(completed)s completed: "
                "the threshold of %(threshold)s was not reached."
            )
        return sentence % {"completed": completed, "threshold": threshold}
    if completed == 0:
        return gettext(
            "Nobody has completed the survey yet, so there is no pace to go on. At least "
            "%(threshold)s need to answer by %(date)s."
        ) % {"threshold": threshold, "date": closes}
    days_left = (assessment.closes_on - today).days
    elapsed = (today - assessment.opens_on).days + 1
    more = min(round(completed / elapsed * days_left), max(invited - completed, 0))
    if completed >= threshold:
        verdict = gettext("the threshold of %(threshold)s has been reached.")
    elif completed + more >= threshold:
        verdict = gettext("the threshold of %(threshold)s will be reached.")
    else:
        verdict = gettext(
            "the threshold of %(threshold)s will not be reached: "
            "encourage members to answer, or extend the round."
        )
    verdict = verdict % {"threshold": threshold}
    if days_left <= 0:
        return gettext("The round closes at the end of today: %(verdict)s") % {"verdict": verdict}
    return ngettext(
        "At the current pace about %(more)s more member will answer by %(date)s: %(verdict)s",
        "At the current pace about %(more)s more members will answer by %(date)s: %(verdict)s",
        more,
    ) % {"more": more, "date": closes, "verdict": verdict}


def assessment_progress(assessment: Assessment, today: date | None = None) -> Progress:
    """Everything the progress page shows, in two queries."""
    today = today or timezone.localdate()
    rows = _group_rows(assessment)
    statuses: Counter[str] = Counter()
    for row in rows:
        statuses[row["status"]] += row["n"]
    days, abridged = day_series(
        _completions_by_day(assessment), assessment.opens_on, _last_day(assessment, today)
    )
    invited = sum(n for s, n in statuses.items() if s in INVITED_STATUSES)
    return Progress(
        statuses=dict(statuses),
        groups=group_progress(rows, assessment.anonymity_threshold),
        days=days,
        days_abridged=abridged,
        forecast=pace_forecast(
            assessment=assessment,
            completed=statuses[Invitation.COMPLETED],
            invited=invited,
            today=today,
        ),
    )


# ---- who can be invited ------------------------------------------------------------

NEW, ALREADY_INVITED, UNSUBSCRIBED, REMOVED = "new", "invited", "unsubscribed", "removed"


@dataclass(frozen=True)
class Reach:
    """How a choice of members splits: who would be invited and who is skipped, why."""

    new: int = 0
    invited: int = 0
    unsubscribed: int = 0
    removed: int = 0

    @property
    def skipped(self) -> int:
        return self.invited + self.unsubscribed + self.removed


def _invited_here(assessment: Assessment) -> Exists:
    return Exists(Invitation.objects.filter(assessment=assessment, member=OuterRef("pk")))


def invite_reach(
    assessment: Assessment, members: QuerySet[Member] | None = None
) -> tuple[Reach, dict[int, Reach]]:
    """The reach of a choice of members (everyone by default) in total and by group, in
    one query. Each member falls in one category, checked in the order the service
    skips them: already invited first, then removed, then unsubscribed."""
    members = Member.objects.all() if members is None else members
    category = Case(
        When(_invited_here(assessment), then=Value(ALREADY_INVITED)),
        When(removed_at__isnull=False, then=Value(REMOVED)),
        When(unsubscribed_at__isnull=False, then=Value(UNSUBSCRIBED)),
        default=Value(NEW),
        output_field=CharField(),
    )
    rows = (
        members.filter(network_id=assessment.network_id)
        .annotate(category=category)
        .values("group_id", "category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_group: dict[int, Counter[str]] = {}
    total: Counter[str] = Counter()
    for row in rows:
        by_group.setdefault(row["group_id"], Counter())[row["category"]] += row["n"]
        total[row["category"]] += row["n"]
    return Reach(**total), {group: Reach(**counts) for group, counts in by_group.items()}


def invite_candidates(assessment: Assessment) -> QuerySet[Member]:
    """Current members to choose from, grouped for the page, each marked if invited."""
    return (
        Member.objects.current()
        .filter(network_id=assessment.network_id)
        .select_related("group")
        .annotate(already_invited=_invited_here(assessment))
        .order_by("group__position", "group__name", "name", "pk")
    )


def assessment_group_progress(assessment: Assessment) -> list[GroupProgress]:
    """Invited and completed counts per stakeholder group. Who took part is not secret
    (the invitation list names them), so nothing here is hidden; what they answered is
    never read here."""
    return group_progress(_group_rows(assessment), assessment.anonymity_threshold)
