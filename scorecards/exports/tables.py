"""A release's figures as readable tables for CSV and spreadsheets. Read from the
release only: never one member's answers, no number the release withheld, hidden groups
left hidden, no free-text comments.

Figures are rounded as readers use them: 1 to 5 means to one decimal, 0 to 100 scores
and points to whole numbers, shares as whole percentages. Rounding only ever says less
than the release does."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from surveys.spreadsheets import neutralise

from ..scoring.breakdowns import BREAKDOWNS
from ..scoring.publication import WITHHELD
from ..scoring.shape import SnapshotData
from ..scoring.words import group_name

# Headers in the reader's language (English equals the words below); numbers stay.
COLUMNS = [
    pgettext_lazy("export column", "section"),
    pgettext_lazy("export column", "code"),
    pgettext_lazy("export column", "title"),
    pgettext_lazy("export column", "n"),
    gettext_lazy("mean (1-5)"),
    gettext_lazy("score (0-100)"),
    gettext_lazy("median (1-5)"),
    gettext_lazy("sd (1-5)"),
    gettext_lazy("agreeing (%)"),
    gettext_lazy("don't know (%)"),
    pgettext_lazy("export column", "band"),
    pgettext_lazy("export column", "detail"),
]
BLANK = [None] * 7  # from "mean (1-5)" to "band"


@dataclass(frozen=True)
class Table:
    """One sheet of a workbook; the CSV holds the results tables one after another."""

    sheet: str
    columns: list[str]
    rows: list[list]
    in_csv: bool = True  # the results tables; connections and actions have their own


def words(values) -> list[str]:
    """Column headers or other marked words, in the active language, as plain text."""
    return [str(v) for v in values]


def withheld_word() -> str:
    """ "too few to show" in the active language: what a withheld figure's row says."""
    return _(WITHHELD)


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
    columns = words(COLUMNS)
    tables = [
        Table(_("Summary"), columns, _summary_rows(data, labels) + _follow_up_rows(data)),
        Table(_("Items"), columns, _score_rows(data, "items", labels)),
        Table(_("Groups"), columns, _group_rows(data, labels, group_labels)),
        Table(_("Matrix"), columns, _matrix_rows(data, labels)),
    ]
    if data.get("relationships"):
        connections = _connection_rows(data)
        tables.append(Table(_("Connections"), words(CONNECTION_COLUMNS), connections, False))
    return [
        Table(t.sheet, t.columns, [[neutralise(v) for v in r] for r in t.rows], t.in_csv)
        for t in tables
    ]


CONNECTION_COLUMNS = [
    pgettext_lazy("export column", "section"),
    pgettext_lazy("export column", "code"),
    pgettext_lazy("export column", "title"),
    pgettext_lazy("export column", "value"),
    pgettext_lazy("export column", "detail"),
]
# The network's figures from the roster question, as the dashboard shows them: code,
# title, how to read the stored value.
CONNECTION_FIGURES = (
    ("n_answered", gettext_lazy("Members who answered the roster question"), None),
    ("n_people", gettext_lazy("Members on the roster"), None),
    ("with_tie", gettext_lazy("Members with at least one tie"), None),
    ("ties", gettext_lazy("Working ties"), None),
    ("density", gettext_lazy("Density: possible ties that exist (%)"), percent),
    ("mean_ties", gettext_lazy("Ties per member"), one_decimal),
    ("reciprocity", gettext_lazy("Named both ways, where both answered (%)"), percent),
    ("centralisation", gettext_lazy("Degree centralisation (%)"), percent),
    ("cross_group_share", gettext_lazy("Ties that cross groups (%)"), percent),
    ("ei_index", gettext_lazy("E-I index (-1 to +1)"), None),
    ("brokers", gettext_lazy("Brokers (counted, never named)"), None),
    ("components", gettext_lazy("Separate parts"), None),
    ("isolates", gettext_lazy("Members with no tie"), None),
)
# What each kind of row is, in the first column.
SECTIONS = {
    "domains": pgettext_lazy("export section", "domain"),
    "subdimensions": pgettext_lazy("export section", "sub-dimension"),
    "items": pgettext_lazy("export section", "item"),
}


