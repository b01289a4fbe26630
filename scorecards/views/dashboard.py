"""Leaders' pages: the network's rounds, a round's dashboard, its comments and the
steering-group pack. Every page reads the round's latest release (never live answers,
never the internal snapshot) and the charts the worker drew with it: nothing is
aggregated or drawn here."""

import logging
import subprocess

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from meetings import selectors as meetings
from meetings.follow_up import question_code
from surveys import languages
from surveys.models import Assessment, Event

from .. import pdf, selectors, summaries, summary_words
from ..access import ResultsAccess, results_event, results_view
from ..models import Release
from ..releases import new_responses_needed
from ..scoring import findings
from ..scoring.breakdowns import BREAKDOWNS
from ..targets import progress_against_targets
from .language import in_asked_language, lang_query
from .summary import AUDIENCES

# The stage is told in words and a track of its own at the top of the dashboard.
NOT_ON_DASHBOARD = {"stage"}
RELATIONSHIPS = "relationships-"


log = logging.getLogger(__name__)


def _assessment(access: ResultsAccess, assessment_id: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("network", "health_scorecard", "matrix"),
        pk=assessment_id,
        network=access.network,
    )


@results_view
def results_overview(request: HttpRequest, access: ResultsAccess) -> HttpResponse:
    rounds = list(access.network.assessments.order_by("-opens_on", "-pk"))
    latest = selectors.latest_releases([a.pk for a in rounds])
    scored = [a for a in rounds if a.pk in latest]
    # The newest round's trend shows every round with results; one round is no trend.
    trend = selectors.stored_chart(latest[scored[0].pk], "trend") if len(scored) > 1 else None
    context = {
        "access": access,
        "network": access.network,
        "rounds": [(a, latest.get(a.pk)) for a in rounds],
        "trend": trend,
    }
    return render(request, "scorecards/results_overview.html", context)


@results_view
def assessment_dashboard(
    request: HttpRequest, access: ResultsAccess, assessment_id: int
) -> HttpResponse:
    assessment = _assessment(access, assessment_id)
    release = selectors.latest_release(assessment)
    context = {
        "access": access,
        "network": access.network,
        "assessment": assessment,
        "release": release,
        "release_needed": new_responses_needed(assessment)
        if access.is_coordinator and assessment.status != "closed"
        else None,
        # The pack and the exports may be fetched in the other language (`?lang=`).
        "other_language": next(iter(languages.others()), None),
        "pdf_on_server": pdf.chromium() is not None,
    }
    if release is not None:
        by = request.GET.get("by", "group")
        by = by if by in BREAKDOWNS else "group"
        context.update(_results(assessment, release))
        context.update(
            {
                "by": by,
                "breakdown_choices": BREAKDOWNS,
                "chart_list": _shown(release, by),
            }
        )
        if access.is_coordinator:
            context.update(_summary_panel(assessment))
    response = render(request, "scorecards/dashboard.html", context)
    # The coordinator's summary forms post from here: same-origin, not no-referrer
    # (with which Chrome posts them with `Origin: null` and CSRF refuses them).
    response["Referrer-Policy"] = "same-origin"
    return response


def _summary_panel(assessment: Assessment) -> dict:
    summary = summaries.live_summary_with_sent_count(assessment)
    return {
        "member_summary": summary,
        "member_summary_url": summaries.summary_url(summary) if summary else None,
        "summary_sent": summary.sent if summary else 0,
        "summary_audiences": AUDIENCES,
    }


def _shown(release: Release, by: str) -> list:
    """The dashboard's charts in reading order, with one group comparison: the one
    chosen (all are stored). How the network is connected has a section of its own."""
    return [
        chart
        for chart in selectors.charts_in(release)
        if chart["key"] not in NOT_ON_DASHBOARD
        and not chart["key"].startswith(RELATIONSHIPS)
        and chart.get("variant") in (None, by)
    ]


