"""From a snapshot to what may be published: a release's data. Pure, no I/O.

Every number a release shows belongs to a *cell*: a family of figures (one item, one
score, one matrix dimension, one question of the round's own) over a set of
respondents (everyone who had answered by the release, or one group of a comparison).
A cell is published only when

1. at least the threshold number of respondents are behind it, counted per cell
   ("don't know" and skipped left out), and
2. the release audit (``surveys.anonymity.audit``), run over this release's cells and
   every cell of every earlier release of the round, finds nothing determined for
   fewer than the threshold number of people.

Everything else is *withheld*: the entry stays (so pages and exports can say "too few
to show") but every number in it is None. What depends on a withheld figure (a change
since last round, a reliability, a gap, the stage, the instrument report's figures)
goes with it; risk flags are worked out again from the published figures alone, and
comments are shuffled. A stakeholder group's "don't know" rate on an item is a cell of
that item's family, audited with the item's overall figures.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scorecards.scoring import relationship_cells, risks
from scorecards.scoring.breakdowns import BREAKDOWNS, group_labels
from scorecards.scoring.shape import SnapshotData
from scorecards.scoring.stage_evidence import IMPACT
from scorecards.scoring.words import gettext_noop
from surveys.anonymity import check_threshold, too_few
from surveys.anonymity.audit import Cell, release_audit

ALL = "all"
WITHHELD = gettext_noop("too few to show")
# The numbers a score, item or matrix entry carries; structure (domain, sub-dimension,
# reverse) stays so that charts can place a withheld entry.
SCORE_NUMBERS = ("n", "mean", "median", "sd", "mean_pct", "median_pct", "sd_pct",
                 "agree_share", "agreement", "band", "n_dont_know", "dont_know_share")  # fmt: skip
MATRIX_NUMBERS = ("n", "median_current", "lowest", "highest", "range", "gap")
TARGET_NUMBERS = ("n_target", "median_target", "gap")


@dataclass(frozen=True)
class EarlierRelease:
    """What an earlier release of the round covered and showed."""

    number: int
    respondents: frozenset[int]
    shown: dict[str, list[list[str]]]  # family -> [by, value] of each cell shown


@dataclass
class Publication:
    data: SnapshotData
    comments: dict[str, dict]
    shown: dict[str, list[list[str]]] = field(default_factory=dict)
    cells: int = 0  # cells the release could have shown
    too_few: int = 0  # withheld for having fewer than the threshold behind them
    held_back: int = 0  # withheld by the audit


# ---- the cells a snapshot would publish ----------------------------------------------


def candidate_cells(data: SnapshotData) -> dict[str, dict[tuple[str, str], int | None]]:
    """Every family of published figures with its cells and how many answered in each:
    family -> {(by, value): n}. ``by`` is "all" or a breakdown column."""
    families: dict[str, dict[tuple[str, str], int | None]] = {}
    for section in ("domains", "subdimensions", "items"):
        for code, entry in (data.get(section) or {}).items():
            families[f"{section}:{code}"] = {(ALL, ""): entry.get("n")}
    # A group's "don't know" count on an item is a sum over the same people as the
    # item's overall count: one family, so the audit sees one minus the others.
    for name, group in ((data.get("instrument") or {}).get("groups") or {}).items():
        for code, cell in group["items"].items():
            families.setdefault(f"items:{code}", {})[("group", name)] = cell.get("n")
    for by, groups in (data.get("breakdowns") or {}).items():
        for name, group in groups.items():
            for code, figures in (group.get("domains") or {}).items():
                n = group.get("n") if figures.get("mean") is not None else None
                families.setdefault(f"domains:{code}", {})[(by, name)] = n
    for code, mix in (data.get("function_mix") or {}).items():
        families[f"importance:{code}"] = {(ALL, ""): mix.get("n_importance")}
        if mix.get("performance_from") == "rating":  # its own answers, its own cells
            families[f"performance:{code}"] = {(ALL, ""): mix.get("n_performance")}
    for code, dim in ((data.get("matrix") or {}).get("dimensions") or {}).items():
        families[f"matrix:{code}"] = {(ALL, ""): dim.get("n")}
        families[f"matrix-target:{code}"] = {(ALL, ""): dim.get("n_target")}
    matrix_n = (data.get("matrix") or {}).get("n")
    if matrix_n is not None:
        families["matrix:level"] = {(ALL, ""): matrix_n}
    for question in data.get("custom") or []:
        if question.get("kind") == "agreement":
            families[f"custom:{question['code']}"] = {(ALL, ""): question.get("n")}
    for question in data.get("follow_up") or []:
        families[f"follow_up:{question['code']}"] = {(ALL, ""): question.get("n")}
    families.update(relationship_cells.families(data.get("relationships")))
    return families


def attributes(respondents: pd.DataFrame, everyone: np.ndarray) -> dict[str, np.ndarray]:
    """Each respondent's value of every breakdown column, as the reader knows them,
    aligned with ``everyone`` (sorted respondent ids)."""
    index = pd.Index(everyone, name="respondent")
    attrs = {by: group_labels(index, respondents, by).to_numpy() for by in BREAKDOWNS}
    return attrs | relationship_cells.attributes(respondents, index)


def _members(present: np.ndarray, attrs: dict[str, np.ndarray], by: str, value: str):
    if by == ALL:
        return present.copy()
    if by in relationship_cells.BY:
        return relationship_cells.members(present, attrs, by, value)
    return present & (attrs[by] == value)


def audit_cells(
    families: dict[str, dict[tuple[str, str], int | None]],
    respondents: pd.DataFrame,
    current: set[int],
    number: int,
    earlier: list[EarlierRelease],
    threshold: int,
) -> tuple[dict[str, list[Cell]], dict[str, set], np.ndarray]:
    """The audit's input: for each family its earlier (published) cells and this
    release's candidates; the candidates already too small to show; and the
    respondents, in the order of the cells' columns."""
    everyone = np.array(sorted(set(current).union(*(e.respondents for e in earlier))))
    attrs = attributes(respondents, everyone)
    now = np.isin(everyone, list(current))
    before = {e.number: np.isin(everyone, list(e.respondents)) for e in earlier}
    cells: dict[str, list[Cell]] = {}
    small: dict[str, set] = {}
    for family, counts in families.items():
        listed = []
        for e in earlier:
            for by, value in e.shown.get(family, []):
                members = _members(before[e.number], attrs, by, value)
                listed.append(Cell((e.number, by, value), members, True))
        for (by, value), n in sorted(counts.items()):
            if too_few(n, threshold):
                small.setdefault(family, set()).add((number, by, value))
                continue
            # The whole (the network, or everyone) is held back last, after its breakdowns.
            priority = 1 if by in (ALL, relationship_cells.ROSTER) else 0
            members = _members(now, attrs, by, value)
            listed.append(Cell((number, by, value), members, False, priority))
        cells[family] = listed
    return cells, small, everyone


