"""Dashboard charts from snapshots: the numbers drawn are the snapshot's,
hidden groups never appear, hostile text never runs, and a dashboard stays small.

The two snapshots below are the demo data's established and dormant networks
(/tmp/sample_snapshot_*.json when this was written), cut to the keys charts read.
"""

import ast
import copy
import json
from pathlib import Path

import pytest

from scorecards import charts
from scorecards.charts import (
    all_charts,
    domain_bars,
    figure_size_bytes,
    function_mix,
    group_gaps,
    matrix,
    matrix_heatmap,
    response_rate,
    stage_track,
    subdimension_bars,
    trend,
)
from scorecards.charts.text import escape
from scorecards.scoring.shape import FORMAT

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_GROUP = "</script><script>alert(1)</script>"
HOSTILE_LABEL = "<img src=x onerror=alert(1)>"
HOSTILE_LINK = "<a href='JavaScript:alert(1)'>x</a> javascript:alert(2)"


def _labels() -> tuple[dict[str, str], list[str]]:
    """Codes to titles as callers build them: from the instrument definitions."""
    folder = ROOT / "surveys" / "instruments"
    survey = json.loads((folder / "health-scorecard.v1.json").read_text())
    matrix = json.loads((folder / "maturity-matrix.v1.json").read_text())
    labels = {}
    for domain in survey["domains"]:
        labels[domain["code"]] = domain["title"]
        labels |= {sub["code"]: sub["title"] for sub in domain["subdimensions"]}
    labels |= {dim["code"]: dim["title"] for dim in matrix["dimensions"]}
    return labels, matrix["levels"]


LABELS, LEVELS = _labels()
STAGES_ORDER = ["pre-emergent", "emerging", "established", "dormant"]


def _snapshot(*, n, invited, rates, domains, subs, mix, matrix, median_level, groups, changes,
              stage):  # fmt: skip
    """A snapshot shaped like snapshot_build's output (shape.SnapshotData), from compact
    tables."""

    def scored(n_, mean, sd, pct, band):
        return {"n": n_, "mean": mean, "sd": sd, "mean_pct": pct, "band": band}

    def dimension(current, target, median, lowest, highest, median_target, gap):
        return {
            "current": {str(i + 1): c for i, c in enumerate(current)},
            "target": {str(i + 1): c for i, c in enumerate(target)},
            "n": sum(current),
            "n_target": sum(target),
            "median_current": median,
            "lowest": lowest,
            "highest": highest,
            "range": highest - lowest,
            "median_target": median_target,
            "gap": gap,
        }

    def group(entry):
        if entry is None:
            return {"hidden": True, "reason": "too few to show"}
        size, *rows = entry
        names = ("purpose", "function", "form")
        found = {
            d: {"mean": m, "mean_pct": p, "vs_rest": v}
            for d, (m, p, v) in zip(names, rows, strict=True)
        }
        return {"hidden": False, "n": size, "domains": found}

    return {
        "format": FORMAT,
        "n_respondents": n,
        "released": True,
        "comments_released": True,
        "context": {"threshold": 5, "response_rate": rates[-1], "response_rate_history": rates},
        "domains": {code: scored(*row) for code, row in domains.items()},
        "subdimensions": {c: {"domain": r[0], **scored(*r[1:6])} for c, r in subs.items()},
        "reliability": {c: {"alpha": r[6], "note": None} for c, r in subs.items()},
        "function_mix": {
            c: {"performance": p, "importance": i, "gap": g, "n_performance": a, "n_importance": b}
            for c, (p, i, g, a, b) in mix.items()
        },
        "matrix": {
            "dimensions": {code: dimension(*row) for code, row in matrix.items()},
            "median_level": median_level,
            "n": n,
        },
        "breakdowns": {by: {k: group(v) for k, v in gs.items()} for by, gs in groups.items()},
        "changes": {
            "domains": {
                c: dict(zip(("diff", "ci_low", "ci_high", "current", "previous"), row, strict=True))
                for c, row in changes.items()
            }
        },
        "stage": {
            "stage": stage[0],
            "certainty": stage[1],
            "alternatives": [stage[0]],
            "summary": "",
            "conditions": [],
        },
        "risk_flags": [],
        "comments": {},
        "custom": [],
        "invited": invited,
        "response_by_group": [],
    }


