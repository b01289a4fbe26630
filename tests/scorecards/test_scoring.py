"""Hand-computed checks of the scorecard statistics on small frames."""

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin
import pytest

from scorecards.scoring import bootstrap, breakdowns, reliability
from scorecards.scoring import scores as scoring
from scorecards.scoring.shape import FORMAT, SnapshotData
from scorecards.scoring.snapshot import RoundFacts, RoundFrames, assessment_scores, snapshot_build
from surveys import anonymity
from tests.scorecards import oracles

NAN = float("nan")

ITEMS = pd.DataFrame(
    [
        ("p1", "purpose_clarity", "purpose", False),
        ("p2", "purpose_clarity", "purpose", True),
        ("p3", "purpose_ownership", "purpose", False),
        ("p4", "purpose_ownership", "purpose", False),
        ("p5", "purpose_ownership", "purpose", False),
        ("f1", "fn_community", "function", False),
        ("f2", "fn_community", "function", False),
        ("f3", "fn_convening", "function", False),
        ("m1", "form_governance", "form", False),
        ("m2", "form_governance", "form", False),
        ("m3", "form_governance", "form", False),
        ("m4", "form_governance", "form", False),
    ],
    columns=["item", "subdimension", "domain", "reverse"],
)


def answers(rows):
    """Answers from ``(respondent, item, value)`` rows."""
    return pd.DataFrame(rows, columns=["respondent", "item", "value"])


def approx(x):
    return pytest.approx(x, abs=1e-9)


# respondent_scores -------------------------------------------------------


def test_reverse_item_is_flipped_as_six_minus_value():
    scores = scoring.respondent_scores(answers([(1, "p1", 4), (1, "p2", 2)]), ITEMS)
    assert scores.loc[1, "purpose_clarity"] == 4.0  # 4 and 6 - 2


def test_subdimension_needs_at_least_half_its_items_answered():
    rows = [
        (1, "p3", 4),  # 1 of 3 ownership items: under half
        (1, "m1", 2),
        (1, "m2", 4),  # 2 of 4 governance items: half is enough
        (2, "p3", 4),
        (2, "p4", 5),  # 2 of 3
        (2, "m1", 3),  # 1 of 4
        (3, "f3", 5),  # the only convening item
    ]
    scores = scoring.respondent_scores(answers(rows), ITEMS)
    assert math.isnan(scores.loc[1, "purpose_ownership"])
    assert scores.loc[1, "form_governance"] == 3.0
    assert scores.loc[2, "purpose_ownership"] == 4.5
    assert math.isnan(scores.loc[2, "form_governance"])
    assert scores.loc[3, "fn_convening"] == 5.0


def test_dont_know_never_counts_as_a_score():
    rows = [(1, "p3", 5), (1, "p4", NAN), (1, "p5", NAN), (2, "f1", 2), (2, "f2", NAN)]
    scores = scoring.respondent_scores(answers(rows), ITEMS)
    assert math.isnan(scores.loc[1, "purpose_ownership"])  # one real answer of three
    assert scores.loc[2, "fn_community"] == 2.0  # not 1.0: don't know is not zero


def test_domain_is_the_mean_of_available_subdimension_scores():
    rows = [
        (1, "p1", 5),
        (1, "p2", 3),  # clarity (5 + 3) / 2 = 4
        (1, "p3", 2),
        (1, "p4", 2),
        (1, "p5", 2),  # ownership 2
        (2, "p1", 3),
        (2, "p2", 3),  # clarity 3, ownership missing
    ]
    scores = scoring.respondent_scores(answers(rows), ITEMS)
    assert scores.loc[1, "purpose"] == 3.0
    assert scores.loc[2, "purpose"] == 3.0
    assert math.isnan(scores.loc[2, "function"])


def test_scores_have_subdimension_then_domain_columns_and_sorted_respondents():
    rows = [(5, "p1", 4), (2, "f3", 3), (9, "m1", 4)]
    scores = scoring.respondent_scores(answers(rows), ITEMS)
    assert list(scores.index) == [2, 5, 9]
    assert list(scores.columns) == [
        "purpose_clarity",
        "purpose_ownership",
        "fn_community",
        "fn_convening",
        "form_governance",
        "purpose",
        "function",
        "form",
    ]


