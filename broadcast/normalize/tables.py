"""Tables pasted from Word or a web page (cells split by tabs or '|'): read one row as one
sentence, the header row not read (the announcer reads the rows, not the column titles). The
lint points the officer at such a table (news.lint), since a table rarely reads as well as text."""

from __future__ import annotations

import re
from dataclasses import dataclass

_RULE = re.compile(r"^[\s|:+-]*-{3,}[\s|:+-]*$")          # '|---|---|', '+----+----+'
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Table:
    first: int          # index of its first line
    last: int           # index of its last line
    header: bool        # its first line holds the column titles


def cells(line: str) -> list[str] | None:
    """The cells of a table row, or None if LINE is not one (two cells at least)."""
    if "\t" in line:
        parts = line.split("\t")
    elif line.count("|") >= 2 or (line.count("|") == 1 and not line.strip().startswith("|")):
        parts = line.strip().strip("|").split("|")
    else:
        return None
    parts = [p.strip() for p in parts]
    return parts if sum(1 for p in parts if p) >= 2 else None


def tables(lines: list[str]) -> list[Table]:
    """Runs of two rows or more; a header is a first row without digits above rows with digits."""
    found, start = [], None
    for i, line in enumerate([*lines, ""]):
        row = i < len(lines) and ((start is not None and _RULE.match(line)) or cells(line) is not None)
        if row and start is None:
            start = i
        elif not row and start is not None:
            if i - start >= 2:
                first = cells(lines[start])
                rest = [lines[j] for j in range(start + 1, i) if not _RULE.match(lines[j])]
                header = (first is not None and not _DIGIT.search(lines[start])
                          and any(_DIGIT.search(r) for r in rest))
                found.append(Table(start, i - 1, header))
            start = None
    return found


def rows_as_sentences(text: str) -> str:
    """Each row 'a<TAB>b<TAB>c' -> 'a, b, c.'; the header row and ruling lines left empty (lines
    stay lines: the lint's line numbers still point at the script)."""
    if "\t" not in text and "|" not in text:
        return text
    lines = text.split("\n")
    for table in tables(lines):
        for i in range(table.first, table.last + 1):
            row = None if _RULE.match(lines[i]) else cells(lines[i])
            if row is None or (i == table.first and table.header):
                lines[i] = ""
                continue
            said = ", ".join(c.rstrip(".;,") for c in row if any(ch.isalnum() for ch in c))   # '-': an empty cell
            lines[i] = said + ("" if said.endswith((".", "!", "?", ":")) else ".")
    return "\n".join(lines)