def established() -> dict:
    subs = {
        "purpose_clarity": ("purpose", 30, 3.817, 0.591, 70.417, "discuss", 0.372),
        "purpose_compelling": ("purpose", 30, 3.806, 0.6, 70.139, "discuss", 0.693),
        "purpose_member_needs": ("purpose", 30, 3.906, 0.609, 72.639, "discuss", 0.621),
        "purpose_ownership": ("purpose", 30, 3.817, 0.601, 70.417, "discuss", 0.337),
        "fn_amplifying": ("function", 30, 3.65, 0.604, 66.25, "discuss", -0.086),
        "fn_community": ("function", 30, 3.45, 0.834, 61.25, "discuss", 0.572),
        "fn_convening": ("function", 30, 3.583, 0.588, 64.583, "discuss", 0.356),
        "fn_facilitating": ("function", 30, 3.75, 0.653, 68.75, "discuss", 0.064),
        "fn_filtering": ("function", 29, 3.828, 0.698, 70.69, "discuss", 0.406),
        "fn_investing": ("function", 29, 3.638, 0.667, 65.948, "discuss", 0.272),
        "form_coordination": ("form", 30, 3.706, 0.663, 67.639, "discuss", 0.434),
        "form_diversity": ("form", 30, 3.467, 0.683, 61.667, "discuss", 0.642),
        "form_governance": ("form", 30, 3.744, 0.598, 68.611, "discuss", 0.687),
        "form_leadership": ("form", 30, 3.717, 0.602, 67.917, "discuss", 0.536),
        "form_learning": ("form", 29, 3.672, 0.582, 66.81, "discuss", 0.403),
        "form_trust": ("form", 30, 3.722, 0.547, 68.056, "discuss", 0.436),
    }
    matrix = {
        "common_purpose": ([0, 0, 8, 15, 7], [0, 0, 0, 4, 26], 4.0, 3.0, 5.0, 5.0, 1.0),
        "distributed_leadership": ([0, 0, 7, 17, 6], [0, 0, 0, 2, 28], 4.0, 3.0, 5.0, 5.0, 1.0),
        "membership": ([0, 0, 11, 12, 7], [0, 0, 0, 2, 28], 4.0, 3.0, 5.0, 5.0, 1.0),
        "relationships_trust": ([0, 0, 3, 19, 8], [0, 0, 0, 1, 29], 4.0, 3.0, 5.0, 5.0, 1.0),
        "collective_intelligence": ([0, 0, 8, 14, 8], [0, 0, 0, 4, 26], 4.0, 3.0, 5.0, 5.0, 1.0),
        "member_needs": ([0, 0, 7, 21, 2], [0, 0, 0, 3, 27], 4.0, 3.0, 5.0, 5.0, 1.0),
        "outputs_impact": ([0, 0, 5, 14, 11], [0, 0, 0, 3, 27], 4.0, 3.0, 5.0, 5.0, 1.0),
        "coordination_sustainability": ([0, 0, 8, 15, 7], [0, 0, 0, 6, 24], 4.0, 3.0, 5, 5, 1),
    }
    groups = {
        "group": {
            "Clinician": (
                11,
                (3.693, 67.33, -5.642),
                (3.561, 64.015, -3.331),
                (3.702, 67.551, 1.271),
            ),
            "Commissioner": None,
            "Manager": None,
            "Other": None,
            "Patient or carer": (
                8,
                (4.0, 75.0, 5.587),
                (3.875, 71.875, 7.841),
                (3.564, 64.097, -3.611),
            ),
            "Voluntary sector": None,
        },
        "tenure": {
            "1_2y": None,
            "6_12m": None,
            "gt_2y": (7, (3.881, 72.024, 1.462), (3.738, 68.452, 3.036), (3.734, 68.353, 2.097)),
            "lt_6m": (
                12,
                (3.753, 68.837, -3.443),
                (3.599, 64.965, -1.933),
                (3.648, 66.204, -0.903),
            ),
        },
        "network_role": {
            "active": None,
            "core": None,
            "occasional": (
                14,
                (3.771, 69.271, -3.06),
                (3.594, 64.851, -2.388),
                (3.427, 60.665, -11.401),
            ),
        },
    }
    return _snapshot(
        n=30,
        invited=40,
        rates=[65.0, 70.0, 75.0],
        domains={
            "purpose": (30, 3.836, 0.486, 70.903, "discuss"),
            "function": (30, 3.645, 0.437, 66.125, "discuss"),
            "form": (30, 3.67, 0.493, 66.745, "discuss"),
        },
        subs=subs,
        mix={
            "fn_amplifying": (3.65, 3.9, 0.25, 30, 30),
            "fn_community": (3.45, 3.833, 0.383, 30, 30),
            "fn_convening": (3.583, 3.967, 0.383, 30, 30),
            "fn_facilitating": (3.75, 3.7, -0.05, 30, 30),
            "fn_filtering": (3.828, 3.7, -0.128, 29, 30),
            "fn_investing": (3.638, 3.967, 0.329, 29, 30),
        },
        matrix=matrix,
        median_level=4.0,
        groups=groups,
        changes={
            "purpose": (5.577, -0.61, 11.541, 70.903, 65.326),
            "function": (-0.776, -6.002, 4.818, 66.125, 66.901),
            "form": (5.286, -0.773, 11.353, 66.745, 61.46),
        },
        stage=("established", "clear"),
    )