def test_answers_to_unknown_items_are_ignored():
    scores = scoring.respondent_scores(answers([(1, "p1", 4), (1, "zz", 1)]), ITEMS)
    assert scores.loc[1, "purpose_clarity"] == 4.0


def test_empty_answers_give_an_empty_frame():
    empty = answers([])
    assert scoring.respondent_scores(empty, ITEMS).empty
    assert scoring.respondent_scores(empty, ITEMS.iloc[0:0]).empty


def test_two_answers_to_one_item_are_refused():
    with pytest.raises(ValueError, match="two rows"):
        scoring.respondent_scores(answers([(1, "p1", 4), (1, "p1", 5)]), ITEMS)


def test_values_off_the_scale_are_refused():
    with pytest.raises(ValueError, match="1 to 5"):
        scoring.respondent_scores(answers([(1, "p1", 0)]), ITEMS)


def test_function_codes_come_from_the_items():
    items = pd.DataFrame(
        [("a", "fn_other", "function", False), ("b", "x", "form", False)],
        columns=["item", "subdimension", "domain", "reverse"],
    )
    assert scoring.function_codes(items) == ["fn_other"]


# to_percent and bands ------------------------------------------------------


def test_to_percent_maps_one_to_zero_and_five_to_hundred():
    assert scoring.to_percent(1) == 0
    assert scoring.to_percent(5) == 100
    assert scoring.to_percent(3.4) == approx(60)
    assert scoring.to_percent(None) is None
    assert list(scoring.to_percent(pd.Series([2.0, 4.0]))) == [25.0, 75.0]


@pytest.mark.parametrize(
    ("mean", "expected"),
    [
        (2.0, "concern"),
        (2.9, "concern"),
        (2.99, "concern"),
        (3.0, "discuss"),
        (3.99, "discuss"),
        (3.994, "discuss"),
        (3.996, "strength"),  # shown as 4.00
        (4.0, "strength"),
        (5.0, "strength"),
        (NAN, None),
        (None, None),
    ],
)
def test_band_edges_follow_the_wilder_bands(mean, expected):
    assert scoring.band(mean) == expected


# summarise -----------------------------------------------------------------

SUMMARY_ROWS = [
    (1, "p1", 5),
    (2, "p1", 4),
    (3, "p1", 2),
    (4, "p1", NAN),  # don't know; respondent 5 left p1 unanswered
    (1, "p2", 1),
    (2, "p2", 2),
    (3, "p2", 4),
    (5, "p2", 3),
]


def summary():
    a = answers(SUMMARY_ROWS)
    return oracles.summarise(a, ITEMS, scoring.respondent_scores(a, ITEMS))


def test_item_summary_gives_n_mean_median_sd_by_hand():
    p1 = summary()["items"].loc["p1"]
    assert p1["n"] == 3
    assert p1["mean"] == approx(11 / 3)
    assert p1["median"] == 4.0
    assert p1["sd"] == approx(
        math.sqrt(((5 - 11 / 3) ** 2 + (4 - 11 / 3) ** 2 + (2 - 11 / 3) ** 2) / 2)
    )
    assert p1["mean_pct"] == approx((11 / 3 - 1) * 25)
    assert p1["band"] == "discuss"


def test_item_summary_shares_agreeing_and_dont_know():
    items = summary()["items"]
    assert items.loc["p1", "agree_share"] == approx(2 / 3)
    assert items.loc["p1", "n_dont_know"] == 1
    assert items.loc["p1", "dont_know_share"] == approx(1 / 4)  # 1 of 3 answers + 1 don't know
    assert items.loc["p2", "dont_know_share"] == 0.0


def test_agreeing_on_a_reverse_item_means_a_favourable_answer():
    # p2 raw 1, 2, 4, 3 -> flipped 5, 4, 2, 3: two of four favourable
    p2 = summary()["items"].loc["p2"]
    assert p2["agree_share"] == approx(0.5)
    assert p2["mean"] == approx(3.5)


