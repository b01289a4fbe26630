"""The release audit (quality T3): after it, nothing published for a round, in any
release or breakdown, determines what fewer than the threshold of people answered.

Checked against a plain oracle that asks the linear-algebra question directly, one
respondent at a time: is their unit vector in the row space of what was published?"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.anonymity.audit import Cell, at_risk, audit_family, release_audit

K = 5


def exposed_by_oracle(rows: np.ndarray) -> list[int]:
    """Respondents whose own value is a linear combination of the published rows."""
    if rows.size == 0:
        return []
    rank = np.linalg.matrix_rank(rows)
    out = []
    for i in range(rows.shape[1]):
        unit = np.zeros(rows.shape[1])
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([rows, unit])) == rank:
            out.append(i)
    return out


def small_sums_by_oracle(rows: np.ndarray, threshold: int) -> list[tuple[int, ...]]:
    """Groups of fewer than `threshold` people who are in exactly the same published
    cells, and whose total is a linear combination of the published rows."""
    if rows.size == 0:
        return []
    rank = np.linalg.matrix_rank(rows)
    groups: dict[tuple, list[int]] = {}
    for i in range(rows.shape[1]):
        groups.setdefault(tuple(rows[:, i]), []).append(i)
    found = []
    for people in groups.values():
        indicator = np.zeros(rows.shape[1])
        indicator[people] = 1
        if len(people) < threshold and np.linalg.matrix_rank(np.vstack([rows, indicator])) == rank:
            found.append(tuple(people))
    return found


def cells_of(attributes: dict[str, list], present: np.ndarray, release: int, published=False):
    """The cells a release publishes: everyone who had answered, then one cell per value
    of each attribute, leaving out cells under the threshold (they are never shown)."""
    cells = [Cell((release, "all"), present.copy(), published, priority=1)]
    for name, values in attributes.items():
        for value in sorted(set(values)):
            members = present & (np.array(values) == value)
            if members.sum() >= K:
                cells.append(Cell((release, name, value), members, published))
    return cells


def kept_rows(cells: list[Cell], suppressed: set) -> np.ndarray:
    return np.array([c.members for c in cells if c.label not in suppressed], dtype=float)


# ---- the attacks the audit must stop -----------------------------------------------


def test_coordinator_combining_two_breakdowns_cannot_isolate_the_one_patient():
    # 5 clinicians with more than 2 years, 5 managers with 1-2 years, 1 patient new:
    # each breakdown hides the patient, yet 11*overall - 5*Manager - 5*gt_2y is them.
    group = ["clinician"] * 5 + ["manager"] * 5 + ["patient"]
    tenure = ["gt_2y"] * 5 + ["1_2y"] * 5 + ["lt_6m"]
    cells = cells_of({"group": group, "tenure": tenure}, np.ones(11, dtype=bool), 1)
    assert exposed_by_oracle(kept_rows(cells, set())) == [10]  # the attack works unaudited

    suppressed = audit_family(cells, K)

    assert exposed_by_oracle(kept_rows(cells, suppressed)) == []
    assert (1, "all") not in suppressed  # the overall figure survives; a breakdown goes


def test_coordinator_differencing_two_releases_a_submission_apart_learns_nothing():
    before = np.array([True] * 5 + [False])
    after = np.ones(6, dtype=bool)
    cells = [Cell("release 1", before, published=True), Cell("release 2", after)]

    assert audit_family(cells, K) == {"release 2"}


def test_two_newcomers_between_releases_are_a_derived_cell_of_two_and_stay_hidden():
    before = np.array([True] * 5 + [False] * 2)
    cells = [Cell("release 1", before, published=True), Cell("release 2", np.ones(7, bool))]

    assert audit_family(cells, K) == {"release 2"}


def test_a_network_where_nobody_is_at_risk_loses_nothing():
    group = ["a"] * 6 + ["b"] * 6 + ["c"] * 6
    tenure = ["x", "y", "z"] * 6
    cells = cells_of({"group": group, "tenure": tenure}, np.ones(18, dtype=bool), 1)

    assert audit_family(cells, K) == set()


def test_families_over_the_same_cells_get_the_same_suppression():
    group = ["clinician"] * 5 + ["manager"] * 5 + ["patient"]
    tenure = ["gt_2y"] * 5 + ["1_2y"] * 5 + ["lt_6m"]
    cells = cells_of({"group": group, "tenure": tenure}, np.ones(11, dtype=bool), 1)

    result = release_audit({"purpose": cells, "function": cells, "form": cells}, K)

    assert result.suppressed["purpose"] == result.suppressed["form"] != set()
    assert result.checked == 3 * len(cells)


def test_at_risk_matches_the_oracle_on_a_hand_made_case():
    rows = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]], dtype=bool)
    assert list(np.flatnonzero(at_risk(rows, 2))) == exposed_by_oracle(rows.astype(float))


# ---- random networks and several releases (hypothesis) -----------------------------

networks = st.integers(min_value=1, max_value=40).flatmap(
    lambda n: st.fixed_dictionaries(
        {
            "group": st.lists(st.sampled_from("ABCD"), min_size=n, max_size=n),
            "tenure": st.lists(st.sampled_from("xyz"), min_size=n, max_size=n),
            "part": st.lists(st.sampled_from("cp"), min_size=n, max_size=n),
            "order": st.permutations(range(n)),
            "cuts": st.lists(st.integers(min_value=1, max_value=n), min_size=1, max_size=3),
        }
    )
)


def released_in_turn(network) -> tuple[list[Cell], list[set]]:
    """Each release audited against everything published before it, as the product
    does: a release's cells become public once it passes."""
    n = len(network["group"])
    attributes = {k: network[k] for k in ("group", "tenure", "part")}
    published: list[Cell] = []
    decisions = []
    for number, cut in enumerate(sorted(set(network["cuts"])), start=1):
        present = np.zeros(n, dtype=bool)
        present[list(network["order"][:cut])] = True
        if present.sum() < K:
            continue
        candidates = cells_of(attributes, present, number)
        suppressed = audit_family(published + candidates, K)
        decisions.append(suppressed)
        published += [
            Cell(c.label, c.members, published=True, priority=c.priority)
            for c in candidates
            if c.label not in suppressed
        ]
    return published, decisions