# ---- withholding ---------------------------------------------------------------------


def _withhold(entry: dict, numbers: Iterable[str]) -> None:
    for key in numbers:
        if key in entry:
            entry[key] = None
    entry["withheld"] = True


def _apply(data: dict, family: str, by: str, value: str) -> None:
    section, code = family.split(":", 1)
    if section in ("domains", "subdimensions", "items") and by == ALL:
        _withhold(data[section][code], SCORE_NUMBERS)
        (data.get("reliability") or {}).pop(code, None)
        for level in ("domains", "subdimensions"):
            ((data.get("changes") or {}).get(level) or {}).pop(code, None)
    elif section == "items":
        _drop_group_rate(data["instrument"]["groups"], code, value)
    elif section == "domains":
        group = data["breakdowns"][by][value]
        group.get("domains", {}).pop(code, None)
        if not group.get("domains"):
            data["breakdowns"][by][value] = {"hidden": True, "reason": WITHHELD}
    elif section == "importance":
        mix = data["function_mix"][code]
        for key in ("importance", "importance_pct", "gap", "gap_pct", "n_importance"):
            mix[key] = None
    elif section == "performance":
        mix = data["function_mix"][code]
        for key in ("performance", "performance_pct", "gap", "gap_pct", "n_performance"):
            mix[key] = None
    elif section == "matrix" and code == "level":
        data["matrix"]["median_level"] = None
    elif section == "matrix":
        dim = data["matrix"]["dimensions"][code]
        _withhold(dim, MATRIX_NUMBERS)
        dim["current"] = {}
    elif section == "matrix-target":
        dim = data["matrix"]["dimensions"][code]
        _withhold(dim, TARGET_NUMBERS)
        dim["target"] = {}
    elif section == "custom":
        for question in data["custom"]:
            if question["code"] == code:
                for key in ("n", "mean", "counts", "dont_know"):
                    question.pop(key, None)
                question["shown"] = False
    elif family == relationship_cells.TIES:
        relationship_cells.withhold(data, by, value)
    elif section == "follow_up":
        for question in data["follow_up"]:
            if question["code"] == code:
                for key in ("n", "made_a_difference", "not_yet", "dont_know"):
                    question.pop(key, None)
                question["shown"] = False


def _performance_follows_its_score(data: dict) -> None:
    """A function's performance from its statements is its sub-dimension's mean:
    withheld with it. (Performance from direct ratings is audited as its own cells.)"""
    subs = data.get("subdimensions") or {}
    for code, mix in (data.get("function_mix") or {}).items():
        if mix.get("performance_from") != "rating" and (subs.get(code) or {}).get("withheld"):
            for key in ("performance", "performance_pct", "gap", "gap_pct", "n_performance"):
                mix[key] = None


def _drop_group_rate(groups: dict, code: str, name: str) -> None:
    groups[name]["items"].pop(code, None)
    if not groups[name]["items"]:
        groups.pop(name)