def dormant() -> dict:
    subs = {
        "purpose_clarity": ("purpose", 8, 3.188, 0.475, 54.688, "discuss", None),
        "purpose_compelling": ("purpose", 8, 3.146, 0.809, 53.646, "discuss", None),
        "purpose_member_needs": ("purpose", 8, 2.875, 0.689, 46.875, "concern", None),
        "purpose_ownership": ("purpose", 8, 2.917, 0.729, 47.917, "concern", None),
        "fn_amplifying": ("function", 8, 2.688, 0.53, 42.188, "concern", None),
        "fn_community": ("function", 8, 2.688, 0.458, 42.188, "concern", None),
        "fn_convening": ("function", 8, 2.188, 0.884, 29.688, "concern", None),
        "fn_facilitating": ("function", 8, 2.438, 0.563, 35.938, "concern", None),
        "fn_filtering": ("function", 8, 2.625, 0.354, 40.625, "concern", None),
        "fn_investing": ("function", 8, 2.625, 0.518, 40.625, "concern", None),
        "form_coordination": ("form", 8, 2.688, 0.838, 42.188, "concern", None),
        "form_diversity": ("form", 8, 2.438, 0.623, 35.938, "concern", None),
        "form_governance": ("form", 8, 2.562, 0.584, 39.062, "concern", None),
        "form_leadership": ("form", 8, 2.458, 0.469, 36.458, "concern", None),
        "form_learning": ("form", 8, 2.75, 0.751, 43.75, "concern", None),
        "form_trust": ("form", 8, 2.667, 0.667, 41.667, "concern", None),
    }
    matrix = {
        "common_purpose": ([1, 3, 4, 0, 0], [0, 1, 3, 1, 3], 2.5, 1.0, 3.0, 3.5, 1.0),
        "distributed_leadership": ([0, 5, 3, 0, 0], [0, 0, 3, 2, 3], 2.0, 2.0, 3.0, 4.0, 2.0),
        "membership": ([0, 5, 3, 0, 0], [0, 0, 2, 5, 1], 2.0, 2.0, 3.0, 4.0, 2.0),
        "relationships_trust": ([1, 4, 3, 0, 0], [0, 0, 1, 6, 1], 2.0, 1.0, 3.0, 4.0, 2.0),
        "collective_intelligence": ([1, 4, 3, 0, 0], [0, 0, 2, 4, 2], 2.0, 1.0, 3.0, 4.0, 2.0),
        "member_needs": ([0, 2, 6, 0, 0], [0, 0, 0, 5, 3], 3.0, 2.0, 3.0, 4.0, 1.0),
        "outputs_impact": ([0, 2, 6, 0, 0], [0, 0, 0, 3, 5], 3.0, 2.0, 3.0, 5.0, 2.0),
        "coordination_sustainability": ([0, 4, 3, 1, 0], [0, 0, 2, 4, 2], 2.5, 2.0, 4.0, 4.0, 1.5),
    }
    hidden = dict.fromkeys
    return _snapshot(
        n=8,
        invited=40,
        rates=[60.0, 35.0, 20.0],
        domains={
            "purpose": (8, 3.031, 0.621, 50.781, "discuss"),
            "function": (8, 2.542, 0.342, 38.542, "concern"),
            "form": (8, 2.594, 0.568, 39.844, "concern"),
        },
        subs=subs,
        mix={
            "fn_amplifying": (2.688, 3.5, 0.812, 8, 8),
            "fn_community": (2.688, 4.25, 1.562, 8, 8),
            "fn_convening": (2.188, 3.75, 1.562, 8, 8),
            "fn_facilitating": (2.438, 3.75, 1.312, 8, 8),
            "fn_filtering": (2.625, 3.5, 0.875, 8, 8),
            "fn_investing": (2.625, 3.875, 1.25, 8, 8),
        },
        matrix=matrix,
        median_level=2.75,
        groups={
            "group": hidden(
                ["Clinician", "Manager", "Other", "Patient or carer", "Voluntary sector"]
            ),
            "tenure": hidden(["1_2y", "6_12m", "gt_2y", "lt_6m"]),
            "network_role": hidden(["active", "core", "occasional"]),
        },
        changes={
            "purpose": (-9.933, -22.324, 2.881, 50.781, 60.714),
            "function": (-13.837, -21.43, -5.906, 38.542, 52.379),
            "form": (-6.09, -17.389, 3.957, 39.844, 45.934),
        },
        stage=("dormant", "clear"),
    )


