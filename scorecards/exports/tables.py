"""A release's figures as readable tables for CSV and spreadsheets. Read from the
release only: never one member's answers, no number the release withheld, hidden groups
left hidden, no free-text comments.

Figures are rounded as readers use them: 1 to 5 means to one decimal, 0 to 100 scores
and points to whole numbers, shares as whole percentages. Rounding only ever says less
than the release does."""

from __future__ import annotations

import math
from dataclasses import dataclass

from surveys.spreadsheets import neutralise

from ..scoring.breakdowns import BREAKDOWNS
from ..scoring.publication import WITHHELD
from ..scoring.shape import SnapshotData

COLUMNS = [
    "section",
    "code",
    "title",
    "n",
    "mean (1-5)",
    "score (0-100)",
    "median (1-5)",
    "sd (1-5)",
    "agreeing (%)",
    "don't know (%)",
    "band",
    "detail",
]
BLANK = [None] * 7  # from "mean (1-5)" to "band"


@dataclass(frozen=True)
class Table:
    """One sheet of a workbook; the CSV holds the results tables one after another."""

    sheet: str
    columns: list[str]
    rows: list[list]


def one_decimal(value) -> float | None:
    return None if _missing(value) else round(float(value), 1)


def whole(value) -> int | None:
    return None if _missing(value) else int(round(float(value)))


def percent(share) -> int | None:
    """A share from 0 to 1 as a whole percentage."""
    return None if _missing(share) else int(round(float(share) * 100))


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _level(value) -> str:
    """A matrix level or a 1 to 5 figure in a sentence: 3, 3.5."""
    return "–" if _missing(value) else f"{one_decimal(value):g}"


def result_tables(data: SnapshotData, labels: dict, group_labels: dict) -> list[Table]:
    """Summary, items, groups and matrix, each with ``COLUMNS``; cells neutralised."""
    tables = [
        Table("Summary", COLUMNS, _summary_rows(data, labels) + _follow_up_rows(data)),
        Table("Items", COLUMNS, _score_rows(data, "items", labels)),
        Table("Groups", COLUMNS, _group_rows(data, labels, group_labels)),
        Table("Matrix", COLUMNS, _matrix_rows(data, labels)),
    ]
    if data.get("relationships"):
        tables.append(Table("Connections", CONNECTION_COLUMNS, _connection_rows(data)))
    return [Table(t.sheet, t.columns, [[neutralise(v) for v in r] for r in t.rows]) for t in tables]


CONNECTION_COLUMNS = ["section", "code", "title", "value", "detail"]
# The network's figures from the roster question, as the dashboard shows them: code,
# title, how to read the stored value.
CONNECTION_FIGURES = (
    ("n_answered", "Members who answered the roster question", None),
    ("n_people", "Members on the roster", None),
    ("with_tie", "Members with at least one tie", None),
    ("ties", "Working ties", None),
    ("density", "Density: possible ties that exist (%)", percent),
    ("mean_ties", "Ties per member", one_decimal),
    ("reciprocity", "Named both ways, where both answered (%)", percent),
    ("centralisation", "Degree centralisation (%)", percent),
    ("cross_group_share", "Ties that cross groups (%)", percent),
    ("ei_index", "E-I index (-1 to +1)", None),
    ("brokers", "Brokers (counted, never named)", None),
    ("components", "Separate parts", None),
    ("isolates", "Members with no tie", None),
)


def _connection_rows(data: SnapshotData) -> list[list]:
    """How the network is connected: the figures, the core, and the group table (ties
    inside each group and between each pair, small groups merged); never who named
    whom. All withheld together when the release withheld them."""
    rel = data["relationships"]
    if rel.get("withheld"):
        return [["connections", "relationships", "How the network is connected", None, WITHHELD]]
    rows = []
    for code, title, shown in CONNECTION_FIGURES:
        value = rel.get(code)
        rows.append(["figure", code, title, shown(value) if shown else value, ""])
    core = rel.get("core") or {}
    rows.append(
        ["figure", "core", "Members in the core", core.get("size"),
         f"each with at least {core.get('k')} ties inside it"]
    )  # fmt: skip
    ties = rel.get("group_ties") or {}
    for group in ties.get("groups") or []:
        inside = group.get("internal")
        rows.append(
            ["ties inside a group", group["name"], group["name"], inside,
             WITHHELD if inside is None else f"{group['size']} members"]
        )  # fmt: skip
    for edge in ties.get("between") or []:
        count = edge.get("ties")
        rows.append(
            ["ties between groups", f"{edge['a']} / {edge['b']}", f"{edge['a']} and {edge['b']}",
             count, WITHHELD if count is None else ""]
        )  # fmt: skip
    if ties.get("merged"):
        rows.append(
            ["note", "merged", "Groups too small to show apart, merged as Other groups", None,
             ", ".join(ties["merged"])]
        )  # fmt: skip
    return rows


