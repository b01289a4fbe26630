"""Stage rules: each threshold from both sides, the reasons, next steps and confidence."""

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecards.scoring import stages
from scorecards.scoring.stages import STAGE_RULES, StageContext, StageInputs, stage_classify
from tests.scorecards import oracles

EMERGING_BASE = StageInputs(
    purpose=55,
    function=55,
    form=55,
    matrix_median=None,
    network_age_months=24,
    response_rate=50,
    participation_index=50,
    previous_function=None,
)
DORMANT_BASE = dataclasses.replace(
    EMERGING_BASE, network_age_months=12, participation_index=34.99, function=44.99
)
ESTABLISHED_BASE = dataclasses.replace(EMERGING_BASE, purpose=65, function=60, form=60)


def stage(base: StageInputs, **changes) -> str:
    return stage_classify(dataclasses.replace(base, **changes)).stage


def test_default_rules_are_the_framework_thresholds():
    assert STAGE_RULES == {
        "dormant_age_at_least": 12,
        "dormant_participation_below": 35,
        "dormant_response_rate_below": 25,
        "dormant_function_below": 45,
        "dormant_function_drop_at_least": 15,
        "established_purpose_at_least": 65,
        "established_function_at_least": 60,
        "established_form_at_least": 60,
        "established_matrix_median_at_least": 3.5,
        "pre_emergent_age_below": 6,
        "pre_emergent_purpose_below": 50,
        "pre_emergent_form_below": 40,
    }


def test_middling_network_is_emerging():
    assert stage(EMERGING_BASE) == "emerging"


# dormant ---------------------------------------------------------------------


def test_dormant_needs_twelve_months_of_age():
    assert stage(DORMANT_BASE) == "dormant"
    assert stage(DORMANT_BASE, network_age_months=11.99) != "dormant"
    assert stage(DORMANT_BASE, network_age_months=None) != "dormant"


def test_dormant_needs_participation_under_35_or_response_under_25():
    assert stage(DORMANT_BASE, participation_index=35) != "dormant"
    assert stage(DORMANT_BASE, participation_index=35, response_rate=24.99) == "dormant"
    assert stage(DORMANT_BASE, participation_index=35, response_rate=25) != "dormant"


def test_unknown_participation_is_ignored_and_said_so():
    result = stage_classify(dataclasses.replace(DORMANT_BASE, participation_index=None))
    assert result.stage != "dormant"
    condition = next(c for c in result.conditions if c["rule"] == "dormant.participation")
    assert condition["met"] is False
    assert condition["text"] == "Participation index is not known, so this condition is ignored"
    assert stage(DORMANT_BASE, participation_index=None, response_rate=24) == "dormant"


def test_dormant_needs_function_under_45_or_down_15_points():
    assert stage(DORMANT_BASE, function=45) != "dormant"
    assert stage(DORMANT_BASE, function=45, previous_function=60) == "dormant"
    assert stage(DORMANT_BASE, function=45, previous_function=59.99) != "dormant"


def test_dormant_rule_comes_before_established():
    fallen = dataclasses.replace(ESTABLISHED_BASE, function=62, previous_function=80)
    assert stage(fallen, network_age_months=24, participation_index=20) == "dormant"


# established -----------------------------------------------------------------


def test_established_needs_purpose_65_function_60_form_60():
    assert stage(ESTABLISHED_BASE) == "established"
    assert stage(ESTABLISHED_BASE, purpose=64.99) == "emerging"
    assert stage(ESTABLISHED_BASE, function=59.99) == "emerging"
    assert stage(ESTABLISHED_BASE, form=59.99) == "emerging"
    assert stage(ESTABLISHED_BASE, form=None) == "emerging"


def test_established_needs_matrix_median_35_only_where_rated():
    assert stage(ESTABLISHED_BASE, matrix_median=3.5) == "established"
    assert stage(ESTABLISHED_BASE, matrix_median=3.49) == "emerging"
    assert stage(ESTABLISHED_BASE, matrix_median=None) == "established"


def test_scores_are_compared_as_shown_to_two_decimals():
    assert stage(ESTABLISHED_BASE, purpose=64.996) == "established"
    assert stage(ESTABLISHED_BASE, purpose=64.994) == "emerging"


def test_established_comes_before_pre_emergent():
    assert stage(ESTABLISHED_BASE, network_age_months=3) == "established"