def unreleased() -> dict:
    """What snapshot_build gives below the threshold: counts and nothing else."""
    return {
        "format": FORMAT,
        "n_respondents": 3,
        "released": False,
        "comments_released": False,
        "context": {"threshold": 5, "response_rate": 7.5, "response_rate_history": [7.5]},
        "domains": {},
        "subdimensions": {},
        "items": {},
        "reliability": {},
        "function_mix": {},
        "matrix": {},
        "breakdowns": {},
        "changes": None,
        "stage": None,
        "risk_flags": [],
        "distributions": {},
        "comments": {},
        "custom": [],
        "invited": 40,
        "response_by_group": [],
    }


def history(latest: dict) -> list[tuple[str, str, dict]]:
    """Two rounds: an earlier one with lower scores and no changes, then ``latest``."""
    earlier = copy.deepcopy(latest)
    earlier["changes"] = None
    earlier["stage"]["stage"] = "emerging"
    for code, change in latest["changes"]["domains"].items():
        earlier["domains"][code]["mean_pct"] = change["previous"]
    return [("Autumn 2024", "2024-10-31", earlier), ("Spring 2025", "2025-04-30", latest)]


def trace(chart, name: str) -> dict:
    return next(t for t in chart.figure["data"] if t.get("name") == name)


def column(chart, heading: str) -> list[str]:
    index = chart.table.columns.index(heading)
    return [row[index] for row in chart.table.rows]


# --- stage ---------------------------------------------------------------------------


def test_stage_track_marks_a_clear_stage_alone():
    chart = stage_track(established())
    bar = chart.figure["data"][0]

    assert chart.summary == "Established, clearly."
    assert bar["x"] == STAGES_ORDER
    assert [("this network" in text) for text in bar["text"]] == [False, False, True, False]
    assert chart.table.rows[2] == ["Established", "This network"]
    assert [row[1] for row in chart.table.rows].count("") == 3


def test_a_borderline_stage_marks_the_stage_it_could_also_be():
    snapshot = established()
    snapshot["stage"] |= {"certainty": "borderline", "alternatives": ["established", "emerging"]}

    chart = stage_track(snapshot)

    assert chart.summary == "Established, but borderline: it could be emerging."
    assert chart.table.rows[1] == ["Emerging", "Could be"]
    assert "could be" in chart.figure["data"][0]["text"][1]


def test_not_enough_evidence_draws_no_track_and_says_why():
    snapshot = established()
    snapshot["stage"] = {"stage": "not enough evidence", "summary": "Only 3 members answered."}

    chart = stage_track(snapshot)

    assert chart.figure is None and "Only 3 members answered." in chart.summary


# --- domains and sub-dimensions ------------------------------------------------------


def test_domain_bar_lengths_are_the_snapshot_means():
    chart = domain_bars(established(), LABELS)

    assert chart.figure["data"][0]["x"] == [70.903, 66.125, 66.745]
    assert chart.summary == (
        "Purpose scores highest at 71 out of 100 and function lowest at 66; "
        "all 3 are worth discussing."
    )
    assert chart.table.rows[0] == ["Purpose", "71", "12", "30", "worth discussing"]


