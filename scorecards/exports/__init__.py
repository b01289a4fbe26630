"""Results exports: a release's figures as CSV and as a workbook (``tables`` builds
the rows, ``files`` writes them)."""

from .files import ReleaseFacts, action_table, to_csv, to_xlsx
from .tables import COLUMNS, Table, result_tables

__all__ = [
    "COLUMNS",
    "ReleaseFacts",
    "Table",
    "action_table",
    "result_tables",
    "to_csv",
    "to_xlsx",
]