# pre-emergent ----------------------------------------------------------------


def test_pre_emergent_when_under_six_months_old():
    assert stage(EMERGING_BASE, network_age_months=5.99) == "pre-emergent"
    assert stage(EMERGING_BASE, network_age_months=6) == "emerging"


def test_pre_emergent_when_purpose_under_50_and_form_under_40():
    assert stage(EMERGING_BASE, purpose=49.99, form=39.99) == "pre-emergent"
    assert stage(EMERGING_BASE, purpose=50, form=39.99) == "emerging"
    assert stage(EMERGING_BASE, purpose=49.99, form=40) == "emerging"


def test_rules_can_be_changed_but_not_misspelt():
    strict = {"established_form_at_least": 70}
    assert stage_classify(ESTABLISHED_BASE, strict).stage == "emerging"
    with pytest.raises(ValueError, match="unknown stage rules"):
        stage_classify(ESTABLISHED_BASE, {"established_from_at_least": 70})


# conditions and next steps ---------------------------------------------------


def test_conditions_say_what_decided_the_stage():
    result = stage_classify(dataclasses.replace(EMERGING_BASE, form=53))
    by_rule = {c["rule"]: c for c in result.conditions}
    assert set(by_rule) >= {"dormant.age", "established.form", "pre_emergent.form"}
    assert by_rule["established.form"] == {
        "rule": "established.form",
        "text": "Form 53 is under 60",
        "value": 53.0,
        "threshold": 60,
        "met": False,
    }
    dormant = stage_classify(DORMANT_BASE)
    assert all(c["rule"].startswith("dormant.") for c in dormant.conditions)
    assert dormant.to_dict()["stage"] == "dormant"


def test_next_steps_to_established_give_the_points_needed():
    result = stage_classify(dataclasses.replace(EMERGING_BASE, purpose=70, function=62, form=53))
    assert result.next_steps == ["Form needs to rise 7 points, from 53 to 60, to be established."]
    two = stage_classify(
        dataclasses.replace(EMERGING_BASE, purpose=60.5, function=62, form=60, matrix_median=3)
    )
    assert two.next_steps == [
        "Purpose needs to rise 4.5 points, from 60.5 to 65, to be established.",
        "The median matrix level needs to rise 0.5 levels, from 3 to 3.5, to be established.",
        "Both changes are needed.",
    ]


def test_next_steps_to_emerging_offer_the_cheaper_score_or_time():
    low = stage_classify(dataclasses.replace(EMERGING_BASE, purpose=42, form=35))
    assert low.stage == "pre-emergent"
    assert low.next_steps == [
        "Form needs to rise 5 points, from 35 to 40, or purpose 8 points, from 42 to 50, "
        "to be emerging."
    ]
    young = stage_classify(dataclasses.replace(EMERGING_BASE, network_age_months=3))
    assert young.next_steps == ["The network needs to be 6 months old (it is 3) to be emerging."]


def test_next_steps_for_a_dormant_network_say_what_would_revive_it():
    result = stage_classify(
        dataclasses.replace(DORMANT_BASE, participation_index=20, response_rate=30, function=40)
    )
    assert result.next_steps == [
        "To revive it, raise engagement: the participation index 15 points, from 20 to 35.",
        "Or strengthen function: it needs to rise 5 points, from 40 to 45.",
    ]
    fallen = stage_classify(
        dataclasses.replace(DORMANT_BASE, response_rate=20, function=50, previous_function=80)
    )
    assert fallen.stage == "dormant"
    assert fallen.next_steps[-1] == (
        "Or strengthen function: it needs to rise more than 15 points, from 50 to above 65, "
        "to be within 15 points of the previous round's 80."
    )
    assert "the response rate 5 points, from 20% to 25%" in fallen.next_steps[0]


def test_next_steps_for_an_established_network_say_how_to_keep_it():
    result = stage_classify(
        dataclasses.replace(
            ESTABLISHED_BASE, purpose=70, function=62, form=61, matrix_median=4, response_rate=40
        )
    )
    assert result.next_steps[:2] == [
        "To stay established, keep purpose at 65 or more (now 70), function at 60 or more "
        "(now 62), form at 60 or more (now 61), the median matrix level at 3.5 or more (now 4).",
        "The closest is form: a fall of more than 1 point would make the network emerging.",
    ]
    assert result.next_steps[2].startswith("It would become dormant if engagement fell")
    assert "participation index under 35, now 50" in result.next_steps[2]
    young = stage_classify(dataclasses.replace(ESTABLISHED_BASE, network_age_months=8))
    assert young.next_steps[-1] == "It cannot become dormant before it is 12 months old (it is 8)."