def test_domain_bands_are_named_in_words_not_only_shaded():
    chart = domain_bars(dormant(), LABELS)
    notes = [note["text"] for note in chart.figure["layout"]["annotations"]]

    assert column(chart, "Band") == ["worth discussing", "concern", "concern"]
    assert [row[2] for row in chart.figure["data"][0]["customdata"]] == column(chart, "Band")
    assert {"Concern", "Worth<br>discussing", "Strength"} <= set(notes)
    assert chart.summary.endswith("1 is worth discussing and 2 are concerns.")


def test_a_single_domain_is_described_on_its_own():
    snapshot = established()
    snapshot["domains"] = {"purpose": {"n": 9, "mean": 4.2, "sd": 0.4, "mean_pct": 80.0,
                                       "band": "strength"}}  # fmt: skip

    assert (
        domain_bars(snapshot, LABELS).summary == "Purpose scores 80 out of 100 and is a strength."
    )


def test_subdimension_bars_group_every_subdimension_under_its_domain():
    chart = subdimension_bars(established(), LABELS)
    notes = [note["text"] for note in chart.figure["layout"]["annotations"]]
    headings = [text for text in notes if text.startswith("<b>")]

    assert len(chart.figure["data"][0]["x"]) == 16
    assert headings == ["<b>Purpose</b>", "<b>Function</b>", "<b>Form</b>"]
    assert notes.index("Clarity of purpose") < notes.index("Shared ownership and identity")
    assert chart.table.rows[0] == [
        "Purpose", "Clarity of purpose", "30", "70", "15", "worth discussing", "0.37",
    ]  # fmt: skip
    assert chart.summary.startswith("Of 16 sub-dimensions, Meeting member needs scores highest")


def test_reliability_says_not_enough_data_when_alpha_is_missing():
    chart = subdimension_bars(dormant(), LABELS)

    assert set(column(chart, "Alpha")) == {"not enough data"}


# --- function mix --------------------------------------------------------------------


def test_function_mix_draws_performance_and_importance_and_tabulates_the_gap():
    snapshot = established()
    chart = function_mix(snapshot, LABELS)
    order = ["fn_community", "fn_filtering", "fn_amplifying", "fn_facilitating", "fn_investing",
             "fn_convening"]  # fmt: skip
    mix = snapshot["function_mix"]

    assert trace(chart, "Performance: how well it does this")["x"] == [
        mix[c]["performance"] for c in order
    ]
    assert trace(chart, "Importance: how much it should matter")["x"] == [
        mix[c]["importance"] for c in order
    ]
    assert chart.table.rows[0] == ["Community building", "3.5", "3.8", "0.4", "30 / 30"]
    assert chart.summary == (
        "The widest gap is Community building: importance 3.8 but performance 3.5 out of 5, "
        "0.4 short; 4 of 6 functions fall short of their importance."
    )


# --- matrix --------------------------------------------------------------------------


def test_matrix_heatmap_z_is_the_level_counts():
    snapshot = dormant()
    chart = matrix_heatmap(snapshot, LABELS, LEVELS)
    dims = snapshot["matrix"]["dimensions"]

    expected = [[dims[c]["current"][str(lv)] for lv in range(1, 6)] for c in dims]
    assert chart.figure["data"][0]["z"] == expected
    assert chart.table.rows[0][:6] == ["Common purpose", "1", "3", "4", "0", "0"]
    assert chart.table.columns[1:6] == ["1 Starting", "2 Developing", "3 Working", "4 Embedded",
                                        "5 Leading"]  # fmt: skip
    assert chart.summary == (
        "Members place the network at a median level of 2.75 across 8 dimensions; "
        "4 dimensions share the lowest median, 2 and 5 are furthest from their target (2 levels)."
    )


def test_matrix_marks_median_lowest_and_target_with_letters():
    chart = matrix_heatmap(dormant(), LABELS, LEVELS)
    median = trace(chart, "M: median current level")
    lowest = trace(chart, "L: lowest current level")
    target = trace(chart, "T: target (median)")

    assert set(median["text"]) == {"M"} and set(lowest["text"]) == {"L"}
    assert set(target["text"]) == {"T"}
    assert [round(x + 0.1, 6) for x in median["x"]] == [2.5, 2, 2, 2, 2, 3, 3, 2.5]
    assert [round(x + 0.3, 6) for x in lowest["x"]] == [1, 2, 2, 1, 1, 2, 2, 2]
    assert [round(x - 0.1, 6) for x in target["x"]] == [3.5, 4, 4, 4, 4, 4, 5, 4]
    assert column(chart, "Median")[0] == "2.5"