def relationship_charts(release: Release) -> list:
    """The relationship charts, when the round asked who works with whom."""
    if not (release.data or {}).get("relationships"):
        return []
    return [
        chart for chart in selectors.charts_in(release) if chart["key"].startswith(RELATIONSHIPS)
    ]


def _results(assessment: Assessment, release: Release) -> dict:
    """What the dashboard and the pack show besides the chart list."""
    labels = selectors.labels_for(assessment, languages.current())
    data = summary_words.in_language(release.data, labels)
    strengths, concerns = findings.strengths_and_concerns(data, labels)
    agreed = meetings.agreed_levels(assessment)
    actions = meetings.network_actions(assessment.network)
    # What members said about each action this round asked about, as released.
    said = {q["code"]: q for q in data.get("follow_up") or []}
    return {
        "data": data,
        "charts": {chart["key"]: chart for chart in selectors.charts_in(release)},
        "strengths": strengths,
        "concerns": concerns,
        "questions": findings.questions_for_steering_group(data, labels),
        "agreed_rows": [(labels.get(code, code), a) for code, a in agreed.items()],
        "actions": actions,
        "action_rows": [(a, said.get(question_code(a))) for a in actions],
        "targets": progress_against_targets(assessment.network, assessment, release),
        "comment_preview": data["comments"],
        "stage_position": findings.stage_position((data["stage"] or {}).get("stage")),
        "stages": findings.STAGES,
        "stage_reasons": findings.stage_reasons(data["stage"]),
        "story": findings.story(data, labels),
        "relationship_charts": relationship_charts(release),
    }


@results_view
def assessment_comments(
    request: HttpRequest, access: ResultsAccess, assessment_id: int
) -> HttpResponse:
    assessment = _assessment(access, assessment_id)
    release = assessment.releases.latest_first().only("number", "comments").first()
    comments = release.comments if release else {}
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
        "release": release,
        "comments": comments,
        "code": code,
        "page": page,
    }
    return render(request, "scorecards/comments.html", context)


def _pack(access: ResultsAccess, assessment_id: int) -> dict:
    assessment = _assessment(access, assessment_id)
    release = selectors.latest_release(assessment)
    context = {
        "access": access,
        "network": access.network,
        "assessment": assessment,
        "release": release,
        # The day it actually closed: early, on time, or (still open) when it will.
        "closed_on": timezone.localdate(assessment.closed_at)
        if assessment.closed_at
        else assessment.closes_on,
        "pdf_on_server": pdf.chromium() is not None,
    }
    if release is not None:
        context.update(_results(assessment, release))
        context["mix_chart"] = context["charts"].get("function-mix")
        context["group_chart"] = context["charts"].get("gaps-group")
    return context


@in_asked_language
@results_view
def steering_pack(request: HttpRequest, access: ResultsAccess, assessment_id: int) -> HttpResponse:
    context = _pack(access, assessment_id) | {"lang_query": lang_query(request)}
    return render(request, "scorecards/pack.html", context)


@in_asked_language
@results_view
def steering_pack_pdf(
    request: HttpRequest, access: ResultsAccess, assessment_id: int
) -> HttpResponse:
    """The pack as a PDF file, printed on the server from the same page."""
    context = _pack(access, assessment_id) | {"lang_query": lang_query(request)}
    if context["release"] is None or not context["pdf_on_server"]:
        # Nothing to print yet, or no printer here: the pack's page says which.
        pack = reverse("steering_pack", args=[context["network"].pk, assessment_id])
        return redirect(pack + context["lang_query"])
    html = render_to_string("scorecards/pack.html", context, request=request)
    try:
        document = pdf.html_to_pdf(html)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        log.warning("pack PDF failed for assessment %s: %s", assessment_id, error)
        return render(request, "scorecards/pack_pdf_failed.html", context, status=503)
    name = slugify(f"{context['network'].name} {context['assessment'].title} pack") + ".pdf"
    release = context["release"]
    results_event(
        request,
        access,
        Event.PACK_DOWNLOADED,
        assessment=context["assessment"],
        detail=f"Release {release.number}",
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
