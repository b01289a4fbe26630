"""The one disclosure rule (quality T1): every table that shows groups hides the same
ones."""

import pytest

from surveys import anonymity


def test_one_small_group_is_hidden_with_the_next_smallest():
    assert anonymity.hidden_groups({"A": 9, "B": 6, "C": 2}, 5) == {"C", "B"}


def test_small_groups_that_together_stay_under_the_threshold_take_another_with_them():
    # B + C = 4 people: showing A would give their total by subtraction from the whole.
    assert anonymity.hidden_groups({"A": 10, "B": 2, "C": 2}, 5) == {"A", "B", "C"}


def test_small_groups_that_together_reach_the_threshold_hide_only_themselves():
    assert anonymity.hidden_groups({"A": 9, "B": 3, "C": 2}, 5) == {"B", "C"}


def test_groups_at_the_threshold_are_shown():
    assert anonymity.hidden_groups({"A": 5, "B": 5}, 5) == set()


def test_a_lone_small_group_with_nothing_else_to_hide_stays_hidden():
    assert anonymity.hidden_groups({"A": 2}, 5) == {"A"}


@pytest.mark.parametrize("threshold", [0, 1, 2, None])
def test_a_threshold_under_three_is_refused(threshold):
    with pytest.raises(ValueError, match="never below 3"):
        anonymity.check_threshold(threshold)