def test_matrix_agreed_levels_are_a_distinct_marker_and_a_column():
    agreed = {"membership": 3, "unknown_dimension": 2, "common_purpose": 9}
    chart = matrix_heatmap(established(), LABELS, LEVELS, agreed=agreed)
    marks = trace(chart, "A: agreed at the meeting")
    median = trace(chart, "M: median current level")

    assert marks["text"] == ["A"] and [round(x - 0.3, 6) for x in marks["x"]] == [3]
    assert marks["marker"]["symbol"] != median["marker"]["symbol"]
    assert column(chart, "Agreed")[:3] == ["not agreed", "not agreed", "3"]
    assert chart.summary.endswith("the meeting agreed 1 of 8 levels.")


def _rgb(colour: str) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


def test_words_and_markers_on_a_matrix_cell_reach_4_5_to_1_on_every_shade():
    # Every shade a cell can take (a share of the busiest cell's count), finely.
    for step in range(1001):
        shade = matrix._shade(step / 1000)
        assert matrix._contrast(_rgb(matrix._ink_on(step / 1000)), shade) >= 4.5, step


@pytest.mark.parametrize("agreed_level", [1, 2, 3, 4, 5])
def test_the_agreed_marker_stands_out_from_its_cell_at_every_level(agreed_level):
    snapshot = established()
    codes = list(snapshot["matrix"]["dimensions"])
    chart = matrix_heatmap(snapshot, LABELS, LEVELS, agreed=dict.fromkeys(codes, agreed_level))
    z = chart.figure["data"][0]["z"]
    top = max(max(row) for row in z)
    marks = trace(chart, "A: agreed at the meeting")
    fills, letters = marks["marker"]["color"], marks["textfont"]["color"]
    assert len(fills) == len(codes) == len(letters)
    shades = set()
    for row, (fill, letter) in enumerate(zip(fills, letters, strict=True)):
        cell = matrix._shade(z[row][agreed_level - 1] / top)
        shades.add(tuple(round(c) for c in cell))
        assert matrix._contrast(_rgb(fill), cell) >= 4.5, (row, fill, cell)
        assert matrix._contrast(_rgb(letter), _rgb(fill)) >= 4.5
    counts = chart.figure["data"][1]
    for (row, lv), colour in zip(
        ((r, c) for r in range(len(z)) for c in range(5)), counts["textfont"]["color"], strict=True
    ):
        assert matrix._contrast(_rgb(colour), matrix._shade(z[row][lv] / top)) >= 4.5


def test_the_agreed_marker_is_black_on_light_cells_and_white_on_dark_ones():
    snapshot = established()
    codes = list(snapshot["matrix"]["dimensions"])
    fills = set()
    for agreed_level in range(1, 6):
        agreed = dict.fromkeys(codes, agreed_level)
        chart = matrix_heatmap(snapshot, LABELS, LEVELS, agreed=agreed)
        fills |= set(trace(chart, "A: agreed at the meeting")["marker"]["color"])
    assert fills == {matrix.BLACK, matrix.WHITE}


# --- groups --------------------------------------------------------------------------


def test_hidden_groups_are_never_drawn():
    chart = group_gaps(established(), LABELS, by="group")
    drawn = json.dumps(chart.figure)
    hidden = ["Commissioner", "Manager", "Other", "Voluntary sector"]

    assert all(name not in drawn for name in hidden)
    assert chart.figure["data"][0]["y"] == ["Clinician", "Patient or carer"]
    for row in chart.table.rows:
        if row[0] in hidden:
            assert row[1:] == ["too few to show"] * 4
    assert "4 of 6 groups are hidden because they have too few people" in chart.summary


def test_group_gap_bars_are_each_groups_difference_from_the_rest():
    chart = group_gaps(established(), LABELS, by="group")

    assert [t["name"] for t in chart.figure["data"]] == ["Purpose", "Function", "Form"]
    assert trace(chart, "Function")["x"] == [-3.331, 7.841]
    assert chart.table.rows[0] == ["Clinician", "11", "-6", "-3", "+1"]
    assert chart.summary.startswith(
        "Compared with everyone else, the widest gaps are Patient or carer on function "
        "(+8 points) and Clinician on purpose (-6 points)"
    )


