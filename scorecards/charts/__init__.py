"""Every dashboard chart, built from a snapshot (house rule 6).

Pure: no Django, no I/O, no database; the same snapshot gives the same charts. Each
chart is a ``Chart``: a Plotly figure as plain JSON, a table with the same numbers
and a one-sentence summary. ``labels`` maps codes (domains, sub-dimensions,
functions, matrix dimensions, and optionally group values such as ``lt_6m``) to
titles; callers build it from the instrument definitions, in their order.

Only workers draw charts: they are stored with the release (``Chart.to_json``, in
``Release.charts``) and pages read them, so a web request never runs Plotly. Every word
of ours goes through ``scoring.words``: the worker draws once per language, under that
language, with ``labels`` in it too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from scorecards.charts.chart import Chart, StoredChart, Table, empty, withheld
from scorecards.charts.groups import group_gaps
from scorecards.charts.headline import response_rate, stage_track
from scorecards.charts.matrix import matrix_heatmap
from scorecards.charts.relationships import relationship_charts
from scorecards.charts.scores import domain_bars, function_mix, subdimension_bars
from scorecards.charts.trend import TITLE as TREND_TITLE
from scorecards.charts.trend import Round, trend
from scorecards.scoring.breakdowns import BREAKDOWNS
from scorecards.scoring.shape import SnapshotData
from scorecards.scoring.words import gettext as _

__all__ = [
    "Chart",
    "StoredChart",
    "Table",
    "all_charts",
    "domain_bars",
    "figure_size_bytes",
    "function_mix",
    "group_gaps",
    "matrix_heatmap",
    "response_rate",
    "stage_track",
    "subdimension_bars",
    "trend",
]

# Quality P5: a dashboard's figure data under 1 MB, per language (a page shows one).
FIGURE_BUDGET_BYTES = 1_000_000


def all_charts(
    snapshot: SnapshotData,
    labels: Mapping[str, str],
    level_labels: Sequence[str],
    history: Sequence[Round] | None = None,
    agreed: Mapping[str, int] | None = None,
    group_labels: Mapping[str, Mapping[str, str]] | None = None,
) -> list[Chart]:
    """The dashboard's charts in reading order: the headline stage first, then the
    scores from broad to detailed, the matrix, groups, change over time, and who
    answered. ``history`` should end with this snapshot's round; ``group_labels`` gives
    words for the profile answers groups are named by (``answers.group_labels_for``)."""
    words = group_labels or {}
    return [
        stage_track(snapshot),
        domain_bars(snapshot, labels),
        subdimension_bars(snapshot, labels),
        function_mix(snapshot, labels),
        matrix_heatmap(snapshot, labels, level_labels, agreed),
        *(group_gaps(snapshot, {**labels, **words.get(by, {})}, by=by) for by in BREAKDOWNS),
        _trend(snapshot, history, labels),
        response_rate(snapshot),
        # Only for a round that asked who works with whom: older rounds keep their charts.
        *(relationship_charts(snapshot, history) if snapshot.get("relationships") else []),
    ]


def _trend(snapshot: SnapshotData, history: Sequence[Round] | None, labels: Mapping) -> Chart:
    """Held back with everything else while this round is unreleased, whatever the
    history holds (quality T1)."""
    if message := withheld(snapshot):
        return empty("trend", _(TREND_TITLE), message)
    return trend(history or [], labels)


def figure_size_bytes(charts: Iterable[Chart]) -> int:
    """Bytes of all figures as UTF-8 JSON, to keep a dashboard under
    ``FIGURE_BUDGET_BYTES``."""
    figures = [chart.figure for chart in charts if chart.figure is not None]
    return len(json.dumps(figures).encode("utf-8"))