def test_agreement_index_is_the_share_within_one_point_of_the_median():
    # p1: 5, 4, 2 around the median 4 -> 5 and 4 are within a point
    assert summary()["items"].loc["p1", "agreement"] == approx(2 / 3)
    assert scoring.describe([3, 3, 3])["agreement"] == 1.0
    assert scoring.describe([1, 1, 5, 5])["agreement"] == 0.0


def test_subdimension_and_domain_summaries_describe_respondent_scores():
    s = summary()
    clarity = s["subdimensions"].loc["purpose_clarity"]
    # respondents 1..3 answered both items: (5+5)/2, (4+4)/2, (2+2)/2; 5 answered one of two
    assert clarity["n"] == 4
    assert clarity["mean"] == approx((5 + 4 + 2 + 3) / 4)
    assert clarity["domain"] == "purpose"
    assert clarity["agree_share"] == approx(0.5)
    assert s["domains"].loc["purpose", "n"] == 4
    assert s["domains"].loc["purpose", "mean"] == approx(3.5)


def test_single_value_has_no_standard_deviation():
    assert math.isnan(scoring.describe([4])["sd"])
    empty = scoring.describe([])
    assert empty["n"] == 0 and empty["band"] is None


# reliability -------------------------------------------------------------


def test_alpha_matches_pingouin_on_the_same_complete_cases():
    rng = np.random.default_rng(7)
    base = rng.normal(3, 1, 40)
    frame = pd.DataFrame(
        {f"i{j}": np.clip(np.rint(base + rng.normal(0, 0.7, 40)), 1, 5) for j in range(4)}
    )
    frame.iloc[[2, 9, 17], [0, 2, 3]] = np.nan
    expected, _ = pingouin.cronbach_alpha(frame, nan_policy="listwise")
    assert reliability.cronbach_alpha(frame) == pytest.approx(expected, abs=1e-12)


def test_alpha_of_two_identical_items_is_one():
    frame = pd.DataFrame({"a": [1, 2, 3, 4, 5] * 2, "b": [1, 2, 3, 4, 5] * 2})
    assert reliability.cronbach_alpha(frame) == approx(1.0)


def test_alpha_is_withheld_with_too_few_people_or_one_item():
    frame = pd.DataFrame({"a": [1, 2, 3, 4, 5] * 2, "b": [2, 2, 3, 5, 5] * 2})
    assert reliability.cronbach_alpha(frame.iloc[:9]) is None
    assert reliability.cronbach_alpha(frame[["a"]]) is None
    assert reliability.cronbach_alpha(pd.DataFrame({"a": [3] * 12, "b": [3] * 12})) is None


def test_subdimension_reliability_flips_reverse_items_and_explains_gaps():
    rows = []
    for r, v in enumerate([1, 2, 3, 4, 5, 2, 3, 4, 5, 1, 3, 4], start=1):
        rows += [(r, "p1", v), (r, "p2", 6 - v), (r, "f3", v)]
    result = reliability.subdimension_reliability(answers(rows), ITEMS)
    assert result["purpose_clarity"] == {
        "alpha": approx(1.0),
        "n_complete": 12,
        "k": 2,
        "note": None,
    }
    assert result["fn_convening"]["alpha"] is None
    assert "only one item" in result["fn_convening"]["note"]
    assert result["purpose_ownership"]["n_complete"] == 0
    assert "fewer than 10" in result["purpose_ownership"]["note"]


# function mix ------------------------------------------------------------