def test_a_breakdown_with_every_group_hidden_draws_nothing():
    chart = group_gaps(dormant(), LABELS, by="tenure")

    assert chart.figure is None
    assert chart.empty_message == "All 4 groups are hidden because each has too few people to show."
    assert {cell for row in chart.table.rows for cell in row[1:]} == {"too few to show"}


def test_group_values_take_titles_from_labels():
    labels = {**LABELS, "lt_6m": "Less than 6 months", "gt_2y": "More than 2 years"}
    chart = group_gaps(established(), labels, by="tenure")

    assert column(chart, "Group") == ["1_2y", "6_12m", "More than 2 years", "Less than 6 months"]
    assert chart.key == "gaps-tenure"


# --- trend ---------------------------------------------------------------------------


def test_trend_x_has_the_round_titles_in_order_and_y_the_scores():
    chart = trend(history(established()), LABELS)
    purpose = trace(chart, "Purpose")

    assert purpose["x"] == ["Autumn 2024", "Spring 2025"]
    assert purpose["y"] == [65.326, 70.903]
    assert column(chart, "Stage") == ["Emerging", "Established"]
    assert column(chart, "Purpose change")[1] == "+6 points (95% interval -1 to +12)"
    assert "Stage: %{customdata[1]}" in purpose["hovertemplate"]
    assert purpose["customdata"][1][1] == "Established"


def test_trend_says_where_the_scorecard_changed_version():
    rounds = history(established())
    rounds[0][2]["context"]["instrument_version"] = 1
    rounds[1][2]["context"]["instrument_version"] = 2

    chart = trend(rounds, LABELS)

    assert chart.summary.endswith(
        "The scorecard changed from version 1 to 2 in Spring 2025: scores either side are "
        "not directly comparable, and changes since the round before are shown only for "
        "the sub-dimensions asked the same way in both."
    )
    assert "changed from version" not in trend(history(established()), LABELS).summary


def test_trend_error_bar_spans_the_change_interval_from_the_previous_score():
    chart = trend(history(dormant()), LABELS)
    bars = trace(chart, "Function")["error_y"]
    low, high = 52.379 - 21.43, 52.379 - 5.906

    assert bars["array"][0] is None
    assert bars["array"][1] == pytest.approx(high - 38.542)
    assert bars["arrayminus"][1] == pytest.approx(38.542 - low)
    assert chart.summary.endswith(
        "the change in function is clear (its 95% interval leaves out zero)."
    )


def test_trend_leaves_a_gap_for_a_round_with_too_few_answers():
    rounds = history(established())
    rounds.insert(1, ("Winter 2024", "2025-01-31", unreleased()))
    chart = trend(rounds, LABELS)

    assert trace(chart, "Form")["y"][1] is None
    assert chart.table.rows[1][2:5] == ["not shown: too few answers", "not available",
                                        "not shown: too few answers"]  # fmt: skip


def test_trend_needs_two_rounds_with_results():
    chart = trend(history(established())[1:], LABELS)

    assert chart.figure is None
    assert chart.empty_message.startswith("The trend appears once")


def test_repeated_round_titles_are_told_apart_by_date():
    rounds = [
        (title, date, snap) for (_, date, snap), title in zip(history(dormant()), "AA", strict=True)
    ]

    assert trace(trend(rounds, LABELS), "Form")["x"] == ["A (2024-10-31)", "A (2025-04-30)"]


# --- response rate, release, dashboard -----------------------------------------------


def test_response_rate_counts_respondents_against_invitations():
    chart = response_rate(established())

    assert chart.summary == "30 of the 40 people invited have answered (75%)."
    assert [t["x"] for t in chart.figure["data"]] == [[30], [10]]
    assert ["Earlier rounds", "65%, 70%"] in chart.table.rows


def test_an_unreleased_round_shows_nothing_but_who_answered():
    shown = all_charts(unreleased(), LABELS, LEVELS, history=history(established()))
    message = "Fewer than 5 people have answered, so results are not shown yet."

    for chart in shown[:-1]:
        assert (chart.figure, chart.empty_message, chart.table.rows) == (None, message, [])
    assert shown[-1].key == "response-rate" and shown[-1].figure is not None
    assert shown[-1].summary == "3 of the 40 people invited have answered (8%)."


def test_all_charts_come_in_dashboard_order():
    keys = [c.key for c in all_charts(established(), LABELS, LEVELS, history(established()))]

    assert keys == [
        "stage", "domains", "subdimensions", "function-mix", "matrix", "gaps-group",
        "gaps-tenure", "gaps-network-role", "trend", "response-rate",
    ]  # fmt: skip