def test_participation_index_maps_frequency_levels_to_0_100():
    assert stages.participation_index([1, 5, 3]) == 50.0
    assert stages.participation_index([1, 2, None], n_levels=3) == 25.0
    assert stages.participation_index([]) is None
    order = ["rarely", "quarterly", "monthly", "weekly"]
    assert stages.participation_index(["weekly", "rarely", None, "x"], order=order) == 50.0


# vectorised rules and confidence --------------------------------------------


@pytest.mark.parametrize(
    "base",
    [EMERGING_BASE, DORMANT_BASE, ESTABLISHED_BASE],
)
@pytest.mark.parametrize(
    "change",
    [
        {},
        {"purpose": 64.99},
        {"form": 39.99, "purpose": 49.99},
        {"network_age_months": 5.99},
        {"function": 45, "previous_function": 60},
        {"matrix_median": 3.49},
        {"participation_index": None, "response_rate": 24.99},
    ],
)
def test_vectorised_rules_agree_with_stage_classify(base, change):
    x = dataclasses.replace(base, **change)
    ctx = StageContext(
        x.network_age_months, x.response_rate, x.participation_index, x.previous_function
    )
    nan = np.nan
    got = stages.stages_of(
        [nan if x.purpose is None else x.purpose],
        [x.function],
        [x.form],
        [nan if x.matrix_median is None else x.matrix_median],
        ctx,
    )
    assert got[0] == stage_classify(x).stage


def percent_scores(purpose, function, form):
    n = len(purpose)
    index = pd.Index(range(1, n + 1), name="respondent")
    return pd.DataFrame({"purpose": purpose, "function": function, "form": form}, index=index)


def test_confidence_is_one_for_a_clear_cut_network():
    rng = np.random.default_rng(1)
    scores = percent_scores(*(rng.uniform(85, 95, 40) for _ in range(3)))
    context = StageContext(network_age_months=24, response_rate=60, participation_index=60)
    assert oracles.stage_confidence(scores, None, context) == 1.0


def test_confidence_is_between_zero_and_one_on_the_border():
    form = np.array([50.0, 70.0] * 15)  # mean exactly 60: established, only just
    scores = percent_scores(np.full(30, 80.0), np.full(30, 80.0), form)
    context = StageContext(network_age_months=24, response_rate=60, participation_index=60)
    confidence = oracles.stage_confidence(scores, None, context, seed=5)
    assert 0.3 < confidence < 0.8
    assert oracles.stage_confidence(scores, None, context, seed=5) == confidence
    shuffled = scores.sample(frac=1, random_state=2)
    assert oracles.stage_confidence(shuffled, None, context, seed=5) == confidence


def test_confidence_resamples_the_matrix_median():
    scores = percent_scores(np.full(30, 80.0), np.full(30, 80.0), np.full(30, 80.0))
    medians = pd.Series([3.0, 4.0] * 15, index=scores.index)  # median 3.5: only just
    context = StageContext(network_age_months=24)
    confidence = oracles.stage_confidence(scores, medians, context)
    assert 0.2 < confidence < 0.8
    high = pd.Series([4.0] * 30, index=scores.index)
    assert oracles.stage_confidence(scores, high, context) == 1.0


def test_confidence_without_respondents_is_none():
    empty = percent_scores([], [], [])
    assert oracles.stage_confidence(empty, None, StageContext()) is None


def test_median_from_counts_handles_odd_even_and_empty_samples():
    distinct = np.array([1.0, 2.0, 3.5])
    counts = np.array([[1, 1, 1], [1, 0, 1], [0, 0, 0], [3, 0, 1]], dtype=float)
    medians = stages._median_from_counts(counts, distinct)
    assert medians[:2].tolist() == [2.0, 2.25]
    assert np.isnan(medians[2])
    assert medians[3] == 1.0


def test_every_stage_threshold_is_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "stages.md").read_text()
    for name in STAGE_RULES:
        assert f"`{name}`" in doc