def test_function_mix_gap_is_importance_minus_performance():
    scores = pd.DataFrame({"fn_community": [4.0, 3.0, NAN], "fn_convening": [2.0, 2.0, 2.0]})
    importance = pd.DataFrame(
        [
            (1, "fn_community", 5),
            (2, "fn_community", 4),
            (3, "fn_community", NAN),
            (1, "fn_unknown", 1),
        ],
        columns=["respondent", "function", "value"],
    )
    mix = scoring.function_mix(scores, importance, ITEMS)
    community = mix.loc["fn_community"]
    assert community["performance"] == 3.5
    assert community["importance"] == 4.5
    assert community["gap"] == 1.0
    assert community["gap_pct"] == 25.0
    assert (community["n_performance"], community["n_importance"]) == (2, 2)
    assert mix.loc["fn_convening", "n_importance"] == 0
    assert math.isnan(mix.loc["fn_convening", "gap"])
    assert list(mix.index) == ["fn_community", "fn_convening"]


def test_function_mix_reads_direct_performance_ratings_where_the_instrument_asks():
    scores = pd.DataFrame({"fn_community": [4.0, 3.0, 5.0], "fn_convening": [2.0, 2.0, 2.0]})
    importance = pd.DataFrame(
        [(1, "fn_community", 5), (2, "fn_community", 4)],
        columns=["respondent", "function", "value"],
    )
    performance = pd.DataFrame(
        [(1, "fn_community", 2), (2, "fn_community", 3), (3, "fn_community", NAN)],
        columns=["respondent", "function", "value"],
    )

    mix = scoring.function_mix(scores, importance, ITEMS, performance)

    community = mix.loc["fn_community"]
    assert community["performance_from"] == "rating"
    assert (community["performance"], community["n_performance"]) == (2.5, 2)
    assert community["gap"] == 2.0  # 4.5 - 2.5: both on the same five steps
    assert mix.loc["fn_convening", "n_performance"] == 0  # not rated: not the statements


# matrix ------------------------------------------------------------------


def test_matrix_summary_counts_levels_and_finds_lowest_median_range_gap():
    matrix = pd.DataFrame(
        [(1, "a", 2, 4), (2, "a", 3, 4), (3, "a", 3, NAN), (4, "a", 5, 5), (1, "zz", 1, 1)],
        columns=["respondent", "dimension", "current", "target"],
    )
    out = scoring.matrix_summary(matrix, ["a", "b"])
    a = out.loc["a"]
    assert [a[f"current_{lv}"] for lv in range(1, 6)] == [0, 1, 2, 0, 1]
    assert [a[f"target_{lv}"] for lv in range(1, 6)] == [0, 0, 0, 2, 1]
    assert (a["n"], a["n_target"]) == (4, 3)
    assert (a["median_current"], a["lowest"], a["highest"], a["range"]) == (3, 2, 5, 3)
    assert (a["median_target"], a["gap"]) == (4, 1)
    assert out.loc["b", "n"] == 0 and math.isnan(out.loc["b", "median_current"])
    assert list(out.index) == ["a", "b"]


def test_matrix_level_is_the_median_of_respondent_medians():
    matrix = pd.DataFrame(
        [(1, "a", 2, NAN), (1, "b", 4, NAN), (2, "a", 4, NAN), (2, "b", 4, NAN), (3, "a", 1, NAN)],
        columns=["respondent", "dimension", "current", "target"],
    )
    medians = scoring.matrix_respondent_medians(matrix)
    assert medians.to_dict() == {1: 3.0, 2: 4.0, 3: 1.0}
    assert scoring.matrix_level(medians) == 3.0
    assert scoring.matrix_level(scoring.matrix_respondent_medians(None)) is None


# breakdowns and anonymity ------------------------------------------------


def group_frames(sizes: dict[str, int], purpose: dict[str, float] | None = None):
    ids, groups, values = [], [], []
    for name, n in sizes.items():
        for _ in range(n):
            ids.append(len(ids) + 1)
            groups.append(name)
            values.append((purpose or {}).get(name, 3.0))
    scores = pd.DataFrame({"purpose": values}, index=pd.Index(ids, name="respondent"))
    respondents = pd.DataFrame({"respondent": ids, "group": groups})
    return scores, respondents


def test_group_under_threshold_is_hidden_without_n_or_scores():
    scores, people = group_frames({"A": 6, "B": 6, "C": 2, "D": 3})
    out = breakdowns.breakdown(scores, people, "group", threshold=5)
    assert out["C"] == {"hidden": True, "reason": "too few to show"}
    assert out["D"] == {"hidden": True, "reason": "too few to show"}
    assert out["A"]["n"] == 6 and not out["A"]["hidden"]