def _score_rows(data: SnapshotData, section: str, labels: dict) -> list[list]:
    rows = []
    for code, e in (data.get(section) or {}).items():
        detail = ""
        alpha = ((data.get("reliability") or {}).get(code) or {}).get("alpha")
        if section == "subdimensions" and alpha is not None:
            detail = f"alpha {alpha:.2f}"
        figures = [
            e.get("n"),
            one_decimal(e.get("mean")),
            whole(e.get("mean_pct")),
            one_decimal(e.get("median")),
            one_decimal(e.get("sd")),
            percent(e.get("agree_share")),
            percent(e.get("dont_know_share")),
            e.get("band"),
        ]
        if e.get("withheld"):  # the release holds no number for it; nor does the export
            detail, figures = WITHHELD, [None] * len(figures)
        section_word = {"domains": "domain", "subdimensions": "sub-dimension"}.get(section, "item")
        rows.append([section_word, code, labels.get(code, code), *figures, detail])
    return rows


def _summary_rows(data: SnapshotData, labels: dict) -> list[list]:
    rows = _score_rows(data, "domains", labels) + _score_rows(data, "subdimensions", labels)
    for code, f in (data.get("function_mix") or {}).items():
        performance = f.get("performance")
        detail = (
            WITHHELD
            if _missing(performance)
            else f"importance {_level(f.get('importance'))}, gap {_level(f.get('gap'))}"
        )
        rows.append(
            ["function mix", code, labels.get(code, code), f.get("n_performance"),
             one_decimal(performance), whole(f.get("performance_pct")), *BLANK[2:], detail]
        )  # fmt: skip
    for code, ch in ((data.get("changes") or {}).get("domains") or {}).items():
        diff = whole(ch.get("diff"))
        detail = (
            f"{diff:+d} points (95% CI {whole(ch.get('ci_low'))} to {whole(ch.get('ci_high'))})"
            if diff is not None
            else ""
        )
        rows.append(
            ["change since last round", code, labels.get(code, code), ch.get("n_current"),
             None, whole(ch.get("current")), *BLANK[2:], detail]
        )  # fmt: skip
    for q in data.get("custom") or []:
        if q["kind"] == "agreement":
            shown = q.get("shown")
            rows.append(
                ["your network's question", q["code"], q["text"], q.get("n"),
                 one_decimal(q.get("mean")) if shown else None, *BLANK[1:],
                 "" if shown else WITHHELD]
            )  # fmt: skip
    return rows


def _group_rows(data: SnapshotData, labels: dict, group_labels: dict) -> list[list]:
    """One row per shown group and domain; a hidden group, or a domain withheld for a
    shown group, is one row marked as withheld with no number."""
    rows = []
    domains = list(data.get("domains") or {})
    for by, groups in (data.get("breakdowns") or {}).items():
        section = f"by {BREAKDOWNS.get(by, by)}"
        words = group_labels.get(by) or {}
        for name, g in groups.items():
            group = words.get(name, name)
            if g.get("hidden"):
                rows.append([section, group, "all domains", None, *BLANK, WITHHELD])
                continue
            shown = g.get("domains") or {}
            for domain in domains or shown:
                d = shown.get(domain)
                if d is None:
                    rows.append(
                        [section, group, labels.get(domain, domain), None, *BLANK, WITHHELD]
                    )
                    continue
                vs_rest = whole(d.get("vs_rest"))
                rows.append(
                    [section, group, labels.get(domain, domain), g.get("n"),
                     one_decimal(d.get("mean")), whole(d.get("mean_pct")), *BLANK[2:],
                     f"{vs_rest:+d} points against the rest" if vs_rest is not None else ""]
                )  # fmt: skip
    return rows


def _matrix_rows(data: SnapshotData, labels: dict) -> list[list]:
    rows = []
    for code, d in ((data.get("matrix") or {}).get("dimensions") or {}).items():
        withheld = d.get("withheld") or _missing(d.get("median_current"))
        target = d.get("median_target")
        detail = (
            WITHHELD
            if withheld
            else f"lowest {_level(d.get('lowest'))}, highest {_level(d.get('highest'))}, "
            + (
                f"target {_level(target)}, gap {_level(d.get('gap'))}"
                if not _missing(target)
                else f"target {WITHHELD}"
            )
        )
        rows.append(
            ["matrix", code, labels.get(code, code), d.get("n"), None, None,
             one_decimal(d.get("median_current")), *BLANK[3:], detail]
        )  # fmt: skip
    return rows


def withheld_rows(tables: list[Table]) -> list[list]:
    """Where each withheld figure would have been: sheet, section, code and title."""
    return [
        [t.sheet, row[0], row[1], row[2]]
        for t in tables
        for row in t.rows
        if row[-1] == WITHHELD or str(row[-1]).endswith(WITHHELD)
    ]


def _follow_up_rows(data: SnapshotData) -> list[list]:
    """Whether each action agreed last time made a difference: the counts once enough
    members answered, else "too few to show"."""
    rows = []
    for q in data.get("follow_up") or []:
        said = (
            f"made a difference {q.get('made_a_difference')}, not yet {q.get('not_yet')}, "
            f"don't know {q.get('dont_know')}"
        )
        figures = [None] * (len(COLUMNS) - 5)
        shown = q.get("shown")
        n = q.get("n") if shown else None
        rows.append(
            ["did the action make a difference", q["code"], q["text"], n, *figures]
            + [said if shown else WITHHELD]
        )
    return rows
