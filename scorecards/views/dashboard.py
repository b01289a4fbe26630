"""Leaders' pages: the network's rounds, a round's dashboard, its comments and the
steering-group pack. Every page reads stored snapshots; nothing is aggregated here."""

import functools
import hashlib
import json

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from meetings import selectors as meetings
from surveys.models import Assessment

from .. import charts, selectors
from ..access import ResultsAccess, results_view
from ..models import Snapshot
from ..scoring import findings
from ..targets import progress_against_targets

CHART_CACHE_SECONDS = 24 * 3600
BREAKDOWNS = charts.BREAKDOWNS  # group, tenure, network_role: how groups can be compared


def _assessment(access: ResultsAccess, assessment_id: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("network", "health_scorecard", "matrix"),
        pk=assessment_id,
        network=access.network,
    )


@results_view
def results_overview(request: HttpRequest, access: ResultsAccess) -> HttpResponse:
    rounds = list(
        access.network.assessments.select_related("health_scorecard", "matrix").order_by(
            "-opens_on", "-pk"
        )
    )
    history = selectors.network_history(rounds[0]) if rounds else []
    trend = None
    if len(history) > 1:
        labels = selectors.labels_for(rounds[0])
        trend = _cached_charts(
            [("trend", [pk for _, _, pk in history])],
            lambda: [charts.trend(_history_data(history), labels)],
        )[0]
    latest_ids = [pk for _, _, pk in history]
    stages = {
        s.assessment_id: s
        for s in Snapshot.objects.filter(pk__in=latest_ids).only(
            "assessment_id", "stage", "confidence", "n_respondents"
        )
    }
    context = {
        "access": access,
        "network": access.network,
        "rounds": [(a, stages.get(a.pk)) for a in rounds],
        "trend": trend,
    }
    return render(request, "scorecards/results_overview.html", context)


@results_view
def assessment_dashboard(
    request: HttpRequest, access: ResultsAccess, assessment_id: int
) -> HttpResponse:
    assessment = _assessment(access, assessment_id)
    snapshot = selectors.latest_snapshot(assessment)
    context = {
        "access": access,
        "network": access.network,
        "assessment": assessment,
        "snapshot": snapshot,
    }
    if snapshot is None:
        return render(request, "scorecards/dashboard.html", context)
    data = snapshot.data
    labels = selectors.labels_for(assessment)
    by = request.GET.get("by", "group")
    by = by if by in BREAKDOWNS else "group"
    context.update(_dashboard_parts(assessment, snapshot, labels, by))
    context.update({"data": data, "by": by, "breakdown_choices": BREAKDOWNS, "labels": labels})
    return render(request, "scorecards/dashboard.html", context)


def _dashboard_parts(assessment, snapshot, labels: dict, by: str) -> dict:
    data = snapshot.data
    history = selectors.network_history(assessment)
    agreed = meetings.agreed_levels(assessment)
    agreed_levels = {code: a["level"] for code, a in agreed.items()}
    key_parts = [
        ("dash", [pk for _, _, pk in history] or [snapshot.pk]),
        ("agreed", sorted(agreed_levels.items())),
    ]
    chosen_gap = f"gaps-{by.replace('_', '-')}"
    gap_keys = {f"gaps-{b.replace('_', '-')}" for b in BREAKDOWNS}

    @functools.cache
    def chart_list() -> list:
        """Built (or read from the cache) only if the template asks: a cached page body
        needs no charts at all."""
        built = _cached_charts(
            key_parts,
            lambda: charts.all_charts(
                data,
                labels,
                selectors.level_labels_for(assessment),
                history=_history_data(history),
                agreed=agreed_levels or None,
            ),
        )
        # One group comparison at a time, and no stage chart: the stage is told in
        # words and a track of its own at the top of the page.
        return [
            c for c in built if c.key != "stage" and (c.key not in gap_keys or c.key == chosen_gap)
        ]

    strengths, concerns = findings.strengths_and_concerns(data, labels)
    actions = meetings.network_actions(assessment.network)
    targets = progress_against_targets(assessment.network, assessment)
    # The rendered page body is cached too (a template fragment): everything in it
    # follows from the snapshots, the agreed levels, the actions and the comparison.
    body_key = [
        key_parts,
        by,
        [(a.pk, a.status, a.what, a.who, str(a.due_on)) for a in actions],
        targets,
    ]
    return {
        "body_key": hashlib.sha256(json.dumps(body_key, default=str).encode()).hexdigest(),
        "charts": lambda: {chart.key: chart for chart in chart_list()},
        "chart_list": chart_list,
        "strengths": strengths,
        "concerns": concerns,
        "questions": findings.questions_for_steering_group(data, labels),
        "agreed_rows": [(labels.get(code, code), a) for code, a in agreed.items()],
        "actions": actions,
        "targets": targets,
        "comment_preview": data.get("comments") or {},
        "stage_position": findings.stage_position((data.get("stage") or {}).get("stage")),
        "stages": findings.STAGES,
        "stage_reasons": findings.stage_reasons(data.get("stage")),
    }


def _history_data(history: list[tuple[str, str, int]]) -> list[tuple[str, str, dict]]:
    data = selectors.snapshots_data([pk for _, _, pk in history])
    return [(title, closes, data[pk]) for title, closes, pk in history]


def _cached_charts(key_parts, build):
    """Charts are built once per set of snapshots and cached: a snapshot never changes,
    so the key (its ids and what else went into the figures) is enough."""
    key = "charts:" + hashlib.sha256(json.dumps(key_parts, default=str).encode()).hexdigest()
    built = cache.get(key)
    if built is None:
        built = build()
        cache.set(key, built, CHART_CACHE_SECONDS)
    return built


@results_view
def assessment_comments(
    request: HttpRequest, access: ResultsAccess, assessment_id: int
) -> HttpResponse:
    assessment = _assessment(access, assessment_id)
    snapshot = assessment.snapshots.latest_first().only("comments").first()
    comments = snapshot.comments if snapshot else {}
    code = request.GET.get("question") or next(iter(comments), None)
    if comments and code not in comments:
        raise Http404
    page = (
        Paginator(comments[code]["answers"], 50).get_page(request.GET.get("page"))
        if code in comments
        else None
    )
    context = {
        "access": access,
        "network": access.network,
        "assessment": assessment,
        "snapshot": snapshot,
        "comments": comments,
        "code": code,
        "page": page,
    }
    return render(request, "scorecards/comments.html", context)


@results_view
def steering_pack(request: HttpRequest, access: ResultsAccess, assessment_id: int) -> HttpResponse:
    assessment = _assessment(access, assessment_id)
    snapshot = selectors.latest_snapshot(assessment)
    context = {
        "access": access,
        "network": access.network,
        "assessment": assessment,
        "snapshot": snapshot,
    }
    if snapshot is not None:
        labels = selectors.labels_for(assessment)
        context.update(_dashboard_parts(assessment, snapshot, labels, "group"))
        context.update({"data": snapshot.data, "labels": labels})
    return render(request, "scorecards/pack.html", context)