def test_lone_small_group_hides_next_smallest_too():
    scores, people = group_frames({"A": 10, "B": 6, "C": 2})
    out = breakdowns.breakdown(scores, people, "group", threshold=5)
    assert out["B"]["hidden"] and out["C"]["hidden"]
    assert out["A"] == {
        "hidden": False,
        "n": 10,
        "domains": {"purpose": {"mean": 3.0, "mean_pct": 50.0, "vs_rest": 0.0}},
    }


def test_small_groups_adding_up_under_threshold_hide_another():
    assert anonymity.hidden_groups({"A": 10, "B": 7, "C": 2, "D": 1}, 5) == {"B", "C", "D"}
    assert anonymity.hidden_groups({"A": 10, "B": 7, "C": 3, "D": 2}, 5) == {"C", "D"}


def test_all_small_groups_are_all_hidden():
    scores, people = group_frames({"A": 2, "B": 4})
    out = breakdowns.breakdown(scores, people, "group", threshold=5)
    assert all(entry["hidden"] for entry in out.values())


def test_anonymity_threshold_below_three_is_refused():
    scores, people = group_frames({"A": 6})
    with pytest.raises(ValueError):
        breakdowns.breakdown(scores, people, "group", threshold=2)
    with pytest.raises(ValueError):
        anonymity.comments_released(10, 2)


def test_comments_need_as_many_respondents_as_the_threshold():
    assert not anonymity.comments_released(4, 5)
    assert anonymity.comments_released(5, 5)
    assert anonymity.comments_released(3, 3)


def test_group_is_compared_with_everyone_else_in_points():
    scores, people = group_frames({"A": 5, "B": 5}, {"A": 4.0, "B": 2.0})
    out = breakdowns.breakdown(scores, people, "group", threshold=5)
    assert out["A"]["domains"]["purpose"] == {"mean": 4.0, "mean_pct": 75.0, "vs_rest": 50.0}
    assert out["B"]["domains"]["purpose"]["vs_rest"] == -50.0


def test_missing_group_values_form_a_not_stated_group():
    scores = pd.DataFrame({"purpose": [3.0] * 6}, index=pd.Index(range(1, 7), name="respondent"))
    people = pd.DataFrame({"respondent": [1, 2, 3, 4, 5], "group": [None, NAN, " ", "A", "A"]})
    labels = breakdowns.group_labels(scores.index, people, "group")
    assert list(labels) == ["not stated"] * 3 + ["A", "A", "not stated"]


def test_group_mean_resting_on_too_few_scores_is_withheld():
    scores, people = group_frames({"A": 5, "B": 5})
    scores.iloc[:2, 0] = NAN  # only three of A's five have a score
    out = breakdowns.breakdown(scores, people, "group", threshold=5)
    assert out["A"]["n"] == 5
    assert math.isnan(out["A"]["domains"]["purpose"]["mean"])


# change against the previous round ---------------------------------------


def test_change_ci_contains_the_observed_difference_and_is_deterministic():
    now = pd.Series([4, 5, 3, 4, 4, 5, 3, 4], dtype=float)
    before = pd.Series([3, 3, 2, 4, 3, 2, 3, 3, 4], dtype=float)
    first = oracles.change_with_ci(now, before, n_boot=500, seed=3)
    assert first["diff"] == approx((now.mean() - before.mean()) * 25)
    assert first["ci_low"] <= first["diff"] <= first["ci_high"]
    assert oracles.change_with_ci(now, before, n_boot=500, seed=3) == first
    shuffled = oracles.change_with_ci(now.sample(frac=1, random_state=1), before[::-1], 500, 3)
    assert shuffled == first


