"""Stage model v2: each edge case that broke the first rules gives a defensible answer,
and "clear" means what a reader takes it to mean."""

from pathlib import Path

import numpy as np
import pytest

from scorecards.scoring import next_steps as steps_of
from scorecards.scoring.intervals import mean_interval
from scorecards.scoring.stage_evidence import participation_index
from scorecards.scoring.stages import (
    DORMANT,
    EMERGING,
    ESTABLISHED,
    LINES,
    NOT_ENOUGH,
    PRE_EMERGENT,
    Evidence,
    Measure,
    PastRound,
    StageResult,
    stage_classify,
)
from scorecards.scoring.words import say


def next_steps(result) -> list[str]:
    """The next steps as a reader sees them (English here)."""
    return [say(step) for step in steps_of.next_steps(result)]


def around(value: float, half_width: float = 4, n: int = 20) -> Measure:
    return Measure(value, value - half_width, value + half_width, n)


def evidence(purpose=60, function=60, form=60, **fields) -> Evidence:
    return Evidence(
        n_respondents=fields.pop("n", 20),
        threshold=5,
        purpose=around(purpose) if not isinstance(purpose, Measure) else purpose,
        function=around(function) if not isinstance(function, Measure) else function,
        form=around(form) if not isinstance(form, Measure) else form,
        **fields,
    )


# ---- the edge cases --------------------------------------------------------------


def test_a_six_year_old_network_whose_function_fell_is_dormant_not_pre_emergent():
    e = evidence(45, 46, 35, age_months=72, response_rate=26, history=(PastRound(40, None, 70),))

    result = stage_classify(e)

    # Function 46 (interval 42 to 50) is on the line for low impact: a failed purpose
    # or not is too close to call, and planning is out of the question.
    assert result.certainty == "borderline"
    assert set(result.alternatives) == {EMERGING, DORMANT}
    assert "impact_low" in result.uncertain_because


def test_a_six_year_old_network_whose_function_collapsed_is_dormant():
    e = evidence(60, 30, 55, age_months=72, response_rate=60, history=(PastRound(60, None, 75),))

    assert stage_classify(e).stage == DORMANT


def test_an_old_network_with_low_scores_is_never_planning():
    result = stage_classify(evidence(35, 50, 30, age_months=48, response_rate=70))

    assert PRE_EMERGENT not in result.alternatives


def test_without_a_founding_date_a_failing_network_can_still_be_called_dormant():
    e = evidence(50, 20, 50, n=6, response_rate=5)

    result = stage_classify(e)

    assert DORMANT in result.alternatives and result.certainty == "borderline"
    assert any("age is not known" in text for text in result.not_applied)


def test_without_a_founding_date_falling_engagement_is_enough_to_judge_dormancy():
    e = evidence(55, 30, 50, response_rate=20, history=(PastRound(60, None, 40),))

    assert stage_classify(e).stage == DORMANT


def test_skipping_the_matrix_neither_helps_nor_hurts():
    without = stage_classify(evidence(70, 66, 66, age_months=30))
    low_matrix = stage_classify(evidence(70, 66, 66, age_months=30, matrix=around(50)))
    high_matrix = stage_classify(evidence(70, 66, 62, age_months=30, matrix=around(80)))

    assert without.stage == ESTABLISHED
    assert low_matrix.stage != ESTABLISHED  # a low matrix level can hurt...
    assert high_matrix.stage == ESTABLISHED  # ...and a high one help


def test_every_answer_dont_know_gives_not_enough_evidence_not_a_stage():
    unknown = Measure.unknown()
    result = stage_classify(evidence(unknown, unknown, unknown, age_months=20))

    assert result.stage == NOT_ENOUGH and result.certainty == NOT_ENOUGH


def test_one_respondent_gives_not_enough_evidence():
    assert stage_classify(evidence(n=1)).stage == NOT_ENOUGH


def test_a_stage_on_the_line_is_borderline_and_names_the_condition():
    result = stage_classify(evidence(70, 61, 70, age_months=30))

    assert result.stage == ESTABLISHED and result.certainty == "borderline"
    assert result.alternatives == [ESTABLISHED, EMERGING]
    assert result.uncertain_because == ["functions_clear"]


def test_a_young_network_still_planning_is_pre_emergent():
    assert stage_classify(evidence(38, 50, 30, age_months=4)).stage == PRE_EMERGENT


