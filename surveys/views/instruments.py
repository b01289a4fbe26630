"""Coordinators read the instruments and preview them exactly as members see them."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext

from .. import languages
from ..models import Instrument
from ..survey_pages import Page, survey_pages


@login_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    # With their definitions: each title shows in the reader's language (localised).
    instruments = Instrument.objects.order_by("kind", "code", "-version")
    return render(request, "surveys/instrument_list.html", {"instruments": instruments})


@login_required
def instrument_detail(request: HttpRequest, code: str, version: int) -> HttpResponse:
    """The whole instrument on one printable page: every item, or the matrix grid."""
    instrument = get_object_or_404(Instrument, code=code, version=version)
    template = f"surveys/instrument_{instrument.kind}.html"
    definition = _localised(instrument)
    return render(request, template, {"instrument": instrument, "definition": definition})


def _localised(instrument: Instrument) -> dict:
    # In the coordinator's own language, as a member with that language sees it.
    return languages.localised(instrument.definition, languages.current())


def _pages(instrument: Instrument) -> list[Page]:
    definition = _localised(instrument)
    if instrument.kind == Instrument.SCORECARD:
        return survey_pages(definition, None)
    return survey_pages(None, definition)


@login_required
def instrument_preview(
    request: HttpRequest, code: str, version: int, page_key: str | None = None
) -> HttpResponse:
    instrument = get_object_or_404(Instrument, code=code, version=version)
    pages = _pages(instrument)
    base = reverse("instrument_preview", args=[code, version])
    urls = [reverse("instrument_preview_page", args=[code, version, p.key]) for p in pages]
    if page_key is None:
        definition = _localised(instrument)
        context = {
            "preview": True,
            "title": definition.get("title") or instrument.title,
            "introduction": definition.get("introduction", definition["description"]),
            "minutes": instrument.answering_minutes,
            "matrix_dimensions": 0 if instrument.answering_minutes else instrument.dimension_count,
            "start_url": urls[0],
            "back_to_list": reverse("instrument_list"),
        }
        return render(request, "surveys/survey/welcome.html", context)
    index = next((i for i, p in enumerate(pages) if p.key == page_key), None)
    if index is None:
        raise Http404
    page = pages[index]
    context = {
        "preview": True,
        "page": page,
        "rows": [{"q": q, "value": None, "error": None} for q in page.questions],
        "progress_label": gettext("Page %(number)s of %(count)s")
        % {"number": index + 1, "count": len(pages)},
        "progress_percent": round(100 * index / len(pages)),
        "previous_url": urls[index - 1] if index else base,
        "next_url": urls[index + 1] if index + 1 < len(urls) else None,
        "back_to_list": reverse("instrument_list"),
    }
    return render(request, "surveys/survey/page.html", context)