def test_change_ci_covers_the_true_difference_for_large_samples():
    rng = np.random.default_rng(11)
    now = pd.Series(rng.choice([3.0, 4.0, 5.0], 600))  # true mean 4
    before = pd.Series(rng.choice([2.0, 3.0, 4.0], 500))  # true mean 3
    change = oracles.change_with_ci(now, before)
    assert change["ci_low"] < 25 < change["ci_high"]
    assert change["ci_high"] - change["ci_low"] < 10


def test_change_against_an_empty_round_is_unknown():
    change = oracles.change_with_ci(pd.Series([4.0, NAN]), pd.Series([], dtype=float))
    assert change["diff"] is None and change["ci_low"] is None
    assert (change["n_current"], change["n_previous"]) == (1, 0)


def test_distribution_round_trips_the_scores():
    scores = pd.Series([3.0, 4.5, 3.0, NAN, 1.25])
    pairs = bootstrap.distribution(scores)
    assert pairs == [[1.25, 1], [3.0, 2], [4.5, 1]]
    assert sorted(bootstrap.from_distribution(pairs)) == [1.25, 3.0, 3.0, 4.5]


# the snapshot dict ---------------------------------------------------------


def snapshot_inputs(n=12):
    rng = np.random.default_rng(n)
    rows = [
        (r, item, float(rng.integers(1, 6)))
        for r in range(1, n + 1)
        for item in ITEMS["item"]
        if rng.random() > 0.1
    ]
    importance = pd.DataFrame(
        [(r, f, float(rng.integers(1, 6))) for r in range(1, n + 1) for f in ("fn_community",)],
        columns=["respondent", "function", "value"],
    )
    people = pd.DataFrame(
        {
            "respondent": range(1, n + 1),
            "group": ["clinicians"] * (n - 2) + ["patients"] * 2,
            "tenure": [None] * n,
            "network_role": ["member"] * n,
        }
    )
    matrix = pd.DataFrame(
        [(r, d, float(rng.integers(1, 6)), NAN) for r in range(1, n + 1) for d in ("a", "b")],
        columns=["respondent", "dimension", "current", "target"],
    )
    return {
        "answers": answers(rows),
        "items": ITEMS,
        "importance": importance,
        "respondents": people,
        "matrix": matrix,
        "response_rate": 40.0,
        "network_age_months": 14,
        "n_boot": 200,
    }


def test_snapshot_is_plain_json_without_nan():
    out = assessment_scores(**snapshot_inputs())
    text = json.dumps(out, allow_nan=False)
    assert json.loads(text) == out
    assert out["n_respondents"] == 12 and out["released"] and out["comments_released"]
    assert set(out) >= {
        "domains",
        "subdimensions",
        "items",
        "reliability",
        "function_mix",
        "matrix",
        "breakdowns",
        "changes",
        "stage",
        "risk_flags",
    }
    assert out["stage"]["stage"] in ("pre-emergent", "emerging", "established", "dormant")
    assert out["stage"]["certainty"] in ("clear", "borderline")


def test_snapshot_hides_small_groups_and_their_subtraction_partner():
    out = assessment_scores(**snapshot_inputs())
    groups = out["breakdowns"]["group"]
    assert groups["patients"] == {"hidden": True, "reason": "too few to show"}
    assert groups["clinicians"]["hidden"] is True  # else 12 - 10 would give the patients
    assert out["breakdowns"]["tenure"]["not stated"]["n"] == 12


def test_snapshot_is_the_same_for_any_row_order():
    inputs = snapshot_inputs()
    shuffled = dict(inputs)
    for key in ("answers", "importance", "respondents", "matrix"):
        shuffled[key] = inputs[key].sample(frac=1, random_state=3).reset_index(drop=True)
    shuffled["items"] = ITEMS.sample(frac=1, random_state=4)
    assert assessment_scores(**shuffled) == assessment_scores(**inputs)


def test_snapshot_below_threshold_releases_counts_only():
    out = assessment_scores(**snapshot_inputs(4))
    assert out["n_respondents"] == 4
    assert not out["released"] and not out["comments_released"]
    assert out["domains"] == {} and out["stage"] is None and out["breakdowns"] == {}