def _connection_rows(data: SnapshotData) -> list[list]:
    """How the network is connected: the figures, the core, and the group table (ties
    inside each group and between each pair, small groups merged); never who named
    whom. All withheld together when the release withheld them."""
    rel = data["relationships"]
    withheld = withheld_word()
    if rel.get("withheld"):
        return [[_("connections"), "relationships", _("How the network is connected"), None,
                 withheld]]  # fmt: skip
    figure = pgettext("export section", "figure")
    rows = []
    for code, title, shown in CONNECTION_FIGURES:
        value = rel.get(code)
        rows.append([figure, code, str(title), shown(value) if shown else value, ""])
    core = rel.get("core") or {}
    rows.append(
        [figure, "core", _("Members in the core"), core.get("size"),
         _("each with at least %(k)s ties inside it") % {"k": core.get("k")}]
    )  # fmt: skip
    ties = rel.get("group_ties") or {}
    for group in ties.get("groups") or []:
        inside = group.get("internal")
        size = _("%(n)s members") % {"n": group["size"]}
        rows.append(
            [_("ties inside a group"), group["name"], group_name(group["name"]), inside,
             withheld if inside is None else size]
        )  # fmt: skip
    for edge in ties.get("between") or []:
        count = edge.get("ties")
        rows.append(
            [_("ties between groups"), f"{edge['a']} / {edge['b']}",
             _("%(a)s and %(b)s") % {"a": group_name(edge["a"]), "b": group_name(edge["b"])},
             count, withheld if count is None else ""]
        )  # fmt: skip
    if ties.get("merged"):
        rows.append(
            [_("note"), "merged", _("Groups too small to show apart, merged as Other groups"),
             None, ", ".join(ties["merged"])]
        )  # fmt: skip
    return rows


def _score_rows(data: SnapshotData, section: str, labels: dict) -> list[list]:
    rows = []
    for code, e in (data.get(section) or {}).items():
        detail = ""
        alpha = ((data.get("reliability") or {}).get(code) or {}).get("alpha")
        if section == "subdimensions" and alpha is not None:
            detail = _("alpha %(alpha)s") % {"alpha": f"{alpha:.2f}"}
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
            detail, figures = withheld_word(), [None] * len(figures)
        section_word = str(SECTIONS.get(section, SECTIONS["items"]))
        rows.append([section_word, code, labels.get(code, code), *figures, detail])
    return rows


def _summary_rows(data: SnapshotData, labels: dict) -> list[list]:
    rows = _score_rows(data, "domains", labels) + _score_rows(data, "subdimensions", labels)
    for code, f in (data.get("function_mix") or {}).items():
        performance = f.get("performance")
        detail = (
            withheld_word()
            if _missing(performance)
            else _("importance %(importance)s, gap %(gap)s")
            % {"importance": _level(f.get("importance")), "gap": _level(f.get("gap"))}
        )
        rows.append(
            [_("function mix"), code, labels.get(code, code), f.get("n_performance"),
             one_decimal(performance), whole(f.get("performance_pct")), *BLANK[2:], detail]
        )  # fmt: skip
    for code, ch in ((data.get("changes") or {}).get("domains") or {}).items():
        diff = whole(ch.get("diff"))
        detail = (
            _("%(diff)s points (95%% CI %(low)s to %(high)s)")
            % {
                "diff": f"{diff:+d}",
                "low": whole(ch.get("ci_low")),
                "high": whole(ch.get("ci_high")),
            }
            if diff is not None
            else ""
        )
        rows.append(
            [_("change since last round"), code, labels.get(code, code), ch.get("n_current"),
             None, whole(ch.get("current")), *BLANK[2:], detail]
        )  # fmt: skip
    for q in data.get("custom") or []:
        if q["kind"] == "agreement":
            shown = q.get("shown")
            rows.append(
                [_("your network's question"), q["code"], q["text"], q.get("n"),
                 one_decimal(q.get("mean")) if shown else None, *BLANK[1:],
                 "" if shown else withheld_word()]
            )  # fmt: skip
    return rows


