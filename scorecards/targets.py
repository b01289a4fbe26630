"""Progress against the targets a network set at its last maturity-matrix meeting:
where this round puts each dimension (the meeting's agreed level, else the survey's
released median) against the target agreed last time."""

from __future__ import annotations

from django.db.models import Q

from meetings.models import MatrixSession
from meetings.selectors import agreed_levels, dimensions_of
from surveys.models import Assessment, Network

from .models import Release
from .selectors import latest_release


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


def _survey_medians(assessment: Assessment, release: Release | None) -> dict[str, float]:
    """Per dimension, the median current level from the latest release (pages read
    stored results, house rule 3); only dimensions the release showed."""
    if release is None or not release.data.get("released"):
        return {}
    dims = (release.data.get("matrix") or {}).get("dimensions") or {}
    threshold = assessment.anonymity_threshold
    return {
        code: d["median_current"]
        for code, d in dims.items()
        if d.get("median_current") is not None and (d.get("n") or 0) >= threshold
    }


def progress_against_targets(
    network: Network, assessment: Assessment, release: Release | None = None
) -> list[dict]:
    """For the dashboard: per dimension, the target set at the previous round's
    meeting against where this round puts the network. The level now is this
    round's agreed level once its meeting has closed, else the survey median
    (from ``release``, the round's latest, read here when not given).

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
    medians = _survey_medians(assessment, release or latest_release(assessment))
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
