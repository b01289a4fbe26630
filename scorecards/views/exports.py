from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify

from .. import exports, selectors
from ..access import ResultsAccess, results_view
from .dashboard import _assessment


def _rows(access: ResultsAccess, assessment_id: int):
    assessment = _assessment(access, assessment_id)
    release = selectors.latest_release(assessment)
    data = release.data if release else {}
    return assessment, exports.export_rows(data, selectors.labels_for(assessment))


def _download(content, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@results_view
def export_csv(request: HttpRequest, access: ResultsAccess, assessment_id: int) -> HttpResponse:
    assessment, rows = _rows(access, assessment_id)
    name = f"{slugify(assessment.title) or 'results'}.csv"
    return _download(exports.to_csv(rows), "text/csv; charset=utf-8", name)


@results_view
def export_xlsx(request: HttpRequest, access: ResultsAccess, assessment_id: int) -> HttpResponse:
    assessment, rows = _rows(access, assessment_id)
    name = f"{slugify(assessment.title) or 'results'}.xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(exports.to_xlsx(rows, assessment.title), content_type, name)
