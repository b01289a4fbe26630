"""Reads for the maturity-matrix meeting (framework section 5): what the room's views
are, what each table and the whole meeting agreed, and the actions taken home.

What the room thinks during the meeting, and the lowest-level rule, are in
`room.py`; writes are in `services.py`.

Results pages (in `scorecards`) call `agreed_levels` and `network_actions`."""

from __future__ import annotations

import csv
import io

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy

from surveys import languages
from surveys.models import Assessment, Network
from surveys.spreadsheets import neutralise

from .models import Action, AgreedLevel, MatrixSession, MeetingTable

# ---- the instrument's dimensions ---------------------------------------------------


def matrix_definition(assessment: Assessment) -> dict | None:
    """The round's maturity matrix in the active language (its companion translation
    file), codes untouched; None when the round has no matrix."""
    if assessment.matrix is None:
        return None
    return languages.localised(assessment.matrix.definition, languages.current())


def dimensions_of(assessment: Assessment) -> list[dict]:
    """The matrix's dimensions in order: code, title, description, levels, worded in
    the active language."""
    definition = matrix_definition(assessment)
    return list(definition.get("dimensions", [])) if definition else []


def level_labels(assessment: Assessment) -> list[str]:
    definition = matrix_definition(assessment)
    return list(definition.get("levels", [])) if definition else []


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


OWNER = ("owner_role__user", "owner_member")


def network_actions(network: Network) -> list[Action]:
    """For the dashboard: every action of the network's meetings, open ones first,
    then by due date."""
    return list(
        Action.objects.filter(session__assessment__network=network)
        .select_related("session__assessment", *OWNER)
        .order_by(OPEN_FIRST, "due_on", "pk")
    )


def action_for(network: Network, action_id: int) -> Action:
    """An action of this network's meetings only: another network's id is a 404."""
    return get_object_or_404(
        Action.objects.select_related("session__assessment__network"),
        pk=action_id,
        session__assessment__network=network,
    )


def actions_by_dimension(session: MatrixSession) -> list[dict]:
    """The meeting's actions grouped by dimension in the instrument's order; actions
    for no particular dimension come last."""
    actions = list(session.actions.select_related(*OWNER).order_by(OPEN_FIRST, "due_on", "pk"))
    groups = []
    for d in dimensions_of(session.assessment):
        mine = [a for a in actions if a.dimension == d["code"]]
        if mine:
            groups.append({"code": d["code"], "title": d["title"], "actions": mine})
    known = {d["code"] for d in dimensions_of(session.assessment)}
    rest = [a for a in actions if a.dimension not in known]
    if rest:
        groups.append({"code": "", "title": gettext("The network as a whole"), "actions": rest})
    return groups


# ---- the action plan as CSV --------------------------------------------------------

CSV_COLUMNS = [
    gettext_lazy("Dimension"),
    gettext_lazy("What"),
    gettext_lazy("Who"),
    gettext_lazy("Due"),
    gettext_lazy("Status"),
    gettext_lazy("Meeting"),
    gettext_lazy("Meeting date"),
]


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
                action.owner_name,
                action.due_on.isoformat(),
                action.get_status_display(),
                session.title,
                session.held_on.isoformat(),
            ]
            writer.writerow([csv_safe(c) for c in row])
    return buffer.getvalue()
