"""Promises that hold for any data: ranges, row order, anonymity, confidence."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecards.scoring import breakdowns, stages
from scorecards.scoring import scores as scoring
from scorecards.scoring.snapshot import assessment_scores
from tests.scorecards import oracles

NAN = float("nan")
ITEMS = pd.DataFrame(
    [
        ("p1", "purpose_clarity", "purpose", False),
        ("p2", "purpose_clarity", "purpose", True),
        ("p3", "purpose_ownership", "purpose", False),
        ("f1", "fn_community", "function", False),
        ("f2", "fn_community", "function", True),
        ("f3", "fn_convening", "function", False),
        ("m1", "form_governance", "form", False),
        ("m2", "form_governance", "form", False),
        ("m3", "form_leadership", "form", True),
    ],
    columns=["item", "subdimension", "domain", "reverse"],
)
VALUES = st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, NAN])
ANSWER_CELLS = st.dictionaries(
    st.tuples(st.integers(1, 12), st.sampled_from(list(ITEMS["item"]))), VALUES, max_size=90
)
FAST = settings(max_examples=40, deadline=None)


def answers_from(cells: dict) -> pd.DataFrame:
    rows = [(r, item, v) for (r, item), v in cells.items()]
    return pd.DataFrame(rows, columns=["respondent", "item", "value"])


@FAST
@given(ANSWER_CELLS)
def test_scores_always_stay_on_the_1_to_5_and_0_to_100_scales(cells):
    scores = scoring.respondent_scores(answers_from(cells), ITEMS)
    values = scores.to_numpy(dtype=float)
    known = values[~np.isnan(values)]
    assert ((known >= 1) & (known <= 5)).all()
    percent = scoring.to_percent(known)
    assert ((percent >= 0) & (percent <= 100)).all()


@FAST
@given(ANSWER_CELLS)
def test_summary_shares_are_shares_and_means_on_the_scale(cells):
    a = answers_from(cells)
    summary = oracles.summarise(a, ITEMS, scoring.respondent_scores(a, ITEMS))
    for frame in summary.values():
        for column in ("agree_share", "agreement"):
            shares = frame[column].dropna()
            assert ((shares >= 0) & (shares <= 1)).all()
        means = frame["mean_pct"].dropna()
        assert ((means >= 0) & (means <= 100)).all()


@settings(max_examples=25, deadline=None)
@given(ANSWER_CELLS, st.randoms(use_true_random=False))
def test_shuffling_respondent_order_never_changes_the_snapshot(cells, rnd):
    a = answers_from(cells)
    ids = sorted(a["respondent"].unique())
    people = pd.DataFrame(
        {"respondent": ids, "group": [["x", "y", None][i % 3] for i in range(len(ids))]}
    )
    matrix = pd.DataFrame(
        [(r, d, float(1 + (r * 7 + len(d)) % 5), NAN) for r in ids for d in ("a", "bb")],
        columns=["respondent", "dimension", "current", "target"],
    )
    inputs = {
        "answers": a,
        "items": ITEMS,
        "respondents": people,
        "matrix": matrix,
        "threshold": 3,
        "network_age_months": 20,
        "response_rate": 30,
        "n_boot": 60,
    }
    expected = assessment_scores(**inputs)
    shuffled = dict(inputs)
    for key in ("answers", "respondents", "matrix"):
        order = list(range(len(inputs[key])))
        rnd.shuffle(order)
        shuffled[key] = inputs[key].iloc[order].reset_index(drop=True)
    assert assessment_scores(**shuffled) == expected


GROUP_SIZES = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e", "f"]), st.integers(1, 15), min_size=1
)


@FAST
@given(GROUP_SIZES, st.integers(3, 8))
def test_suppression_never_lets_a_hidden_group_be_worked_out(sizes, threshold):
    ids, groups, values = [], [], []
    for name, n in sizes.items():
        for i in range(n):
            ids.append(len(ids) + 1)
            groups.append(name)
            values.append(1.0 + (len(ids) + i) % 5)
    scores = pd.DataFrame({"purpose": values}, index=pd.Index(ids, name="respondent"))
    people = pd.DataFrame({"respondent": ids, "group": groups})
    out = breakdowns.breakdown(scores, people, "group", threshold)
    hidden = [g for g, entry in out.items() if entry["hidden"]]
    shown = {g: entry for g, entry in out.items() if not entry["hidden"]}
    for g in hidden:
        assert out[g] == {"hidden": True, "reason": "too few to show"}
    assert all(entry["n"] >= threshold for entry in shown.values())
    if len(ids) < threshold:  # the snapshot then releases nothing at all
        assert not shown
        return
    # what subtraction from the overall total reveals covers enough people, never one group
    left_over = len(ids) - sum(entry["n"] for entry in shown.values())
    assert left_over == 0 or left_over >= threshold
    assert len(hidden) != 1


def _measure(value, half):
    return stages.Measure(value, max(0, value - half), min(100, value + half), 20)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.floats(0, 100), min_size=3, max_size=3),
    st.lists(st.floats(0, 15), min_size=3, max_size=3),
    st.one_of(st.none(), st.floats(0, 120)),
    st.lists(st.floats(0, 1), min_size=3, max_size=3),
)
def test_a_clear_stage_holds_wherever_the_scores_lie_in_their_intervals(values, halves, age, where):
    """ "Clear" is a promise about the intervals: any network whose scores lie inside
    them is in the same stage."""
    shown = stages.stage_classify(
        stages.Evidence(20, 5, *map(_measure, values, halves), age_months=age)
    )
    if shown.certainty != "clear":
        return
    inside = [
        stages.Measure(v - h + 2 * h * w, None, None, 20)
        for v, h, w in zip(values, halves, where, strict=True)
    ]
    exact = stages.stage_classify(stages.Evidence(20, 5, *inside, age_months=age))
    assert exact.stage == shown.stage


@FAST
@given(
    st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0]), min_size=1, max_size=30),
    st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0]), min_size=1, max_size=30),
)
def test_change_interval_is_ordered_and_holds_the_change(now, before):
    change = oracles.change_with_ci(pd.Series(now), pd.Series(before), n_boot=200)
    assert change["ci_low"] <= change["ci_high"]
    assert change["ci_low"] >= -100 and change["ci_high"] <= 100


@FAST
@given(st.floats(1, 5))
def test_band_follows_the_mean_as_shown(mean):
    shown = round(mean, 2)
    expected = "strength" if shown >= 4 else "discuss" if shown >= 3 else "concern"
    assert scoring.band(mean) == expected