@pytest.mark.parametrize("snapshot", [established(), dormant()], ids=["established", "dormant"])
def test_figures_for_the_sample_snapshots_stay_well_under_one_megabyte(snapshot):
    shown = all_charts(snapshot, LABELS, LEVELS, history(snapshot), agreed={"membership": 3})

    assert figure_size_bytes(shown) < charts.FIGURE_BUDGET_BYTES / 10


def test_figures_are_plain_json_responsive_and_deterministic():
    first = all_charts(established(), LABELS, LEVELS, history(established()))
    again = all_charts(established(), LABELS, LEVELS, history(established()))

    for chart in first:
        layout = chart.figure["layout"]
        assert json.loads(json.dumps(chart.figure, allow_nan=False)) == chart.figure
        assert layout["autosize"] is True and "width" not in layout
        assert layout["font"]["family"].startswith("system-ui")
    assert [c.figure for c in first] == [c.figure for c in again]


def test_missing_sections_give_a_message_instead_of_a_chart():
    snapshot = established()
    snapshot.update(matrix={}, function_mix={}, breakdowns={})

    assert matrix_heatmap(snapshot, LABELS, LEVELS).empty_message.startswith("No one rated")
    assert function_mix(snapshot, LABELS).figure is None
    assert group_gaps(snapshot, LABELS).empty_message.startswith("There are no groups")
    assert trend([], LABELS).figure is None


# --- hostile text (quality S8) -------------------------------------------------------


def _hostile() -> tuple[dict, dict, list, list]:
    snapshot = established()
    groups = snapshot["breakdowns"]["group"]
    groups[HOSTILE_GROUP] = groups.pop("Clinician")
    groups[HOSTILE_LINK] = groups.pop("Patient or carer")
    groups[HOSTILE_LABEL] = {"hidden": True, "reason": "too few to show"}
    labels = dict.fromkeys(LABELS, f"{HOSTILE_LABEL} {HOSTILE_LINK}")
    rounds = [(HOSTILE_GROUP, f"{HOSTILE_LABEL}", snap) for _, _, snap in history(snapshot)]
    return snapshot, labels, [HOSTILE_LABEL] * 5, rounds


def test_hostile_names_and_labels_never_reach_a_figure_unescaped():
    snapshot, labels, levels, rounds = _hostile()
    shown = all_charts(snapshot, labels, levels, history=rounds, agreed={"membership": 3})
    text = json.dumps([chart.figure for chart in shown]).lower()

    assert all(chart.figure is not None for chart in shown)
    for needle in ("<script", "</script", "<img", "<a ", "javascript:"):
        assert needle not in text
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in text  # shown as text, not dropped


def test_hover_templates_never_hold_user_text():
    snapshot, labels, levels, rounds = _hostile()
    shown = all_charts(snapshot, labels, levels, history=rounds, agreed={"membership": 3})
    templates = [t.get("hovertemplate", "") for c in shown for t in c.figure["data"]]

    assert templates and not any("alert" in template for template in templates)


def test_tables_and_summaries_keep_plain_text_for_the_template_to_escape():
    snapshot, labels, levels, _ = _hostile()
    chart = group_gaps(snapshot, labels)

    assert HOSTILE_LABEL in column(chart, "Group")
    assert HOSTILE_GROUP in chart.summary or HOSTILE_LINK in chart.summary


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("</script>", "&lt;/script&gt;"),
        ("\"quoted\" & 'single'", "&#34;quoted&#34; &amp; &#39;single&#39;"),
        ("JavaScript :alert(1)", "JavaScript &#58;alert(1)"),
        ("vbscript:x", "vbscript&#58;x"),
    ],
)
def test_escape_leaves_no_markup_and_no_script_scheme(raw, escaped):
    assert escape(raw) == escaped


# --- purity --------------------------------------------------------------------------


def _imports_and_calls(path: Path) -> tuple[set[str], set[str]]:
    tree = ast.parse(path.read_text())
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module.split(".")[0])
    calls = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    return modules, calls


def test_chart_modules_import_no_django_and_do_no_io():
    for path in (ROOT / "scorecards" / "charts").glob("*.py"):
        modules, calls = _imports_and_calls(path)

        assert not modules & {"django", "surveys", "os", "pathlib", "io"}, path
        assert "open" not in calls, path
