"""The instrument report of a round, for its coordinators: how far the scores can be
trusted (alpha and omega per domain, item-total correlations, "don't know" by
stakeholder group, agreement on each matrix dimension). Read from the round's latest
release, like every results page: the worker computed and audited it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from surveys import languages
from surveys.instruments.validation import scale_items
from surveys.models import Assessment
from surveys.selectors import NetworkAccess
from surveys.views.common import network_view, render_page

from .. import selectors
from ..scoring.psychometrics import MIN_COMPLETE
from ..scoring.scores import domain_order


@never_cache
@network_view(manage=True)
def instrument_report(
    request: HttpRequest, access: NetworkAccess, assessment_id: int
) -> HttpResponse:
    assessment = get_object_or_404(
        Assessment.objects.select_related("health_scorecard", "matrix"),
        pk=assessment_id,
        network=access.network,
    )
    release = selectors.latest_release(assessment)
    data = release.data if release else {}
    report = data.get("instrument") or {}
    context = {
        "assessment": assessment,
        "release": release,
        "data": data,
        "report": report,
        "min_complete": MIN_COMPLETE,
    }
    if report:
        context |= _tables(assessment, report)
    return render_page(request, "scorecards/instrument_report.html", access, **context)


def _tables(assessment: Assessment, report: dict) -> dict:
    """The report's rows in the instrument's order (a release's JSON keeps no order),
    with the instrument's words beside its codes."""
    labels = selectors.labels_for(assessment)
    scorecard = assessment.health_scorecard
    # The statements as the reader's language words them (codes and order are the same).
    definition = languages.localised(scorecard.definition, languages.current()) if scorecard else {}
    texts = {i["code"]: i["text"] for i in scale_items(definition)} if scorecard else {}
    matrix = assessment.matrix.definition["dimensions"] if assessment.matrix else []
    domains = report.get("domains") or {}
    items = report.get("items") or {}
    groups = report.get("groups") or {}
    names = sorted(groups, key=str)
    agreement = report.get("matrix") or {}
    statements = [
        {
            "title": labels.get(domain, domain),
            "rows": [
                {
                    "code": code,
                    "text": texts.get(code, ""),
                    **items[code],
                    "by_group": [_group_rate(groups[name], code) for name in names],
                }
                for code in _in_order(items, texts)
                if items[code].get("domain") == domain
            ],
        }
        for domain in domain_order(domains)
    ]
    return {
        "domain_rows": [(labels.get(code, code), domains[code]) for code in domain_order(domains)],
        "statements": statements,
        "group_names": names,
        "matrix_rows": [
            (labels.get(code, code), agreement[code])
            for code in _in_order(agreement, [d["code"] for d in matrix])
        ],
        "any_reliability": any(d.get("alpha") is not None for d in domains.values()),
    }


def _in_order(found: dict, order) -> list[str]:
    """The codes of ``found`` in the instrument's ``order``, any others after them."""
    known = [code for code in order if code in found]
    return known + sorted(set(found) - set(known))


def _group_rate(group: dict, code: str) -> float | None:
    return (group["items"].get(code) or {}).get("rate")
