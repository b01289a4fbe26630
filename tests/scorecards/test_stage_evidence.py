"""The stage as the snapshot works it out from a round's answers: bad input (no
founding date, one respondent, every answer "don't know", 10,000 respondents) gives a
clear outcome, never a crash or a confident number."""

import numpy as np
import pandas as pd

from scorecards.scoring.snapshot import assessment_scores
from scorecards.scoring.stage_evidence import history_of
from tests.scorecards.test_scoring import ITEMS, snapshot_inputs


def answered(n, value_of, seed=1):
    rng = np.random.default_rng(seed)
    rows = [(r, item, value_of(rng)) for r in range(1, n + 1) for item in ITEMS["item"]]
    return pd.DataFrame(rows, columns=["respondent", "item", "value"])


def inputs(n=12, **changes):
    base = snapshot_inputs(n)
    base.update(changes)
    return base


def test_without_a_founding_date_the_stage_says_which_rules_were_not_applied():
    stage = assessment_scores(**inputs(network_age_months=None))["stage"]

    assert stage["stage"] in ("pre-emergent", "emerging", "established", "dormant")
    assert any("age is not known" in note for note in stage["not_applied"])


def test_one_respondent_gives_no_stage_and_no_scores():
    base = inputs()
    frames = ("answers", "importance", "respondents", "matrix")
    one = {k: base[k][base[k]["respondent"] == 1] for k in frames}

    out = assessment_scores(**{**base, **one})

    assert out["released"] is False and out["stage"] is None and out["domains"] == {}


def test_every_answer_dont_know_gives_not_enough_evidence():
    dont_know = answered(12, lambda rng: np.nan)

    stage = assessment_scores(**inputs(answers=dont_know, matrix=None, importance=None))["stage"]

    assert stage["stage"] == stage["certainty"] == "not enough evidence"
    assert "don't know" in stage["summary"]
    assert stage["scores"]["purpose"] is None


def test_a_domain_resting_on_one_sub_dimension_of_four_is_not_a_score():
    subs = ("clarity", "ownership", "compelling", "needs")
    items = pd.DataFrame(
        [(f"{s}{i}", s, "purpose", False) for s in subs for i in range(3)],
        columns=["item", "subdimension", "domain", "reverse"],
    )
    two_items = pd.DataFrame(
        [(r, item, 5.0) for r in range(1, 13) for item in ("clarity0", "clarity1")],
        columns=["respondent", "item", "value"],
    )

    out = assessment_scores(**inputs(answers=two_items, items=items, matrix=None, importance=None))

    assert out["stage"]["stage"] == "not enough evidence"
    assert out["stage"]["scores"]["purpose"] is None


def test_ten_thousand_respondents_give_a_clear_stage_with_narrow_intervals():
    many = answered(10_000, lambda rng: float(rng.choice([4, 5])))

    stage = assessment_scores(**inputs(answers=many, matrix=None, importance=None))["stage"]

    assert stage["certainty"] == "clear"
    widths = [c["high"] - c["low"] for c in stage["conditions"] if c["low"] is not None]
    assert widths and max(widths) < 2


def test_earlier_rounds_are_carried_forward_with_their_age():
    first = {
        "context": {"response_rate": 60, "participation_index": 50, "history": []},
        "domains": {"function": {"mean_pct": 70}},
        "stage": {"stage": "established"},
    }
    second = {
        "context": {
            "response_rate": 40,
            "participation_index": 30,
            "history": history_of(first, 6),
        },
        "domains": {"function": {"mean_pct": 50}},
        "stage": {"stage": "emerging"},
    }

    history = history_of(second, 12)

    assert [(r["stage"], r["months_ago"], r["impact"]) for r in history] == [
        ("established", 18, 70),
        ("emerging", 12, 50),
    ]


def test_across_versions_only_what_both_ask_alike_is_compared():
    earlier = assessment_scores(**inputs(20))
    comparable = {"purpose_clarity": "purpose_clarity"}  # one sub-dimension asked alike

    later = assessment_scores(**inputs(20, previous=earlier, comparable=comparable))
    same = assessment_scores(**inputs(20, previous=earlier))

    assert later["changes"]["domains"] == {}
    assert set(later["changes"]["subdimensions"]) == {"purpose_clarity"}
    assert later["context"]["compared_across_versions"] is True
    assert set(same["changes"]["domains"]) == {"purpose", "function", "form"}


def test_a_round_on_the_next_version_compares_only_what_the_instrument_declares():
    from types import SimpleNamespace

    from scorecards.answers import comparable_with
    from surveys.instruments.validation import INSTRUMENTS_DIR, load_instrument_file

    def round_on(version):
        definition = load_instrument_file(INSTRUMENTS_DIR / f"health-scorecard.v{version}.json")
        return SimpleNamespace(
            health_scorecard=SimpleNamespace(pk=version, version=version, definition=definition)
        )

    mapping = comparable_with(round_on(1), round_on(2))

    assert comparable_with(round_on(2), round_on(2)) is None
    assert mapping["purpose_clarity"] == "purpose_clarity"
    assert "purpose_impact" not in mapping and "fn_community" not in mapping
