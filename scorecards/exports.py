"""Aggregated results as rows for CSV and spreadsheets. Never one member's answers:
only counts and statistics, hidden groups left hidden, no free-text comments.

Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) are neutralised with a leading apostrophe (quality S7); numbers are
written as numbers."""

import csv
import io

from openpyxl import Workbook

from surveys.spreadsheets import neutralise

from .scoring.publication import WITHHELD
from .scoring.shape import SnapshotData

COLUMNS = [
    "section",
    "code",
    "title",
    "n",
    "mean (1-5)",
    "score (0-100)",
    "median",
    "sd",
    "share agreeing",
    "share don't know",
    "band",
    "detail",
]


def export_rows(data: SnapshotData, labels: dict) -> list[list]:
    rows = []
    for section in ("domains", "subdimensions", "items"):
        for code, e in (data.get(section) or {}).items():
            detail = ""
            alpha = ((data.get("reliability") or {}).get(code) or {}).get("alpha")
            if section == "subdimensions" and alpha is not None:
                detail = f"alpha {alpha:.2f}"
            if e.get("withheld"):
                detail = WITHHELD
            rows.append(
                [
                    section.rstrip("s"),
                    code,
                    labels.get(code, code),
                    e.get("n"),
                    e.get("mean"),
                    e.get("mean_pct"),
                    e.get("median"),
                    e.get("sd"),
                    e.get("agree_share"),
                    e.get("dont_know_share"),
                    e.get("band"),
                    detail,
                ]
            )
    for code, f in (data.get("function_mix") or {}).items():
        rows.append(
            [
                "function mix",
                code,
                labels.get(code, code),
                f.get("n_performance"),
                f.get("performance"),
                f.get("performance_pct"),
                None,
                None,
                None,
                None,
                None,
                f"importance {f.get('importance')}, gap {f.get('gap')}",
            ]
        )
    for code, d in ((data.get("matrix") or {}).get("dimensions") or {}).items():
        rows.append(
            [
                "matrix",
                code,
                labels.get(code, code),
                d.get("n"),
                None,
                None,
                d.get("median_current"),
                None,
                None,
                None,
                None,
                WITHHELD
                if d.get("withheld")
                else f"lowest {d.get('lowest')}, highest {d.get('highest')}, "
                f"target {d.get('median_target')}, gap {d.get('gap')}",
            ]
        )
    rows += _breakdown_rows(data, labels)
    for code, ch in ((data.get("changes") or {}).get("domains") or {}).items():
        rows.append(
            [
                "change since last round",
                code,
                labels.get(code, code),
                ch.get("n_current"),
                None,
                ch.get("current"),
                None,
                None,
                None,
                None,
                None,
                f"{ch.get('diff')} points (95% CI {ch.get('ci_low')} to {ch.get('ci_high')})",
            ]
        )
    for q in data.get("custom") or []:
        if q["kind"] == "agreement":
            shown = q.get("shown")
            rows.append(
                [
                    "your network's question",
                    q["code"],
                    q["text"],
                    q.get("n"),
                    q.get("mean") if shown else None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    "" if shown else WITHHELD,
                ]
            )
    for q in data.get("follow_up") or []:
        shown = q.get("shown")
        said = (
            f"made a difference {q.get('made_a_difference')}, not yet {q.get('not_yet')}, "
            f"don't know {q.get('dont_know')}"
        )
        rows.append(
            ["did the action make a difference", q["code"], q["text"], q.get("n")]
            + [None] * 7
            + [said if shown else WITHHELD]
        )
    return [[neutralise(v) for v in row] for row in rows]


def _breakdown_rows(data: SnapshotData, labels: dict) -> list[list]:
    rows = []
    for by, groups in (data.get("breakdowns") or {}).items():
        for name, g in groups.items():
            if g.get("hidden"):
                rows.append([f"by {by}", name, name] + [None] * 8 + [WITHHELD])
                continue
            for domain, d in (g.get("domains") or {}).items():
                rows.append(
                    [
                        f"by {by}",
                        name,
                        f"{name}: {labels.get(domain, domain)}",
                        g.get("n"),
                        d.get("mean"),
                        d.get("mean_pct"),
                        None,
                        None,
                        None,
                        None,
                        None,
                        f"{d.get('vs_rest')} points against the rest"
                        if d.get("vs_rest") is not None
                        else "",
                    ]
                )
    return rows


def to_csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(c) for c in COLUMNS])
    writer.writerows(rows)
    return buffer.getvalue()


def to_xlsx(rows: list[list], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    sheet.append([neutralise(c) for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    book.properties.title = neutralise(title)[:250]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
