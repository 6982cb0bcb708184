"""Visual lines (a PDF's, OCR's) joined back into the paragraphs they were typed as."""

from __future__ import annotations

import re

STARTS = re.compile(r"^\s*(?:[-+•*–]\s|[IVXLC]+\.\s|\d+(?:\.\d+)*[.)]\s|[a-zđ]\)\s|Điều\s+\d|Chương\s|Mục\s+\d|"
                    r"Căn cứ|Nơi nhận|TM\.|KT\.|Số:)")
ENDS = re.compile(r"[.;:!?…]\s*$")


def paragraphs(lines: list[str]) -> list[str]:
    """Join a wrapped line to the next unless it ends a sentence, is short (a heading, a
    signature line), is all capitals, or the next starts a bullet or a heading."""
    lines = [" ".join(line.split()) for line in lines]
    widths = sorted(len(line) for line in lines if line)
    full = widths[int(len(widths) * 0.8)] if widths else 0
    out: list[str] = []
    current, last = "", ""
    for line in lines:
        if current and (not line or STARTS.match(line) or _ends_paragraph(last, line, full)):
            out.append(current)
            current = ""
        if line:
            current = f"{current} {line}" if current else line
        last = line
    if current:
        out.append(current)
    return out


def _ends_paragraph(line: str, following: str, full: int) -> bool:
    """LINE ends its paragraph: a sentence's end, a short line, or a line in capitals (a heading)
    unless the next goes on in capitals (a long heading, wrapped)."""
    if line.isupper() and following.isupper():
        return False
    return bool(ENDS.search(line)) or (full > 0 and len(line) < 0.7 * full) or line.isupper()
