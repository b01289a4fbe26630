"""The results as files: a CSV (one table, a UTF-8 BOM so Excel on Windows reads it
right) and a workbook with a sheet per table and a notes sheet saying what the release
withheld and why. Every cell is neutralised against formula injection (quality S7) by
``surveys.spreadsheets``; numbers stay numbers."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

from surveys.spreadsheets import csv_text, neutralise

from .tables import COLUMNS, Table, withheld_rows

ACTION_COLUMNS = ["round", "matrix dimension", "what", "who", "due", "status"]
WIDTHS = {"title": 60, "detail": 45, "what": 60, "code": 24, "section": 24}


@dataclass(frozen=True)
class ReleaseFacts:
    """What the notes say about the release the figures come from."""

    round_title: str
    number: int | None  # None: nothing released yet
    kind: str
    made_on: str
    respondents: int
    threshold: int
    cells: int
    too_few: int
    held_back: int


def to_csv(tables: list[Table]) -> str:
    """The score tables one after another, under one header; tables with columns of
    their own (connections) are in the workbook only."""
    return csv_text(
        COLUMNS, [row for table in tables if table.columns == COLUMNS for row in table.rows]
    )


def action_table(actions, labels: dict) -> Table:
    rows = [
        [a.session.assessment.title, labels.get(a.dimension, a.dimension), a.what, a.who,
         a.due_on, a.get_status_display()]
        for a in actions
    ]  # fmt: skip
    return Table("Actions", ACTION_COLUMNS, [[neutralise(v) for v in row] for row in rows])


def notes_rows(facts: ReleaseFacts, tables: list[Table]) -> list[list]:
    t = facts.threshold
    if facts.number is None:
        return [["Round", facts.round_title], ["Release", "Nothing has been released yet."]]
    rows = [
        ["Round", facts.round_title],
        ["Release", f"{facts.number} ({facts.kind}), made {facts.made_on}"],
        ["Responses covered", facts.respondents],
        ["Anonymity threshold", t],
        ["Why figures are withheld", (
            f"Members answer frankly because nobody can work out one person's answers. A "
            f"figure with fewer than {t} answers behind it is not shown, and the release "
            "audit holds back any figure that, put together with other published figures "
            "(this release and earlier ones), would let someone's answers be worked out.")],
        ["Figures the release could show", facts.cells],
        [f"Withheld: fewer than {t} answers", facts.too_few],
        ["Withheld by the audit", facts.held_back],
        ["Not in this export", "Free-text comments (see the comments page) and who "
         "answered what, which nobody sees."],
        [],
        ["Withheld in this export: sheet", "section", "code", "title"],
    ]  # fmt: skip
    return rows + (withheld_rows(tables) or [["(nothing)"]])


def to_xlsx(tables: list[Table], facts: ReleaseFacts) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        _sheet(book, table)
    notes = book.create_sheet("Notes")
    for row in notes_rows(facts, tables):
        notes.append([neutralise(v) for v in row])
    notes.column_dimensions["A"].width = 34
    notes.column_dimensions["B"].width = 90
    for cell in notes["A"]:
        cell.font = Font(bold=True)
    book.properties.title = neutralise(facts.round_title)[:250]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(book: Workbook, table: Table) -> None:
    sheet = book.create_sheet(table.sheet)
    sheet.append([neutralise(c) for c in table.columns])
    for row in table.rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        width = WIDTHS.get(str(cell.value), max(10, len(str(cell.value)) + 2))
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
