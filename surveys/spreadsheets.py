"""Cells that are safe to open in a spreadsheet (quality S7): one rule for every CSV and
workbook the product writes."""

# A spreadsheet runs a cell starting with one of these as a formula.
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that would run as a formula gets a leading apostrophe; anything else,
    numbers included, is returned as it is."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value
