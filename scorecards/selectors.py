"""Reading an assessment's answers into pandas frames: SQL built by the ORM and run on a
cursor, so 450,000 answers never become 450,000 model instances (house rule 5).
Only submitted responses count."""

import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from django.db import connection
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from surveys.instruments.validation import scale_items
from surveys.models import Answer, Assessment, Invitation, MatrixRating, Response, TextAnswer

from .models import Snapshot
from .scoring.stages import STAGE_RULES

SNAPSHOT_FORMAT = 1


@dataclass(frozen=True)
class Source:
    """What a snapshot is computed from; its key changes whenever any of it does."""

    count: int
    updated_at: object
    invited: int
    previous_key: str

    def key(self, assessment: Assessment) -> str:
        parts = [
            SNAPSHOT_FORMAT,
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


@dataclass
class AssessmentData:
    answers: pd.DataFrame
    items: pd.DataFrame
    importance: pd.DataFrame
    respondents: pd.DataFrame
    matrix: pd.DataFrame
    dimension_codes: list[str]
    texts: pd.DataFrame
    custom_answers: pd.DataFrame
    labels: dict = field(default_factory=dict)


def submitted(assessment: Assessment) -> QuerySet[Response]:
    return Response.objects.filter(assessment=assessment, submitted_at__isnull=False)


def previous_snapshot(assessment: Assessment) -> Snapshot | None:
    """The latest snapshot of the network's round before this one."""
    earlier = (
        Assessment.objects.filter(network_id=assessment.network_id)
        .filter(
            Q(opens_on__lt=assessment.opens_on)
            | Q(opens_on=assessment.opens_on, pk__lt=assessment.pk)
        )
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


def assessment_data(assessment: Assessment) -> AssessmentData:
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
    return AssessmentData(
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


def network_history(assessment: Assessment) -> list[tuple[str, str, int]]:
    """(title, closes_on, latest scorecard id) for the network's rounds up to this one,
    oldest first: two light queries; the snapshots themselves are loaded only when
    charts must be built (`snapshots_data`)."""
    rounds = list(
        Assessment.objects.filter(
            network_id=assessment.network_id, opens_on__lte=assessment.opens_on
        )
        .order_by("opens_on", "pk")
        .values_list("pk", "title", "closes_on")
    )
    newest: dict[int, int] = {}
    for pk, assessment_id in (
        Snapshot.objects.filter(assessment_id__in=[r[0] for r in rounds])
        .latest_first()
        .values_list("pk", "assessment_id")
    ):
        newest.setdefault(assessment_id, pk)
    return [(title, closes.isoformat(), newest[pk]) for pk, title, closes in rounds if pk in newest]


def snapshots_data(pks: list[int]) -> dict[int, dict]:
    return dict(Snapshot.objects.filter(pk__in=pks).values_list("pk", "data"))


def network_age_months(founded_on: date | None, on: date) -> float | None:
    if founded_on is None:
        return None
    return round((on - founded_on).days / 30.44, 1)
