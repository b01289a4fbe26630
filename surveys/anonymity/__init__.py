"""The one disclosure rule: what may be published about a round without pointing at
anyone. Pure functions, no Django and no I/O; every table that shows a count or a
statistic by group goes through here.

A group with fewer people than the anonymity threshold is hidden, and so is
whatever would let it be worked out by subtraction: the overall number is
published, so the people in hidden groups, taken together, must be at least the
threshold too. Hidden groups show neither n nor scores.
"""

from __future__ import annotations

MIN_THRESHOLD = 3
NOT_STATED = "not stated"
HIDDEN = {"hidden": True, "reason": "too few to show"}


def check_threshold(threshold: int) -> int:
    """The anonymity threshold, refused below 3."""
    if threshold is None or int(threshold) < MIN_THRESHOLD:
        raise ValueError(f"the anonymity threshold is never below {MIN_THRESHOLD}")
    return int(threshold)


def too_few(n: int | None, threshold: int) -> bool:
    """A published cell needs at least ``threshold`` people behind it, counted per cell
    ("don't know" and skipped left out); an unknown count is too few."""
    return n is None or int(n) < check_threshold(threshold)


def comments_released(n_respondents: int, threshold: int) -> bool:
    """Free-text comments are released only once ``n_respondents >= threshold``."""
    return int(n_respondents) >= check_threshold(threshold)


def hidden_groups(sizes: dict[str, int], threshold: int) -> set[str]:
    """Names of the groups to hide, given each group's size.

    Every group under the threshold is hidden. While the hidden groups together
    hold fewer than ``threshold`` people (so their total, and with one hidden
    group its mean, could be found by subtracting the shown groups from the
    overall figures), the smallest shown group is hidden too (ties: by name).
    """
    threshold = check_threshold(threshold)
    hidden = {g for g, n in sizes.items() if n < threshold}
    while hidden and sum(sizes[g] for g in hidden) < threshold:
        shown = [g for g in sizes if g not in hidden]
        if not shown:
            break
        hidden.add(min(shown, key=lambda g: (sizes[g], str(g))))
    return hidden
