"""The release audit: before anything about a round is published, check that nothing
published for it, now or in any earlier release, lets anyone work out what a few
people answered. Pure numpy, no Django.

Every published figure is a linear query over respondents. A count of people in a
cell, a mean with its n, a share, a sum of squares behind a standard deviation: each
is a sum over the cell's respondents of something about each of them. The reader
knows who is in each cell (they know every member's group, tenure and part, and who
had answered by each release), so a cell is the indicator vector of its respondents,
and a *family* (one item, one score, one matrix level) is published as the rows of a
query matrix, one row per published cell of that family, across every release.

Whatever the reader computes from those figures by adding and subtracting lies in
the row space of that matrix. Respondent ``i``'s own value is determined exactly when
the unit vector ``e_i`` lies in the row space (its leverage there is 1). The audit
goes one step further and applies the threshold to whatever can be derived: people
whose cells coincide in every published query form a *class* (the reader can never
tell them apart), and a class whose total is determined must hold at least
``threshold`` people. A class of one is the exact test above; a class of two is a
derived cell of two, where each of them could read the other's answer.

When a check fails, cells of the new release are suppressed, smallest first, until
nothing is determined for fewer than ``threshold`` people. Earlier releases are never
changed (they are already public), and suppressing every new cell always passes,
because each earlier release passed the same audit. Combined breakdowns
(complementary suppression) need no special case: a cell that would let a hidden one
be recovered by subtraction shows up as a determined class.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np

# Leverage above this counts as 1: row spaces are computed in floating point.
TOLERANCE = 1e-8


@dataclass(frozen=True)
class Cell:
    """One published cell of one family: who it covers (a boolean per respondent of the
    round), and whether it is already public (an earlier release) or a candidate. A
    label names a set of respondents: the same label covers the same people in every
    family."""

    label: Hashable
    members: np.ndarray
    published: bool = False
    # Cells with a higher priority are held back last (the overall figure above any
    # breakdown of it).
    priority: int = 0


@dataclass
class AuditResult:
    """What to hold back, family by family, and how much was at stake."""

    suppressed: dict[str, set] = field(default_factory=dict)
    checked: int = 0  # candidate cells looked at

    @property
    def suppressed_count(self) -> int:
        return sum(len(labels) for labels in self.suppressed.values())

    def shown(self, family: str, label: Hashable) -> bool:
        return label not in self.suppressed.get(family, set())


def classes(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Respondents grouped by their column in the query matrix ``rows`` (cells x
    respondents): for each respondent the index of their class, each class's column and
    its size. Nothing published can tell two members of one class apart."""
    if rows.shape[1] == 0:
        return np.zeros(0, dtype=int), np.zeros((rows.shape[0], 0)), np.zeros(0, dtype=int)
    packed = np.packbits(rows.astype(bool), axis=0)  # one byte string per respondent
    keys = np.ascontiguousarray(packed.T).view(np.dtype((np.void, packed.shape[0])))
    _, first, inverse, sizes = np.unique(
        keys.ravel(), return_index=True, return_inverse=True, return_counts=True
    )
    return inverse, rows[:, first].astype(float), sizes


def determined_classes(columns: np.ndarray) -> np.ndarray:
    """For each class (a column of the class-level query matrix), whether its total lies
    in the row space: its leverage there, the squared norm of its row of V in the SVD,
    is 1."""
    if columns.size == 0:
        return np.zeros(columns.shape[1], dtype=bool)
    _, singular, vt = np.linalg.svd(columns, full_matrices=False)
    rank = int((singular > singular.max() * max(columns.shape) * np.finfo(float).eps).sum())
    leverage = (vt[:rank] ** 2).sum(axis=0)
    return leverage > 1 - TOLERANCE


def _small_determined(rows: np.ndarray, threshold: int) -> np.ndarray:
    inverse, columns, sizes = classes(rows)
    risky = determined_classes(columns) & (sizes < threshold)
    return risky[inverse] if inverse.size else np.zeros(0, dtype=bool)


def at_risk(rows: np.ndarray, threshold: int, known: np.ndarray | None = None) -> np.ndarray:
    """The respondents whose class total is determined by ``rows`` while the class holds
    fewer than ``threshold`` people.

    ``known`` marks respondents whose answers the reader may already hold (answers that
    came through a door the coordinator controls: a copied link, a member added or an
    address changed while the round was open). For everyone else the check is made
    again as if each known answer were published on its own: a cell of five where four
    answers are known tells the fifth."""
    risky = _small_determined(rows, threshold)
    if known is not None and known.any():
        units = np.eye(rows.shape[1], dtype=bool)[known]
        risky |= _small_determined(np.vstack([rows, units]), threshold) & ~known
    return risky


def _risk(cells: list[Cell], suppressed: set, threshold: int, known=None) -> np.ndarray:
    """Who is at risk when every published cell and the candidates not in
    ``suppressed`` are shown."""
    kept = [c for c in cells if c.published or c.label not in suppressed]
    if not kept:
        return np.zeros(0, dtype=bool)
    return at_risk(np.vstack([c.members for c in kept]), threshold, known)


def _next_to_suppress(candidates: list[Cell], cells, suppressed: set, threshold, risky, known):
    """Among the candidates of the lowest priority left: the smallest whose removal
    leaves fewer people at risk, else the smallest (when two must go together, as with
    two breakdowns that cover the same people). None when no candidate is left."""
    left = [c for c in candidates if c.label not in suppressed]
    if not left:
        return None
    lowest = [c for c in left if c.priority == left[0].priority]
    now = int(risky.sum())
    for cell in lowest:
        if int(_risk(cells, suppressed | {cell.label}, threshold, known).sum()) < now:
            return cell
    return lowest[0]


def audit_family(cells: list[Cell], threshold: int, known: np.ndarray | None = None) -> set:
    """The labels of candidate cells to suppress so that, with every published cell,
    nothing is determined for fewer than ``threshold`` people.

    Greedy, lowest priority and smallest cells first (ties by label, so the same data
    always gives the same answer): drop the cell whose removal protects someone, until
    nobody is at risk. Then give back, highest priority and largest first, every
    dropped cell that is safe to show with the others, so each cell left suppressed is
    needed."""
    candidates = sorted(
        (c for c in cells if not c.published),
        key=lambda c: (c.priority, int(c.members.sum()), repr(c.label)),
    )
    suppressed: set = set()
    while (risky := _risk(cells, suppressed, threshold, known)).any():
        cell = _next_to_suppress(candidates, cells, suppressed, threshold, risky, known)
        if cell is None:
            # Earlier releases alone leave someone at risk (only possible if the threshold
            # was raised since): publish nothing new, which adds nothing to it.
            return {c.label for c in candidates}
        suppressed.add(cell.label)
    for cell in reversed([c for c in candidates if c.label in suppressed]):
        if not _risk(cells, suppressed - {cell.label}, threshold, known).any():
            suppressed.discard(cell.label)
    return suppressed


def release_audit(
    families: dict[str, Iterable[Cell]], threshold: int, known: np.ndarray | None = None
) -> AuditResult:
    """``audit_family`` for every family. Families published over the same cells (most
    items, scores and levels are shown for the same groups) are audited once."""
    result = AuditResult()
    seen: dict[tuple, set] = {}
    for family, cells in families.items():
        cells = list(cells)
        result.checked += sum(not c.published for c in cells)
        key = tuple((c.label, c.published) for c in cells)
        if key not in seen:
            seen[key] = audit_family(cells, threshold, known)
        if seen[key]:
            result.suppressed[family] = set(seen[key])
    return result
