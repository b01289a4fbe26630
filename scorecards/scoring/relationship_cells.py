"""The relationship figures as cells of the release audit (docs/relationships.md,
"Privacy design"). Pure, no Django; used by ``publication``.

Every relationship figure is worked out from the roster answers of everyone who gave
one, so the whole network's figures are one cell over those respondents; each cell of
the group-by-group table is a cell over the respondents in its one or two (merged)
groups. They form one family, so the audit sees the whole network minus some of its
groups, and any release against the earlier ones.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecards.scoring.relationship_words import sentences
from scorecards.scoring.words import gettext_noop

TIES = "relationships:ties"
# The cells: everyone who answered the roster question; those of them in the
# member-list groups behind a cell of the group table, joined with SEPARATOR.
ROSTER, ROSTER_GROUPS, SEPARATOR = "roster", "roster-groups", "\x1f"
BY = (ROSTER, ROSTER_GROUPS)
WITHHELD_ENTRY = {"withheld": True, "reason": gettext_noop("too few to show")}
# Kept with a release's cells (never shown): who could be named, and in which group,
# when its relationship figures were published.
PEOPLE = "relationships:people"
CHANGED_ENTRY = {
    "withheld": True,
    "reason": gettext_noop("the member list changed since an earlier release of this round"),
}


def people_changed(rel: dict | None, earlier) -> bool:
    """Whether an earlier release of the round showed relationship figures for other
    people or other groups. The audit follows whose answers are behind each cell, but
    a tie figure also moves when someone named changes group or leaves the roster
    (their ties move or go, and the move tells who named them): so the figures are
    not published again in that round."""
    if not rel or rel.get("withheld"):
        return False
    key = [[rel.get("people_key")]]
    return any(e.shown.get(TIES) and e.shown.get(PEOPLE) != key for e in earlier)


def record_people(shown: dict, key: str | None) -> None:
    """Kept beside the cells a release showed, for ``people_changed`` later."""
    if shown.get(TIES) and key:
        shown[PEOPLE] = [[key]]


def families(rel: dict | None) -> dict[str, dict[tuple[str, str], int | None]]:
    """The family of relationship cells with how many answered behind each."""
    if not rel or rel.get("withheld"):
        return {}
    cells = {(ROSTER, ""): rel.get("n_answered")}
    for value, (n, _) in table_cells(rel).items():
        cells[(ROSTER_GROUPS, value)] = n
    return {TIES: cells}


def table_cells(rel: dict) -> dict[str, tuple[int, tuple[str, str]]]:
    """Each cell of the group-by-group table (ties inside a group, ties between two):
    its audit value (the member-list groups behind it), how many of their people
    answered, and the pair of shown names."""
    groups = {g["name"]: g for g in (rel.get("group_ties") or {}).get("groups") or []}
    pairs = [(name, name) for name in groups] + [
        (e["a"], e["b"]) for e in (rel.get("group_ties") or {}).get("between") or []
    ]
    cells = {}
    for a, b in pairs:
        covered = {a, b}
        value = SEPARATOR.join(sorted({g for name in covered for g in groups[name]["of"]}))
        cells[value] = (sum(groups[name]["answered"] for name in covered), (a, b))
    return cells


def attributes(respondents: pd.DataFrame, index: pd.Index) -> dict[str, np.ndarray]:
    """Whether each respondent answered the roster question, and their group on the
    member list, aligned with ``index``: both counted as known to the reader."""
    if "roster" not in respondents:
        return {
            ROSTER: np.zeros(len(index), dtype=bool),
            ROSTER_GROUPS: np.full(len(index), "", dtype=object),
        }
    known = respondents.set_index("respondent")
    return {
        ROSTER: known["roster"].reindex(index).fillna(False).astype(bool).to_numpy(),
        ROSTER_GROUPS: known["roster_group"].reindex(index).fillna("").astype(str).to_numpy(),
    }


def members(present: np.ndarray, attrs: dict[str, np.ndarray], by: str, value: str):
    if by == ROSTER:
        return present & attrs[ROSTER]
    return present & attrs[ROSTER] & np.isin(attrs[ROSTER_GROUPS], value.split(SEPARATOR))


def withhold(data: dict, by: str, value: str) -> None:
    """The whole network's figures go with its cell; a cell of the group table alone
    with its own."""
    rel = data.get("relationships")
    if not rel or rel.get("withheld"):
        return
    if by == ROSTER:
        data["relationships"] = dict(WITHHELD_ENTRY)
        return
    cell = table_cells(rel).get(value)
    if cell is None:
        return
    a, b = cell[1]
    ties = rel["group_ties"]
    if a == b:
        for group in ties["groups"]:
            if group["name"] == a:
                group["internal"] = None
    else:
        for edge in ties["between"]:
            if {edge["a"], edge["b"]} == {a, b}:
                edge["ties"] = None


def sentences_follow_cells(data: dict, cells_withheld: bool) -> None:
    """Sentences written again once a cell of the group table is withheld, so none
    speaks for a withheld figure."""
    rel = data.get("relationships")
    if cells_withheld and rel and not rel.get("withheld"):
        rel["sentences"] = sentences(rel)
