"""The results as CSV and as a workbook, read from the round's latest release only."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import pgettext

from meetings import selectors as meetings
from surveys.models import Event

from .. import exports, selectors
from ..access import ResultsAccess, results_event, results_view
from ..models import Release
from .dashboard import _assessment
from .language import in_asked_language

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tables(assessment, release) -> list[exports.Table]:
    return exports.result_tables(
        release.data if release else {},
        selectors.labels_for(assessment),
        selectors.group_labels_for(assessment),
    )


def _facts(assessment, release) -> exports.ReleaseFacts:
    audit = (release.audit if release else None) or {}
    context = ((release.data if release else None) or {}).get("context") or {}
    made = timezone.localtime(release.created_at) if release else None
    return exports.ReleaseFacts(
        round_title=assessment.title,
        number=release.number if release else None,
        kind=_kind(release) if release else "",
        made_on=date_format(made, "j M Y, H:i") if made else "",
        respondents=release.n_respondents if release else 0,
        threshold=context.get("threshold") or assessment.anonymity_threshold,
        cells=audit.get("cells", 0),
        too_few=audit.get("too_few", 0),
        held_back=audit.get("held_back", 0),
    )


def _kind(release: Release) -> str:
    if release.kind == Release.INTERIM:
        return pgettext("release", "interim")
    return pgettext("release", "at closing")


def _download(content, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _recorded(request, access: ResultsAccess, assessment, release, form: str) -> None:
    number = f"release {release.number}" if release else "no release yet"
    results_event(
        request, access, Event.RESULTS_EXPORTED, assessment=assessment, detail=f"{form}, {number}"
    )


@in_asked_language
@results_view
def export_csv(request: HttpRequest, access: ResultsAccess, assessment_id: int) -> HttpResponse:
    assessment = _assessment(access, assessment_id)
    release = selectors.latest_release(assessment)
    name = f"{slugify(assessment.title) or 'results'}.csv"
    content = exports.to_csv(_tables(assessment, release))
    _recorded(request, access, assessment, release, "CSV")
    return _download(content, "text/csv; charset=utf-8", name)


@in_asked_language
@results_view
def export_xlsx(request: HttpRequest, access: ResultsAccess, assessment_id: int) -> HttpResponse:
    assessment = _assessment(access, assessment_id)
    release = selectors.latest_release(assessment)
    labels = selectors.labels_for(assessment)
    actions = exports.action_table(meetings.network_actions(assessment.network), labels)
    tables = [*_tables(assessment, release), actions]
    name = f"{slugify(assessment.title) or 'results'}.xlsx"
    _recorded(request, access, assessment, release, "Excel workbook")
    return _download(exports.to_xlsx(tables, _facts(assessment, release)), XLSX, name)
