"""Drawing a release's charts. Only workers draw: web processes read the stored
figures, summaries and tables and never load Plotly. Charts are drawn once in each
language the site offers and stored by language (``selectors.charts_in`` reads them)."""

import hashlib
import logging
from dataclasses import replace

from django.utils import timezone

from surveys import languages
from surveys.models import Assessment

from . import selectors
from .models import Release
from .scoring.shape import SnapshotData

log = logging.getLogger(__name__)

REDRAW_ATTEMPTS = 3


def charts_draw(
    assessment: Assessment, sources: selectors.ChartSources, data: SnapshotData
) -> dict[str, list]:
    """Every chart of the round in every language (``{"en": [...], "cy": [...]}``),
    drawn from its release data and sources: our words through gettext in that
    language, the instrument's from its companion file, the numbers the same in each."""
    from . import charts  # imported here: web processes never need Plotly

    history = sources.history(data)  # the earlier releases, loaded once
    drawn = {}
    for language in languages.codes():
        words = replace(sources, **selectors.chart_words(assessment, language))
        with languages.override(language):
            drawn[language] = [
                chart.to_json()
                for chart in charts.all_charts(
                    data,
                    words.labels,
                    words.level_labels,
                    history=history,
                    agreed=words.agreed or None,
                    group_labels=words.group_labels,
                )
            ]
    return drawn


def _charts_key(assessment: Assessment, sources: selectors.ChartSources, data_key: str) -> str:
    """The charts' inputs in every language they are drawn in: a changed companion
    file (a Welsh title) draws them again too."""
    keys = [
        replace(sources, **selectors.chart_words(assessment, language)).key(
            data_key, languages.codes()
        )
        for language in languages.codes()
    ]
    return hashlib.sha256("".join(keys).encode()).hexdigest()


def release_charts_redraw(*, assessment_id: int, force: bool = False) -> bool:
    """Draws the charts of the round's latest release again when what they show has
    changed since they were drawn (a first drawing, a meeting of the round closed, an
    earlier round was released again); ``force`` draws them whatever the key says,
    after the chart code itself changed. Returns whether charts were drawn.

    Safe to run twice or at once with another run: the charts are keyed on their
    inputs, and saved only if nobody saved others since they were read, else the
    inputs are read again."""
    assessment = Assessment.objects.select_related("health_scorecard", "matrix").get(
        pk=assessment_id
    )
    for _ in range(REDRAW_ATTEMPTS):
        release = (
            assessment.releases.order_by("-number")
            .only("pk", "number", "data", "snapshot_key", "charts_key")
            .first()
        )
        if release is None:
            return False
        drawn_at = timezone.now()
        sources = selectors.chart_sources(assessment)
        key = _charts_key(assessment, sources, f"{release.snapshot_key}:{release.number}")
        fields = {"charts_key": key, "charts_drawn_at": drawn_at}
        if force or key != release.charts_key:
            fields["charts"] = charts_draw(assessment, sources, release.data)
        saved = Release.objects.filter(pk=release.pk, charts_key=release.charts_key).update(
            **fields
        )
        if saved:
            return "charts" in fields
    log.warning("Charts of assessment %s kept changing while being drawn", assessment_id)
    return False


def charts_redraw_schedule(*, assessment_id: int) -> None:
    """After commit; if the broker is down, the sweeper finds the charts behind."""
    from surveys.queue import enqueue_on_commit

    from .tasks import redraw_charts

    enqueue_on_commit(redraw_charts, assessment_id)


def later_rounds_redraw(assessment: Assessment) -> None:
    """Later rounds' trend charts show this round: draw them again."""
    for assessment_id in selectors.later_rounds_released(assessment):
        charts_redraw_schedule(assessment_id=assessment_id)
