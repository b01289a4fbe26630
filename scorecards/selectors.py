"""Reading an assessment's answers into pandas frames: SQL built by the ORM and run on a
cursor, so 450,000 answers never become 450,000 model instances (house rule 5).
Only submitted responses count."""

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery

from meetings.models import MatrixSession
from meetings.selectors import agreed_levels
from surveys.instruments.validation import scale_items
from surveys.models import Answer, Assessment, Invitation, MatrixRating, Response, TextAnswer
from surveys.progress import assessment_group_progress

from .models import Snapshot
from .scoring.shape import FORMAT, GroupResponse, SnapshotData
from .scoring.snapshot import RoundFacts, RoundFrames
from .scoring.stages import STAGE_RULES


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
            STAGE_RULES,
        ]
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def submitted(assessment: Assessment) -> QuerySet[Response]:
    return Response.objects.filter(assessment=assessment, submitted_at__isnull=False)


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
    """What results pages read: scores and charts, not every comment."""
    return assessment.snapshots.defer("comments").latest_first().first()


def latest_results(assessment_ids: list[int]) -> dict[int, Snapshot]:
    """Each round's latest snapshot, with its headline figures only: one query."""
    found: dict[int, Snapshot] = {}
    for snapshot in (
        Snapshot.objects.filter(assessment_id__in=assessment_ids)
        .latest_first()
        .only("assessment_id", "stage", "confidence", "n_respondents")
    ):
        found.setdefault(snapshot.assessment_id, snapshot)
    return found


def stored_chart(snapshot: Snapshot, key: str) -> dict | None:
    """One of the charts drawn with a snapshot, read on its own."""
    charts = Snapshot.objects.filter(pk=snapshot.pk).values_list("charts", flat=True).first()
    return next((chart for chart in charts or [] if chart["key"] == key), None)


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
        Assessment.objects.annotate(done=submitted_count, scored=latest_count)
        .filter(done__gt=0)
        .values_list("pk", "done", "scored")
    )
    return [pk for pk, done, scored in rows if scored is None or done != scored]


