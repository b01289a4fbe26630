"""Cells that are safe to open in a spreadsheet (quality S7): one rule for every CSV and
workbook the product writes."""

import csv
import io

# A spreadsheet runs a cell starting with one of these as a formula.
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that would run as a formula gets a leading apostrophe; anything else,
    numbers included, is returned as it is."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


# Excel on Windows reads a CSV as the local code page unless it starts with a BOM.
BOM = "\ufeff"


def csv_text(header: list[str], rows: list[list]) -> str:
    """A CSV file's text: a UTF-8 BOM so Excel opens it right, then every cell, header
    included, neutralised."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([neutralise(c) for c in header])
    writer.writerows([neutralise(v) for v in row] for row in rows)
    return buffer.getvalue()
