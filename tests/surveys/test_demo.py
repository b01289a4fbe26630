"""Demo answers look like a real round of the instrument they are for."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from surveys.demo import COMMENTS, FIRST_NAMES, FOLLOW_UPS, demo_answers
from surveys.instruments.validation import INSTRUMENTS_DIR, load_instrument_file, scale_items


def _definition(version: int) -> dict[str, Any]:
    return load_instrument_file(INSTRUMENTS_DIR / f"health-scorecard.v{version}.json")


def _round(version: int, respondents: int = 40, seed: int = 5) -> list[dict]:
    return demo_answers(
        definition=_definition(version),
        matrix=None,
        respondents=respondents,
        domain_pct=(60, 50, 40),
        matrix_level=3.0,
        frequency="monthly",
        seed=seed,
    )


@pytest.mark.parametrize("version", [1, 2])
def test_every_respondent_answers_every_rated_question_of_the_version(version: int) -> None:
    definition = _definition(version)
    asked = [i["code"] for i in scale_items(definition)]
    for section in ("function_importance", "function_performance"):
        asked += [i["code"] for i in definition.get(section, {}).get("items", [])]

    for person in _round(version):
        assert sorted(person["values"]) == sorted(asked)
        assert all(v is None or 1 <= v <= 5 for v in person["values"].values())


def test_v2_demo_includes_performance_answers_and_the_new_statements() -> None:
    people = _round(2)
    performance = [v for p in people for k, v in p["values"].items() if k.startswith("NOW_I_")]
    assert len(performance) == 6 * len(people)
    assert len({v for v in performance if v is not None}) >= 3  # spread, not one value
    assert {"P19", "P20", "P21", "M21", "M27", "M29"} <= set(people[0]["values"])


def test_performance_follows_how_well_the_functions_are_rated() -> None:
    def mean_performance(pct: float) -> float:
        people = demo_answers(
            definition=_definition(2),
            matrix=None,
            respondents=60,
            domain_pct=(50, pct, 50),
            matrix_level=3.0,
            frequency="monthly",
            seed=9,
        )
        values = [
            v
            for p in people
            for k, v in p["values"].items()
            if k.startswith("NOW_") and v is not None
        ]
        return sum(values) / len(values)

    assert mean_performance(80) > mean_performance(30) + 1


def test_no_comment_repeats_within_a_round() -> None:
    people = _round(2, respondents=60)
    texts = Counter(text for person in people for text in person["texts"].values())
    assert texts and max(texts.values()) == 1
    assert len(texts) >= 20  # plenty of different voices, not five lines repeated


def test_a_small_round_uses_the_plain_comments_before_any_with_a_second_sentence() -> None:
    people = _round(2, respondents=20)
    for code, pool in COMMENTS.items():
        assert {p["texts"][code] for p in people if code in p["texts"]} <= set(pool)


def test_a_large_round_still_never_repeats_a_comment() -> None:
    people = _round(2, respondents=130)  # enough for the comments page to paginate
    works = [p["texts"]["C_works"] for p in people if "C_works" in p["texts"]]
    assert len(works) > 50 and len(works) == len(set(works))


def test_a_round_larger_than_every_pool_leaves_later_boxes_empty_rather_than_repeat() -> None:
    people = _round(2, respondents=1000)
    for code, pool in COMMENTS.items():
        given = [p["texts"][code] for p in people if code in p["texts"]]
        assert len(given) == len(set(given)) == len(pool) * (1 + len(FOLLOW_UPS[code]))


def test_comment_pools_are_distinct_and_name_nobody() -> None:
    for code, pool in COMMENTS.items():
        assert len(pool) == len(set(pool)) >= 12, code
        assert len(FOLLOW_UPS[code]) == len(set(FOLLOW_UPS[code])), code
    every = [text for pool in (*COMMENTS.values(), *FOLLOW_UPS.values()) for text in pool]
    assert len(every) == len(set(every))
    words = {word.strip(".,;:") for text in every for word in text.split()}
    assert words.isdisjoint(FIRST_NAMES)  # members are asked not to name people


def test_the_same_seed_gives_the_same_round() -> None:
    assert _round(2, seed=11) == _round(2, seed=11)
    assert _round(2, seed=11) != _round(2, seed=12)