def _frame(queryset, columns: list[str]) -> pd.DataFrame:
    """Run the queryset's SQL and build a frame from the raw rows. On PostgreSQL the rows
    come as CSV through COPY, several times faster than fetching Python tuples."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            query = raw.mogrify(sql, params).decode()
            buffer = io.StringIO()
            raw.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", buffer)
            buffer.seek(0)
            if not buffer.getvalue():
                return pd.DataFrame(columns=columns)
            return pd.read_csv(
                buffer,
                names=columns,
                header=None,
                keep_default_na=False,
                na_values={c: [""] for c in columns if c != "text"},
            )
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pd.DataFrame.from_records(rows, columns=columns)


def assessment_data(assessment: Assessment) -> RoundFrames:
    scorecard = assessment.health_scorecard.definition if assessment.health_scorecard else None
    matrix = assessment.matrix.definition if assessment.matrix else None
    responses = submitted(assessment)
    numbers = _frame(
        Answer.objects.filter(response__in=responses).values_list("response_id", "item", "value"),
        ["respondent", "item", "value"],
    )
    numbers["value"] = numbers["value"].astype("float64")
    items = pd.DataFrame(
        scale_items(scorecard) if scorecard else [],
        columns=["code", "text", "reverse", "subdimension", "domain"],
    ).rename(columns={"code": "item"})[["item", "subdimension", "domain", "reverse"]]
    importance_of = (
        {i["code"]: i["function"] for i in scorecard["function_importance"]["items"]}
        if scorecard
        else {}
    )
    importance = numbers[numbers["item"].isin(list(importance_of))].copy()
    importance["function"] = importance["item"].map(importance_of)
    return RoundFrames(
        answers=numbers[numbers["item"].isin(items["item"])].reset_index(drop=True),
        items=items,
        importance=importance[["respondent", "function", "value"]].reset_index(drop=True),
        respondents=_respondents(responses),
        matrix=_frame(
            MatrixRating.objects.filter(response__in=responses).values_list(
                "response_id", "dimension", "current", "target"
            ),
            ["respondent", "dimension", "current", "target"],
        ).astype({"current": "float64", "target": "float64"}),
        dimension_codes=[d["code"] for d in matrix["dimensions"]] if matrix else [],
        texts=_frame(
            TextAnswer.objects.filter(response__in=responses).values_list("question", "text"),
            ["question", "text"],
        ),
        custom_answers=numbers[numbers["item"].str.match(r"^X\d+$")].reset_index(drop=True),
        labels=labels_for(assessment),
    )


def _respondents(responses: QuerySet[Response]) -> pd.DataFrame:
    rows = responses.values_list("pk", "stakeholder_group", "profile")
    return pd.DataFrame.from_records(
        [
            (
                pk,
                group,
                profile.get("tenure"),
                profile.get("network_role"),
                profile.get("frequency"),
            )
            for pk, group, profile in rows
        ],
        columns=["respondent", "group", "tenure", "network_role", "frequency"],
    )


def labels_for(assessment: Assessment) -> dict:
    """Titles for every domain, sub-dimension and matrix dimension code."""
    scorecard = assessment.health_scorecard.definition if assessment.health_scorecard else None
    matrix = assessment.matrix.definition if assessment.matrix else None
    labels = {}
    for domain in (scorecard or {}).get("domains", []):
        labels[domain["code"]] = domain["title"]
        for sub in domain["subdimensions"]:
            labels[sub["code"]] = sub["title"]
    for dimension in (matrix or {}).get("dimensions", []):
        labels[dimension["code"]] = dimension["title"]
    return labels


def level_labels_for(assessment: Assessment) -> list[str]:
    return list(assessment.matrix.definition["levels"]) if assessment.matrix else []


def round_facts(assessment: Assessment, source: Source) -> RoundFacts:
    """What the snapshot needs besides the answers, read from the round's instruments,
    its own questions and its invitations."""
    scorecard = assessment.health_scorecard.definition if assessment.health_scorecard else {}
    return RoundFacts(
        threshold=assessment.anonymity_threshold,
        invited=source.invited,
        submitted=source.count,
        network_age_months=network_age_months(assessment.network.founded_on, assessment.closes_on),
        frequency_order=_frequency_order(scorecard),
        comment_questions={c["code"]: c["text"] for c in scorecard.get("comments", [])},
        custom_questions=list(assessment.custom_questions.values_list("code", "kind", "text")),
        response_by_group=_response_by_group(assessment),
    )


def _frequency_order(scorecard: dict) -> list[str] | None:
    """Options of the 'how often' profile question, least often first (the instrument
    lists them most often first)."""
    for question in scorecard.get("profile", []):
        if question["code"] == "frequency":
            return [o["value"] for o in reversed(question["options"])]
    return None


def _response_by_group(assessment: Assessment) -> list[GroupResponse]:
    """Invited and answered per stakeholder group. Who took part is not secret (the
    invitation list names them), so no group is hidden here."""
    return [
        GroupResponse(group=g.name, invited=g.invited, completed=g.completed, rate=g.rate)
        for g in assessment_group_progress(assessment)
    ]


# ---- what charts are drawn from ----------------------------------------------------


@dataclass(frozen=True)
class EarlierRound:
    title: str
    closes_on: str  # ISO date
    snapshot_id: int  # the round's latest snapshot
    data_key: str


@dataclass(frozen=True)
class ChartSources:
    """What a round's charts are drawn from besides its own snapshot: titles, the
    network's earlier rounds (for the trend) and the levels its meeting agreed."""

    title: str
    closes_on: str
    labels: dict[str, str]
    level_labels: list[str]
    earlier: list[EarlierRound]
    agreed: dict[str, int]

    def key(self, data_key: str) -> str:
        """Changes whenever the charts would: keyed on the snapshot's own key and on
        everything else above, so redrawing the same inputs can be skipped."""
        parts = [
            FORMAT,
            data_key,
            self.title,
            self.closes_on,
            self.labels,
            self.level_labels,
            [(r.title, r.closes_on, r.data_key) for r in self.earlier],
            sorted(self.agreed.items()),
        ]
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    def history(self, data: SnapshotData) -> list[tuple[str, str, SnapshotData]]:
        """(title, closes on, snapshot data) per round, oldest first, ending with this
        round's ``data``. Loads the earlier snapshots: only when charts are drawn."""
        found = dict(
            Snapshot.objects.filter(pk__in=[r.snapshot_id for r in self.earlier]).values_list(
                "pk", "data"
            )
        )
        rounds = [(r.title, r.closes_on, found[r.snapshot_id]) for r in self.earlier]
        return [*rounds, (self.title, self.closes_on, data)]


