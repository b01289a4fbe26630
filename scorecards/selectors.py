"""Careful reads for results: snapshots (internal), releases (what readers see), what
the sweepers look for, and what a round's charts are drawn from."""

import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from meetings.models import MatrixSession
from meetings.selectors import agreed_levels
from surveys import languages
from surveys.models import Assessment, Invitation, Response

from . import answers
from .answers import submitted
from .models import Release, Snapshot
from .scoring.shape import FORMAT, SnapshotData
from .scoring.stages import LINES
from .summary_words import in_language


@dataclass(frozen=True)
class Source:
    """What a snapshot is computed from; its key changes whenever any of it does."""

    count: int
    updated_at: object
    invited: int
    previous_key: str

    def key(self, assessment: Assessment) -> str:
        parts = [
            FORMAT,
            assessment.pk,
            self.count,
            self.updated_at.isoformat() if self.updated_at else None,
            self.invited,
            self.previous_key,
            assessment.anonymity_threshold,
            assessment.closes_on.isoformat(),
            str(assessment.network.founded_on),
            assessment.health_scorecard.checksum if assessment.health_scorecard else None,
            assessment.matrix.checksum if assessment.matrix else None,
            list(assessment.custom_questions.values_list("code", "kind")),
            assessment.follow_up_questions,
            LINES,
        ]
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _earlier_than(assessment: Assessment) -> Q:
    """The network's rounds before this one: opened earlier, or the same day and made
    earlier."""
    return Q(network_id=assessment.network_id) & (
        Q(opens_on__lt=assessment.opens_on) | Q(opens_on=assessment.opens_on, pk__lt=assessment.pk)
    )


def previous_snapshot(assessment: Assessment) -> Snapshot | None:
    """The latest snapshot of the network's round before this one."""
    earlier = (
        Assessment.objects.filter(_earlier_than(assessment))
        .filter(snapshots__isnull=False)
        .order_by("-opens_on", "-pk")
        .first()
    )
    return earlier.snapshots.latest_first().first() if earlier else None


def source_state(assessment: Assessment, previous: Snapshot | None) -> Source:
    stats = submitted(assessment).aggregate(count=Count("pk"), updated_at=Max("submitted_at"))
    invited = assessment.invitations.exclude(status=Invitation.REVOKED).count()
    return Source(
        stats["count"], stats["updated_at"], invited, previous.data_key if previous else ""
    )


def latest_snapshot(assessment: Assessment) -> Snapshot | None:
    return assessment.snapshots.defer("comments").latest_first().first()


def latest_release(assessment: Assessment) -> Release | None:
    """What every results page reads: the round's latest release, scores and charts,
    not every comment."""
    return assessment.releases.for_readers().latest_first().first()


def latest_releases(assessment_ids: list[int]) -> dict[int, Release]:
    """Each round's latest release, with its headline figures only: one query."""
    found: dict[int, Release] = {}
    for release in (
        Release.objects.filter(assessment_id__in=assessment_ids)
        .order_by("assessment_id", "-number")
        .only("assessment_id", "number", "kind", "stage", "certainty", "n_respondents")
    ):
        found.setdefault(release.assessment_id, release)
    return found


def released_matrix_counts(assessment: Assessment) -> dict[str, dict[str, int] | None]:
    """Per matrix dimension, how many members chose each current level, as the round's
    latest release published it; None for a dimension it withheld."""
    release = assessment.releases.latest_first().only("data").first()
    if release is None or not release.data.get("released"):
        return {}
    dimensions = (release.data.get("matrix") or {}).get("dimensions") or {}
    return {
        code: None if dim.get("withheld") else dict(dim.get("current") or {})
        for code, dim in dimensions.items()
    }


def released_relationships(assessment: Assessment) -> dict | None:
    """The latest release's relationship figures and its group map, for the meeting;
    None when the round did not ask, or its figures were withheld. One query."""
    release = assessment.releases.latest_first().only("data", "charts").first()
    rel = (release.data.get("relationships") or {}) if release else {}
    if not rel or rel.get("withheld") or not release.data.get("released"):
        return None
    group_map = next((c for c in charts_in(release) if c["key"] == "relationships-groups"), None)
    # Its sentences in the reader's language.
    figures = in_language({"relationships": rel}, {})["relationships"]
    return {"figures": figures, "group_map": group_map}