def test_snapshot_of_empty_frames_does_not_crash():
    empty = assessment_scores(
        answers=answers([]),
        items=ITEMS.iloc[0:0],
        importance=None,
        respondents=None,
        matrix=None,
    )
    assert empty["n_respondents"] == 0 and empty["changes"] is None


def test_snapshot_reports_changes_against_the_previous_round():
    inputs = snapshot_inputs()
    previous = assessment_scores(**inputs, participation_index=60)
    later = dict(inputs)
    later["answers"] = inputs["answers"].assign(value=lambda f: np.minimum(f["value"] + 1, 5))
    out = assessment_scores(**later, previous=previous, participation_index=60)
    change = out["changes"]["domains"]["purpose"]
    expected = out["domains"]["purpose"]["mean_pct"] - previous["domains"]["purpose"]["mean_pct"]
    assert change["diff"] == pytest.approx(expected, abs=0.01)
    assert change["ci_low"] <= change["diff"] <= change["ci_high"]
    assert out["context"]["response_rate_history"] == [40.0, 40.0]
    assert out["stage"]["scores"]["purpose"] == out["domains"]["purpose"]["mean_pct"]


# the whole snapshot ----------------------------------------------------------

FACTS = RoundFacts(
    threshold=5,
    invited=30,
    submitted=12,
    comment_questions={"C_works": "What works?"},
    custom_questions=[("X1", "agreement", "Meetings start on time."), ("X2", "text", "A wish?")],
    response_by_group=[
        {"group": "Clinician", "invited": 20, "hidden": False, "completed": 10, "rate": 50},
        {"group": "Patient or carer", "invited": 10, "hidden": True},
    ],
)


def round_frames(n=12, texts=(), custom=()) -> RoundFrames:
    inputs = snapshot_inputs(n)
    return RoundFrames(
        answers=inputs["answers"],
        items=ITEMS,
        importance=inputs["importance"],
        respondents=inputs["respondents"].assign(frequency="monthly"),
        matrix=inputs["matrix"],
        dimension_codes=["a", "b"],
        texts=pd.DataFrame(list(texts), columns=["question", "text"]),
        custom_answers=pd.DataFrame(list(custom), columns=["respondent", "item", "value"]),
    )


@pytest.mark.parametrize("n", [12, 4], ids=["released", "under the threshold"])
def test_the_built_snapshot_holds_every_section_of_its_shape_and_nothing_else(n):
    data = snapshot_build(round_frames(n), FACTS, n_boot=200).data

    assert set(data) == set(SnapshotData.__annotations__)
    assert data["format"] == FORMAT
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data["context"]["response_rate"] == 40.0  # 12 of 30 invited submitted
    assert data["response_by_group"] == FACTS.response_by_group


def test_the_dashboard_gets_ten_comments_and_every_one_is_kept_apart_sorted():
    texts = [("C_works", f"comment {i:02}") for i in range(15, 0, -1)]

    built = snapshot_build(round_frames(texts=texts), FACTS, n_boot=200)

    every = sorted(text for _, text in texts)
    assert built.comments == {"C_works": {"question": "What works?", "answers": every}}
    assert built.data["comments"] == {
        "C_works": {"question": "What works?", "total": 15, "answers": every[:10]}
    }


def test_under_the_threshold_no_comment_or_own_question_answer_is_released():
    texts = [("C_works", "Good meetings"), ("X2", "More patients")]
    custom = [(r, "X1", 4.0) for r in range(1, 5)]

    built = snapshot_build(round_frames(4, texts, custom), FACTS, n_boot=200)

    assert built.comments == {} and built.data["comments"] == {}
    agreement, text = built.data["custom"]
    assert agreement == {
        "code": "X1",
        "kind": "agreement",
        "text": "Meetings start on time.",
        "n": 4,
        "shown": False,
    }
    assert (text["shown"], text["answers"]) == (False, [])


def test_the_snapshot_builder_runs_without_django():
    script = (
        "import sys; import scorecards.scoring.snapshot; "
        "sys.exit('django' in sys.modules or 'plotly' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", script], cwd=root, check=False).returncode == 0