def chart_sources(assessment: Assessment) -> ChartSources:
    agreed = agreed_levels(assessment)
    return ChartSources(
        title=assessment.title,
        closes_on=assessment.closes_on.isoformat(),
        labels=labels_for(assessment),
        level_labels=level_labels_for(assessment),
        earlier=earlier_rounds(assessment),
        agreed={code: a["level"] for code, a in agreed.items()},
    )


def earlier_rounds(assessment: Assessment) -> list[EarlierRound]:
    """The network's rounds before this one that have a snapshot, oldest first, each
    with its latest snapshot: two light queries, no snapshot data."""
    rounds = list(
        Assessment.objects.filter(_earlier_than(assessment))
        .order_by("opens_on", "pk")
        .values_list("pk", "title", "closes_on")
    )
    newest: dict[int, tuple[int, str]] = {}
    for pk, assessment_id, data_key in (
        Snapshot.objects.filter(assessment_id__in=[r[0] for r in rounds])
        .latest_first()
        .values_list("pk", "assessment_id", "data_key")
    ):
        newest.setdefault(assessment_id, (pk, data_key))
    return [
        EarlierRound(title, closes.isoformat(), *newest[pk])
        for pk, title, closes in rounds
        if pk in newest
    ]


def later_rounds_scored(assessment: Assessment) -> list[int]:
    """The network's rounds after this one that have a snapshot: their trend charts
    include this round."""
    return list(
        Assessment.objects.filter(network_id=assessment.network_id, snapshots__isnull=False)
        .exclude(_earlier_than(assessment))
        .exclude(pk=assessment.pk)
        .distinct()
        .values_list("pk", flat=True)
    )


def charts_behind() -> list[int]:
    """Rounds whose latest snapshot's charts were never drawn, or drawn before something
    they show changed: a meeting of the round closed, or an earlier round of the
    network was scored again. What the sweeper redraws when a redraw task was lost."""
    latest = Snapshot.objects.filter(assessment=OuterRef("assessment")).latest_first()
    meeting_closed = MatrixSession.objects.filter(
        assessment=OuterRef("assessment"),
        status=MatrixSession.CLOSED,
        closed_at__gt=OuterRef("charts_drawn_at"),
    )
    earlier_rescored = Snapshot.objects.filter(
        Q(assessment__opens_on__lt=OuterRef("assessment__opens_on"))
        | Q(
            assessment__opens_on=OuterRef("assessment__opens_on"),
            assessment_id__lt=OuterRef("assessment_id"),
        ),
        assessment__network=OuterRef("assessment__network"),
        computed_at__gt=OuterRef("charts_drawn_at"),
    )
    return list(
        Snapshot.objects.filter(pk=Subquery(latest.values("pk")[:1]))
        .filter(Q(charts_drawn_at__isnull=True) | Exists(meeting_closed) | Exists(earlier_rescored))
        .values_list("assessment_id", flat=True)
    )


def network_age_months(founded_on: date | None, on: date) -> float | None:
    if founded_on is None:
        return None
    return round((on - founded_on).days / 30.44, 1)