def charts_in(release: Release, language: str | None = None) -> list:
    """A release's charts in a language (the active one by default), else in English,
    else none: charts drawn before they were drawn in every language are a plain list,
    which is English."""
    charts = release.charts or {}
    if isinstance(charts, list):
        charts = {languages.DEFAULT: charts}
    language = language or languages.current()
    return charts.get(language) or charts.get(languages.DEFAULT) or []


def stored_chart(release: Release, key: str) -> dict | None:
    """One of the charts drawn with a release, read on its own."""
    stored = Release.objects.filter(pk=release.pk).only("pk", "charts").first()
    drawn = charts_in(stored) if stored else []
    return next((chart for chart in drawn if chart["key"] == key), None)


def release_history(assessment: Assessment) -> list[Release]:
    """Every release of the round, oldest first, with what the audit needs."""
    return list(
        assessment.releases.order_by("number").only(
            "number", "respondents", "shown", "created_at", "n_respondents"
        )
    )


def assessments_to_release() -> list[int]:
    """Closed rounds (closed by hand, or past their closing date) whose answers are not
    all covered by their latest release: what the sweeper releases, so results appear
    even when the task at closing was lost (R4)."""
    today = timezone.localdate()
    submitted_count = Subquery(
        Response.objects.filter(assessment=OuterRef("pk"), submitted_at__isnull=False)
        .order_by()
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    covered = Subquery(
        Release.objects.filter(assessment=OuterRef("pk"))
        .order_by("-number")
        .values("n_respondents")[:1]
    )
    rows = (
        Assessment.objects.filter(Q(closed_at__isnull=False) | Q(closes_on__lt=today))
        .filter(raw_deleted_at__isnull=True)  # nothing left to release: the last stands
        .annotate(done=submitted_count, released=covered)
        .values_list("pk", "done", "released")
    )
    return [pk for pk, done, released in rows if released is None or (done or 0) > released]


def assessments_behind() -> list[int]:
    """Assessments whose submitted answers are newer than their latest snapshot: what
    the sweeper recomputes, so scores catch up after the queue was down (R4)."""
    latest_count = Subquery(
        Snapshot.objects.filter(assessment=OuterRef("pk")).latest_first().values("source_count")[:1]
    )
    submitted_count = Subquery(
        Response.objects.filter(assessment=OuterRef("pk"), submitted_at__isnull=False)
        .order_by()
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    rows = (
        Assessment.objects.filter(raw_deleted_at__isnull=True)
        .annotate(done=submitted_count, scored=latest_count)
        .filter(done__gt=0)
        .values_list("pk", "done", "scored")
    )
    return [pk for pk, done, scored in rows if scored is None or done != scored]


# ---- what charts are drawn from ----------------------------------------------------


@dataclass(frozen=True)
class EarlierRound:
    title: str
    closes_on: str  # ISO date
    release_id: int  # the round's latest release
    release_key: str  # what that release was made from, and which of them it is


@dataclass(frozen=True)
class ChartSources:
    """What a round's charts are drawn from besides its own release: titles, the
    network's earlier rounds' releases (for the trend) and the levels its meeting
    agreed."""

    title: str
    closes_on: str
    labels: dict[str, str]
    level_labels: list[str]
    earlier: list[EarlierRound]
    agreed: dict[str, int]
    group_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    language: str = languages.DEFAULT

    def key(self, data_key: str, drawn_in: list[str] | None = None) -> str:
        """Changes whenever the charts would: keyed on the snapshot's own key and on
        everything else above, so redrawing the same inputs can be skipped; and on the
        languages they are drawn in, so charts drawn in fewer are drawn again."""
        parts = [
            FORMAT,
            drawn_in or [self.language],
            data_key,
            self.title,
            self.closes_on,
            self.labels,
            self.level_labels,
            [(r.title, r.closes_on, r.release_key) for r in self.earlier],
            sorted(self.agreed.items()),
            self.group_labels,
        ]
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    def history(self, data: SnapshotData) -> list[tuple[str, str, SnapshotData]]:
        """(title, closes on, release data) per round, oldest first, ending with this
        round's ``data``. Loads the earlier releases: only when charts are drawn."""
        found = dict(
            Release.objects.filter(pk__in=[r.release_id for r in self.earlier]).values_list(
                "pk", "data"
            )
        )
        rounds = [(r.title, r.closes_on, found[r.release_id]) for r in self.earlier]
        return [*rounds, (self.title, self.closes_on, data)]


# ---- the instruments' words, in a language ---------------------------------------------
# Pages read these in the reader's language (the active one); the worker names English
# for what a release stores (answers.labels_for), and draws charts under the language
# it wants them in.


def labels_for(assessment: Assessment, language: str | None = None) -> dict:
    """Titles of every domain, sub-dimension and matrix dimension, and the text of
    every statement, in the language (the active one unless named)."""
    return answers.labels_for(assessment, language or languages.current())


def group_labels_for(assessment: Assessment, language: str | None = None) -> dict:
    """Words for the profile answers groups are named by, in the language (the active
    one unless named)."""
    return answers.group_labels_for(assessment, language or languages.current())


def level_labels_for(assessment: Assessment, language: str | None = None) -> list[str]:
    """The maturity matrix's level names, in the language (the active one unless named)."""
    return answers.level_labels_for(assessment, language or languages.current())


def chart_sources(assessment: Assessment, language: str = languages.DEFAULT) -> ChartSources:
    """What the charts are drawn from, the instrument's words in ``language``; group
    names typed by coordinators stay as typed."""
    agreed = agreed_levels(assessment)
    return ChartSources(
        title=assessment.title,
        closes_on=assessment.closes_on.isoformat(),
        earlier=earlier_rounds(assessment),
        agreed={code: a["level"] for code, a in agreed.items()},
        **chart_words(assessment, language),
    )


def chart_words(assessment: Assessment, language: str) -> dict:
    """The instrument's titles, matrix levels and profile answers in ``language`` (its
    companion file; English where a text has none), as ``ChartSources`` fields."""
    return {
        "labels": labels_for(assessment, language),
        "level_labels": level_labels_for(assessment, language),
        "group_labels": group_labels_for(assessment, language),
        "language": language,
    }


def earlier_rounds(assessment: Assessment) -> list[EarlierRound]:
    """The network's rounds before this one that have a release, oldest first, each
    with its latest release: two light queries, no release data."""
    rounds = list(
        Assessment.objects.filter(_earlier_than(assessment))
        .order_by("opens_on", "pk")
        .values_list("pk", "title", "closes_on")
    )
    newest: dict[int, tuple[int, str]] = {}
    for pk, assessment_id, key, number in (
        Release.objects.filter(assessment_id__in=[r[0] for r in rounds])
        .order_by("assessment_id", "-number")
        .values_list("pk", "assessment_id", "snapshot_key", "number")
    ):
        newest.setdefault(assessment_id, (pk, f"{key}:{number}"))
    return [
        EarlierRound(title, closes.isoformat(), *newest[pk])
        for pk, title, closes in rounds
        if pk in newest
    ]


def later_rounds_released(assessment: Assessment) -> list[int]:
    """The network's rounds after this one that have a release: their trend charts
    include this round."""
    return list(
        Assessment.objects.filter(network_id=assessment.network_id, releases__isnull=False)
        .exclude(_earlier_than(assessment))
        .exclude(pk=assessment.pk)
        .distinct()
        .values_list("pk", flat=True)
    )


def charts_behind() -> list[int]:
    """Rounds whose latest release's charts were never drawn, or drawn before something
    they show changed: a meeting of the round closed, or an earlier round of the network
    was released again. What the sweeper redraws when a redraw task was lost."""
    latest = Release.objects.filter(assessment=OuterRef("assessment")).order_by("-number")
    meeting_closed = MatrixSession.objects.filter(
        assessment=OuterRef("assessment"),
        status=MatrixSession.CLOSED,
        closed_at__gt=OuterRef("charts_drawn_at"),
    )
    earlier_released = Release.objects.filter(
        Q(assessment__opens_on__lt=OuterRef("assessment__opens_on"))
        | Q(
            assessment__opens_on=OuterRef("assessment__opens_on"),
            assessment_id__lt=OuterRef("assessment_id"),
        ),
        assessment__network=OuterRef("assessment__network"),
        created_at__gt=OuterRef("charts_drawn_at"),
    )
    return list(
        Release.objects.filter(pk=Subquery(latest.values("pk")[:1]))
        .filter(Q(charts_drawn_at__isnull=True) | Exists(meeting_closed) | Exists(earlier_released))
        .values_list("assessment_id", flat=True)
    )