def _instrument_follows_its_cells(data: dict) -> None:
    """The instrument report goes with the cells it describes: a domain's alpha and
    omega with its score, an item's correlation and "don't know" rate with the item,
    r_wg with the matrix dimension's current level. A cell is withheld when its n is
    gone (``withheld`` alone would not do: a matrix target withheld sets it too)."""
    report = data.get("instrument") or {}
    for section, numbers, source, words in (
        ("domains", ("alpha", "omega", "n_complete"), data.get("domains"), "note"),
        ("items", ("item_total", "n", "dont_know_rate"), data.get("items"), None),
        ("matrix", ("rwg", "n"), (data.get("matrix") or {}).get("dimensions"), "reading"),
    ):
        for code, entry in (report.get(section) or {}).items():
            if code in (source or {}) and source[code].get("n") is None:
                _withhold(entry, numbers)
                if words:
                    entry[words] = WITHHELD


def _stage_needs_its_scores(data: dict) -> None:
    """No stage speaks for a withheld number: the domain scores it reads, and impact."""
    domains = data.get("domains") or {}
    impact = (data.get("subdimensions") or {}).get(IMPACT) or {}
    if impact.get("withheld") or any(entry.get("withheld") for entry in domains.values()):
        data["stage"] = None


def _flags_from_published(data: dict, labels: dict) -> list:
    """Risk flags worked out again from the published figures only, so no flag rests
    on a number that was withheld."""
    return risks.risk_flags(data, labels)


def shuffled_comments(comments: dict[str, dict], threshold: int, rng: random.Random) -> dict:
    """Comments of questions with at least the threshold number of them, in an order
    unrelated to submission (a fresh shuffle for every release)."""
    out = {}
    for code, entry in comments.items():
        answers = list(entry.get("answers") or [])
        if len(answers) >= threshold:
            rng.shuffle(answers)
            out[code] = {**entry, "answers": answers}
    return out


def publish(
    data: SnapshotData,
    comments: dict[str, dict],
    respondents: pd.DataFrame,
    *,
    number: int,
    earlier: list[EarlierRelease],
    known: set[int],
    threshold: int,
    labels: dict | None = None,
    rng: random.Random | None = None,
) -> Publication:
    """The release of a snapshot: small cells and whatever the audit holds back are
    withheld; earlier releases of the round are ``earlier``; ``known`` are respondents
    whose answers may have come through a door the coordinator controls."""
    threshold = check_threshold(threshold)
    rng = rng or random.SystemRandom()
    out = copy.deepcopy(data)
    out.pop("distributions", None)
    if out.get("relationships") and not out.get("released"):
        out["relationships"] = dict(relationship_cells.WITHHELD_ENTRY)
    rel = out.get("relationships")
    if relationship_cells.people_changed(rel, earlier):
        out["relationships"] = dict(relationship_cells.CHANGED_ENTRY)
    people_key = rel.pop("people_key", None) if rel else None  # kept, never shown
    current = set(respondents["respondent"]) if not respondents.empty else set()
    families = candidate_cells(out) if out.get("released") else {}
    cells, small, everyone = audit_cells(families, respondents, current, number, earlier, threshold)
    audit = release_audit(cells, threshold, np.isin(everyone, list(known)))
    withheld = {f: set(labels_) for f, labels_ in small.items()}
    for family, labels_ in audit.suppressed.items():
        withheld.setdefault(family, set()).update(labels_)
    for family, labels_ in withheld.items():
        for _, by, value in labels_:
            _apply(out, family, by, value)
    relationship_cells.sentences_follow_cells(out, relationship_cells.TIES in withheld)
    _performance_follows_its_score(out)
    _stage_needs_its_scores(out)
    _instrument_follows_its_cells(out)
    if out.get("released"):
        out["risk_flags"] = _flags_from_published(out, labels or {})
    released_comments = shuffled_comments(comments, threshold, rng) if out.get("released") else {}
    out["comments"] = {
        code: {"question": c["question"], "total": len(c["answers"]), "answers": c["answers"][:10]}
        for code, c in released_comments.items()
    }
    for question in out.get("custom") or []:
        if question.get("kind") == "text" and question.get("answers"):
            answers = list(question["answers"])
            if len(answers) >= threshold:
                rng.shuffle(answers)
                question["answers"] = answers
            else:
                question["answers"], question["shown"] = [], False
    shown = {
        family: [[by, value] for (by, value) in sorted(counts) if (number, by, value)
                 not in withheld.get(family, set())]
        for family, counts in families.items()
    }  # fmt: skip
    relationship_cells.record_people(shown, people_key)
    return Publication(
        data=out,
        comments=released_comments,
        shown=shown,
        cells=sum(len(c) for c in families.values()),
        too_few=sum(len(s) for s in small.values()),
        held_back=audit.suppressed_count,
    )