def test_few_answers_say_so_in_the_summary():
    result = stage_classify(evidence(70, 61, 70, age_months=30, response_rate=20))

    assert "Only 20% of members answered" in result.summary


def test_a_stage_decided_by_age_alone_is_not_clear_when_the_scores_are_on_the_line():
    """The old confidence showed 100% whenever age decided; now a young network whose
    purpose and form sit on the lines for "still planning" is borderline, and says so."""
    result = stage_classify(evidence(50, 52, 46, age_months=4))

    assert result.certainty == "borderline"
    assert set(result.alternatives) == {PRE_EMERGENT, EMERGING}


def test_eight_of_forty_answering_widens_the_intervals_and_the_summary_says_why():
    spread = np.array([-16, 16, -6, 6, -8, 8, 0, 0])  # eight members' own scores about the mean
    measures = [mean_interval(mean + spread, population=40) for mean in (68, 63, 63)]
    e = Evidence(8, 5, *measures, age_months=30, response_rate=20)

    result = stage_classify(e)

    assert result.certainty == "borderline"
    assert "Only 20% of members answered, which widens the margins." in result.summary


# ---- intervals -------------------------------------------------------------------


def test_the_interval_narrows_as_more_of_the_network_answers():
    scores = [40, 55, 60, 62, 70, 75, 80, 52]
    few = mean_interval(scores, population=80)
    most = mean_interval(scores, population=9)
    everyone = mean_interval(scores, population=8)

    assert few.value == most.value == pytest.approx(np.mean(scores))
    assert (most.high - most.low) < (few.high - few.low)
    assert everyone.low == everyone.high == pytest.approx(np.mean(scores))


def test_a_mean_under_the_threshold_is_not_given():
    assert mean_interval([50, 60], threshold=5).value is None


# ---- calibration: "clear" is right at least 9 times in 10 ---------------------------

SCENARIOS = {
    # purpose, function, form (population means), age in months
    "established by about 3 points": (68, 63, 63, 30),
    "just short of established": (67, 57, 63, 30),
    "emerging, well clear": (58, 52, 50, 30),
    "young and planning": (42, 50, 40, 5),
    "long-lived with low impact": (55, 38, 50, 60),
}


def population(means, size, rng):
    """Members' own domain scores: spread as real answers are, kept on 0 to 100."""
    return {
        name: np.clip(rng.normal(mean, 16, size), 0, 100)
        for name, mean in zip(("purpose", "function", "form"), means, strict=True)
    }


def staged(scores: dict, age: float, members: int, picked=None) -> str:
    def measure(name):
        values = scores[name] if picked is None else scores[name][picked]
        return mean_interval(values, population=members)

    n = members if picked is None else len(picked)
    e = Evidence(n, 5, measure("purpose"), measure("function"), measure("form"), age_months=age)
    return stage_classify(e)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_clear_stages_are_right_at_least_nine_times_in_ten_for_25_of_40(scenario):
    *means, age = SCENARIOS[scenario]
    rng = np.random.default_rng(2026)
    right = clear = 0
    for _ in range(60):  # networks
        members = population(means, 40, rng)
        truth = staged(members, age, 40).stage  # everyone answered: no uncertainty
        for _ in range(10):  # samples of 25 respondents from each
            result = staged(members, age, 40, rng.choice(40, 25, replace=False))
            if result.certainty == "clear":
                clear += 1
                right += result.stage == truth
    assert clear > 0
    assert right / clear >= 0.9, f"{scenario}: {right} of {clear} clear stages right"


# ---- next steps, participation, documentation ----------------------------------------


def conds(result):
    return {c.key: c for c in result.conditions}


def test_next_steps_for_an_emerging_network_give_the_points_to_established():
    result = stage_classify(evidence(52, 55, 58, age_months=24, n=25))

    steps = next_steps(result)

    assert result.stage == EMERGING
    assert "Purpose needs to rise about 13 points, from 52 to 65, to be established." in steps
    assert "Function needs to rise about 5 points, from 55 to 60, to be established." in steps
    assert steps[-1] == "Each of these is needed."


def test_next_steps_for_a_planning_network_name_what_is_missing_and_time():
    result = stage_classify(evidence(41, 48, 35, age_months=3))

    steps = next_steps(result)

    assert "Purpose needs to rise about 9 points, from 41 to 50, to be emerging." in steps
    assert "Form needs to rise about 10 points, from 35 to 45, to be emerging." in steps
    assert "At 12 months old (it is 3)" in steps[-1]