def _group_rows(data: SnapshotData, labels: dict, group_labels: dict) -> list[list]:
    """One row per shown group and domain; a hidden group, or a domain withheld for a
    shown group, is one row marked as withheld with no number."""
    rows = []
    withheld = withheld_word()
    domains = list(data.get("domains") or {})
    for by, groups in (data.get("breakdowns") or {}).items():
        section = _("by %(breakdown)s") % {"breakdown": _(BREAKDOWNS.get(by, by))}
        named = group_labels.get(by) or {}
        for name, g in groups.items():
            group = named.get(name, name)
            if g.get("hidden"):
                rows.append([section, group, _("all domains"), None, *BLANK, withheld])
                continue
            shown = g.get("domains") or {}
            for domain in domains or shown:
                d = shown.get(domain)
                if d is None:
                    rows.append(
                        [section, group, labels.get(domain, domain), None, *BLANK, withheld]
                    )
                    continue
                vs_rest = whole(d.get("vs_rest"))
                rows.append(
                    [section, group, labels.get(domain, domain), g.get("n"),
                     one_decimal(d.get("mean")), whole(d.get("mean_pct")), *BLANK[2:],
                     _("%(points)s points against the rest") % {"points": f"{vs_rest:+d}"}
                     if vs_rest is not None else ""]
                )  # fmt: skip
    return rows


def _matrix_rows(data: SnapshotData, labels: dict) -> list[list]:
    rows = []
    withheld = withheld_word()
    for code, d in ((data.get("matrix") or {}).get("dimensions") or {}).items():
        target = d.get("median_target")
        spread = {"lowest": _level(d.get("lowest")), "highest": _level(d.get("highest"))}
        if d.get("withheld") or _missing(d.get("median_current")):
            detail = withheld
        elif _missing(target):
            detail = _("lowest %(lowest)s, highest %(highest)s, target %(target)s") % {
                **spread,
                "target": withheld,
            }
        else:
            detail = _("lowest %(lowest)s, highest %(highest)s, target %(target)s, gap %(gap)s") % {
                **spread,
                "target": _level(target),
                "gap": _level(d.get("gap")),
            }
        rows.append(
            [pgettext("export section", "matrix"), code, labels.get(code, code), d.get("n"),
             None, None, one_decimal(d.get("median_current")), *BLANK[3:], detail]
        )  # fmt: skip
    return rows


def withheld_rows(tables: list[Table]) -> list[list]:
    """Where each withheld figure would have been: sheet, section, code and title."""
    withheld = withheld_word()
    return [
        [t.sheet, row[0], row[1], row[2]]
        for t in tables
        for row in t.rows
        if row[-1] == withheld or str(row[-1]).endswith(withheld)
    ]


def _follow_up_rows(data: SnapshotData) -> list[list]:
    """Whether each action agreed last time made a difference: the counts once enough
    members answered, else "too few to show"."""
    rows = []
    for q in data.get("follow_up") or []:
        said = _("made a difference %(made)s, not yet %(not_yet)s, don't know %(dont_know)s") % {
            "made": q.get("made_a_difference"),
            "not_yet": q.get("not_yet"),
            "dont_know": q.get("dont_know"),
        }
        figures = [None] * (len(COLUMNS) - 5)
        shown = q.get("shown")
        n = q.get("n") if shown else None
        rows.append(
            [_("did the action make a difference"), q["code"], q["text"], n, *figures]
            + [said if shown else withheld_word()]
        )
    return rows
