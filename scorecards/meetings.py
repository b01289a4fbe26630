"""Reads for the maturity-matrix meeting (framework section 5): what the room's views
are, what each table and the whole meeting agreed, and the actions taken home.

What the room thinks during the meeting, and the lowest-level rule, are in
`meeting_room.py`; writes are in `meeting_services.py`.

The dashboard calls `agreed_levels`, `network_actions` and `progress_against_targets`;
keep their signatures."""

from __future__ import annotations

import csv
import io

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from surveys.models import Assessment, Network

from .exports import neutralise
from .models import Action, AgreedLevel, MatrixSession, MeetingTable
from .selectors import latest_scorecard

# ---- the instrument's dimensions ---------------------------------------------------


def dimensions_of(assessment: Assessment) -> list[dict]:
    """The matrix's dimensions in order: code, title, description, levels."""
    if assessment.matrix is None:
        return []
    return list(assessment.matrix.definition.get("dimensions", []))


def level_labels(assessment: Assessment) -> list[str]:
    if assessment.matrix is None:
        return []
    return list(assessment.matrix.definition.get("levels", []))


# ---- meetings of a network ---------------------------------------------------------


def meetings_of(network: Network) -> QuerySet[MatrixSession]:
    return (
        MatrixSession.objects.filter(assessment__network=network)
        .select_related("assessment")
        .annotate(
            table_count=Count("tables", distinct=True),
            action_count=Count("actions", distinct=True),
            open_action_count=Count(
                "actions", filter=Q(actions__status=Action.OPEN), distinct=True
            ),
        )
    )


def meeting_for(network: Network, meeting_id: int) -> MatrixSession:
    """A meeting of this network only: another network's id is a 404."""
    return get_object_or_404(
        MatrixSession.objects.select_related("assessment__matrix", "assessment__network"),
        pk=meeting_id,
        assessment__network=network,
    )


def matrix_assessments(network: Network) -> QuerySet[Assessment]:
    """The rounds a meeting can be about: those with a maturity matrix."""
    return Assessment.objects.filter(network=network, matrix__isnull=False)


# ---- what was agreed ---------------------------------------------------------------


def recorded_levels(session: MatrixSession) -> dict[tuple[str, int | None], AgreedLevel]:
    """Every agreed level of a meeting keyed by (dimension, table id or None)."""
    rows = AgreedLevel.objects.filter(session=session).select_related("table")
    return {(a.dimension, a.table_id): a for a in rows}


def results_grid(session: MatrixSession, tables: list[MeetingTable]) -> list[dict]:
    """One row per dimension: each table's agreed level side by side, then the
    merged one, for the meeting's summary."""
    recorded = recorded_levels(session)
    return [
        {
            "dimension": d,
            "tables": [recorded.get((d["code"], t.pk)) for t in tables],
            "merged": recorded.get((d["code"], None)),
        }
        for d in dimensions_of(session.assessment)
    ]


def latest_closed_meeting(assessment: Assessment) -> MatrixSession | None:
    return (
        MatrixSession.objects.filter(assessment=assessment, status=MatrixSession.CLOSED)
        .order_by("-held_on", "-closed_at", "-pk")
        .first()
    )


def agreed_levels(assessment: Assessment) -> dict[str, dict]:
    """For the dashboard: dimension code -> {"level", "target", "priority", "range",
    "override_reason"} from the merged picture of the assessment's latest closed
    meeting; an empty dict when no meeting has closed. `range` is (lowest, highest)
    of the views, or None when not recorded."""
    session = latest_closed_meeting(assessment)
    if session is None:
        return {}
    merged = AgreedLevel.objects.filter(session=session, table__isnull=True)
    return {
        a.dimension: {
            "level": a.level,
            "target": a.target,
            "priority": a.priority,
            "range": a.range,
            "override_reason": a.override_reason,
        }
        for a in merged
    }


# ---- actions -----------------------------------------------------------------------