def test_next_steps_for_an_established_network_name_the_closest_line():
    result = stage_classify(evidence(76, 68, 66, age_months=30))

    steps = next_steps(result)

    assert "Keep form at 60 or more (now 66)." in steps
    assert steps[-1].startswith("The closest line is form: a fall of about 6 points")


def test_next_steps_for_a_dormant_network_say_what_would_revive_it():
    result = stage_classify(evidence(55, 38, 50, age_months=60))

    steps = next_steps(result)

    assert result.stage == DORMANT
    assert steps[0].startswith("Function needs to rise about 7 points, from 38 to 45")
    assert "close it well" in steps[-1]


def test_participation_index_maps_frequency_levels_to_0_100():
    assert participation_index([1, 5, 3]) == 50.0
    assert participation_index([1, 2, None], n_levels=3) == 25.0
    assert participation_index([]) is None
    order = ["rarely", "quarterly", "monthly", "weekly"]
    assert participation_index(["weekly", "rarely", None, "x"], order=order) == 50.0


def test_every_line_of_the_decision_table_is_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "stages.md").read_text()
    for name, (_, value, unit) in LINES.items():
        assert f"`{name}`" in doc
        assert f"| `{name}` | {value:g} {unit} |" in doc


# ---- calibration with history: the fall in impact is an estimate too ------------------

HISTORY_SCENARIOS = {
    # members, answering, age, (purpose, function, form), impact before -> now,
    # response rate before -> now
    "impact 3 points under its line, engagement falling": (
        40,
        25,
        24,
        (66, 62, 62),
        (60, 42),
        (60, 45),
    ),
    "impact 3 points over its line, engagement falling": (
        40,
        25,
        24,
        (66, 62, 62),
        (60, 48),
        (60, 45),
    ),
    "impact falling by about the line": (40, 25, 24, (66, 62, 62), (55, 41), (60, 60)),
    "long-lived, low impact, rising a little": (40, 25, 48, (66, 62, 62), (36, 42), (60, 62)),
    "a small network, six of ten answering": (10, 6, 24, (66, 62, 62), (58, 44), (60, 45)),
}


def staged_with_history(rounds, members, age, rates, picks=(None, None)) -> StageResult:
    def measure(values, pick):
        return mean_interval(values if pick is None else values[pick], population=members)

    before = measure(rounds[0]["impact"], picks[0])
    now = {k: measure(v, picks[1]) for k, v in rounds[1].items()}
    n = members if picks[1] is None else len(picks[1])
    past = PastRound(rates[0], before.value, impact_se=before.standard_error)
    e = Evidence(
        n, 5, now["purpose"], now["function"], now["form"], impact=now["impact"],
        age_months=age, response_rate=rates[1], history=(past,),
    )  # fmt: skip
    return stage_classify(e)


@pytest.mark.parametrize("scenario", sorted(HISTORY_SCENARIOS))
def test_clear_stages_with_history_are_right_at_least_nine_times_in_ten(scenario):
    members, answering, age, means, impacts, rates = HISTORY_SCENARIOS[scenario]
    rng = np.random.default_rng(2027)
    right = clear = 0
    for _ in range(120):  # networks; clear calls near a line are few, so many are needed
        rounds = [
            {"impact": np.clip(rng.normal(impacts[0], 16, members), 0, 100)},
            {
                name: np.clip(rng.normal(mean, 16, members), 0, 100)
                for name, mean in zip(
                    ("purpose", "function", "form", "impact"), (*means, impacts[1]), strict=True
                )
            },
        ]
        truth = staged_with_history(rounds, members, age, rates).stage
        for _ in range(10):
            picks = tuple(rng.choice(members, answering, replace=False) for _ in range(2))
            result = staged_with_history(rounds, members, age, rates, picks)
            if result.certainty == "clear":
                clear += 1
                right += result.stage == truth
    assert clear > 0
    assert right / clear >= 0.9, f"{scenario}: {right} of {clear} clear stages right"


def test_a_borderline_stage_says_once_what_would_settle_it():
    result = stage_classify(evidence(65, 60, 62, age_months=48))

    steps = next_steps(result)

    assert result.certainty == "borderline"
    assert steps[0].startswith("The stage turns on ")
    assert "whether function has reached 60" in steps[0]
    assert not any("needs to rise about 0 points" in step for step in steps)
