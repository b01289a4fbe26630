"""The results as files: a CSV (one table, a UTF-8 BOM so Excel on Windows reads it
right) and a workbook with a sheet per table and a notes sheet saying what the release
withheld and why. Every cell is neutralised against formula injection (quality S7) by
``surveys.spreadsheets``; numbers stay numbers."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from surveys.spreadsheets import csv_text, neutralise

from .tables import COLUMNS, Table, withheld_rows, words

ACTION_COLUMNS = [
    pgettext_lazy("export column", "round"),
    gettext_lazy("matrix dimension"),
    pgettext_lazy("export column", "what"),
    pgettext_lazy("export column", "who"),
    pgettext_lazy("export column", "due"),
    pgettext_lazy("export column", "status"),
]
# Column widths by header, in the language the headers are written in.
WIDTHS = {
    pgettext_lazy("export column", "title"): 60,
    pgettext_lazy("export column", "detail"): 45,
    pgettext_lazy("export column", "what"): 60,
    pgettext_lazy("export column", "code"): 24,
    pgettext_lazy("export column", "section"): 24,
}


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
    return csv_text(words(COLUMNS), [row for table in tables if table.in_csv for row in table.rows])


def action_table(actions, labels: dict) -> Table:
    rows = [
        [a.session.assessment.title, labels.get(a.dimension, a.dimension), a.what, a.who,
         a.due_on, a.get_status_display()]
        for a in actions
    ]  # fmt: skip
    rows = [[neutralise(v) for v in row] for row in rows]
    return Table(_("Actions"), words(ACTION_COLUMNS), rows, in_csv=False)


def notes_rows(facts: ReleaseFacts, tables: list[Table]) -> list[list]:
    t = {"threshold": facts.threshold}
    round_ = pgettext("export notes", "Round")
    if facts.number is None:
        return [[round_, facts.round_title], [_("Release"), _("Nothing has been released yet.")]]
    rows = [
        [round_, facts.round_title],
        [_("Release"), _("%(number)s (%(kind)s), made %(made_on)s") % {
            "number": facts.number, "kind": facts.kind, "made_on": facts.made_on}],
        [_("Responses covered"), facts.respondents],
        [_("Anonymity threshold"), facts.threshold],
        [_("Why figures are withheld"), _(
            "Members answer frankly because nobody can work out one person's answers. A "
            "figure with fewer than %(threshold)s answers behind it is not shown, and the "
            "release audit holds back any figure that, put together with other published "
            "figures (this release and earlier ones), would let someone's answers be worked "
            "out.") % t],
        [_("Figures the release could show"), facts.cells],
        [_("Withheld: fewer than %(threshold)s answers") % t, facts.too_few],
        [_("Withheld by the audit"), facts.held_back],
        [_("Not in this export"), _("Free-text comments (see the comments page) and who "
                                    "answered what, which nobody sees.")],
        [],
        [_("Withheld in this export: sheet"), *words(COLUMNS[:3])],
    ]  # fmt: skip
    return rows + (withheld_rows(tables) or [[_("(nothing)")]])


def to_xlsx(tables: list[Table], facts: ReleaseFacts) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        _sheet(book, table)
    notes = book.create_sheet(_("Notes"))
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
    widths = {str(header): width for header, width in WIDTHS.items()}
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        width = widths.get(str(cell.value), max(10, len(str(cell.value)) + 2))
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