@settings(max_examples=150, deadline=None)
@given(networks)
def test_after_every_release_nobody_is_determined_and_no_small_sum_is(network):
    published, _ = released_in_turn(network)
    rows = kept_rows(published, set())

    assert exposed_by_oracle(rows) == []
    assert small_sums_by_oracle(rows, K) == []


@settings(max_examples=100, deadline=None)
@given(networks)
def test_every_cell_the_audit_holds_back_was_needed(network):
    n = len(network["group"])
    present = np.ones(n, dtype=bool)
    attributes = {k: network[k] for k in ("group", "tenure", "part")}
    cells = cells_of(attributes, present, 1) if n >= K else []

    suppressed = audit_family(cells, K) if cells else set()

    for label in suppressed:
        shown = suppressed - {label}
        rows = kept_rows(cells, shown)
        assert exposed_by_oracle(rows) or small_sums_by_oracle(rows, K)


# ---- answers the coordinator may have written themselves -------------------------


def test_four_answers_through_copied_links_give_no_cover_to_the_fifth():
    everyone = np.ones(5, dtype=bool)
    known = np.array([True, True, True, True, False])

    assert audit_family([Cell("all", everyone, priority=1)], K, known) == {"all"}
    assert audit_family([Cell("all", everyone, priority=1)], K) == set()


def test_known_answers_among_many_leave_the_figures_shown():
    everyone = np.ones(12, dtype=bool)
    known = np.zeros(12, dtype=bool)
    known[:4] = True

    assert audit_family([Cell("all", everyone, priority=1)], K, known) == set()
