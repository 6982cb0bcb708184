"""CSV that opens right in a spreadsheet (Excel on Windows included): UTF-8 with a byte-order mark,
CRLF lines, and no cell a spreadsheet would run as a formula (a title such as =HYPERLINK(…) is
kept as text)."""

from __future__ import annotations

import csv
import io

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """VALUE as a spreadsheet keeps it: text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def table(header, rows, bom: bool = True) -> str:
    """HEADER and ROWS as CSV text; every cell neutralized; BOM for spreadsheets, none for machines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(v) for v in header])
    writer.writerows([cell(v) for v in row] for row in rows)
    return (BOM if bom else "") + out.getvalue()