OPEN_FIRST = Case(
    When(status=Action.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
)


def network_actions(network: Network) -> list[Action]:
    """For the dashboard: every action of the network's meetings, open ones first,
    then by due date."""
    return list(
        Action.objects.filter(session__assessment__network=network)
        .select_related("session__assessment")
        .order_by(OPEN_FIRST, "due_on", "pk")
    )


def actions_by_dimension(session: MatrixSession) -> list[dict]:
    """The meeting's actions grouped by dimension in the instrument's order; actions
    for no particular dimension come last."""
    actions = list(session.actions.order_by(OPEN_FIRST, "due_on", "pk"))
    groups = []
    for d in dimensions_of(session.assessment):
        mine = [a for a in actions if a.dimension == d["code"]]
        if mine:
            groups.append({"code": d["code"], "title": d["title"], "actions": mine})
    known = {d["code"] for d in dimensions_of(session.assessment)}
    rest = [a for a in actions if a.dimension not in known]
    if rest:
        groups.append({"code": "", "title": "The network as a whole", "actions": rest})
    return groups


# ---- progress against targets ------------------------------------------------------


def previous_assessment_with_meeting(assessment: Assessment) -> Assessment | None:
    """The network's latest round before this one that has a closed meeting."""
    return (
        Assessment.objects.filter(network_id=assessment.network_id)
        .filter(
            Q(opens_on__lt=assessment.opens_on)
            | Q(opens_on=assessment.opens_on, pk__lt=assessment.pk)
        )
        .filter(matrix_sessions__status=MatrixSession.CLOSED)
        .select_related("matrix")
        .order_by("-opens_on", "-pk")
        .first()
    )


def _survey_medians(assessment: Assessment) -> dict[str, float]:
    """Per dimension, the median current level from the latest snapshot (pages read
    stored results, house rule 3); only dimensions the snapshot released."""
    scorecard = latest_scorecard(assessment)
    if scorecard is None or not scorecard.data.get("released"):
        return {}
    dims = (scorecard.data.get("matrix") or {}).get("dimensions") or {}
    threshold = assessment.anonymity_threshold
    return {
        code: d["median_current"]
        for code, d in dims.items()
        if d.get("median_current") is not None and (d.get("n") or 0) >= threshold
    }


def progress_against_targets(network: Network, assessment: Assessment) -> list[dict]:
    """For the dashboard: per dimension, the target set at the previous round's
    meeting against where this round puts the network. The level now is this
    round's agreed level once its meeting has closed, else the survey median.

    Each row: dimension, title, previous_level, target, priority (set last time),
    survey_median, agreed_level, now, source ("meeting", "survey" or None), gap
    (target - now), met (now >= target). An empty list when no earlier round of
    this network has a closed meeting, or when `assessment` is another network's."""
    if assessment.network_id != network.pk:
        return []
    previous = previous_assessment_with_meeting(assessment)
    if previous is None:
        return []
    before = agreed_levels(previous)
    now_agreed = agreed_levels(assessment)
    medians = _survey_medians(assessment)
    rows = []
    for d in dimensions_of(assessment) or dimensions_of(previous):
        code = d["code"]
        then = before.get(code, {})
        agreed = now_agreed.get(code, {}).get("level")
        median = medians.get(code)
        now = agreed if agreed is not None else median
        target = then.get("target")
        rows.append(
            {
                "dimension": code,
                "title": d["title"],
                "previous_level": then.get("level"),
                "target": target,
                "priority": bool(then.get("priority")),
                "survey_median": median,
                "agreed_level": agreed,
                "now": now,
                "source": "meeting"
                if agreed is not None
                else "survey"
                if median is not None
                else None,
                "gap": None if target is None or now is None else target - now,
                "met": None if target is None or now is None else now >= target,
            }
        )
    return rows


# ---- the action plan as CSV --------------------------------------------------------

CSV_COLUMNS = ["Dimension", "What", "Who", "Due", "Status", "Meeting", "Meeting date"]


def csv_safe(value) -> str:
    """Text for a CSV cell, neutralised against formulas like every export (S7)."""
    return neutralise("" if value is None else str(value))


def actions_csv(session: MatrixSession) -> str:
    """The meeting's action plan, every cell neutralised against formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(c) for c in CSV_COLUMNS])
    for group in actions_by_dimension(session):
        for action in group["actions"]:
            row = [
                group["title"],
                action.what,
                action.who,
                action.due_on.isoformat(),
                action.get_status_display(),
                session.title,
                session.held_on.isoformat(),
            ]
            writer.writerow([csv_safe(c) for c in row])
    return buffer.getvalue()
