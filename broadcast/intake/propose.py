"""Sections become proposals: a title from the heading, the body as spoken prose (bullets
dropped, table rows as sentences), a guessed topic, and what to look at before airing."""

from __future__ import annotations

import re

from broadcast.i18n import _
from broadcast.intake.records import Document, Line, Proposal, Section
from broadcast.intake.sections import outline
from broadcast.intake.topics import guess
from broadcast.normalize import lines_without_diacritics
from broadcast.station.topics import Topic

BULLET = re.compile(r"^\s*(?:[-+•*–·▪●]|\(?[a-zđ]\)|\d{1,2}[.)](?!\d))\s*")
WIDE_TABLE = 6                     # more columns than this: read as sentences, but flagged
TITLE_CHARS = 110
MIN_WORDS = 12                     # a section shorter than this is no news item


def proposals(document: Document, topics: tuple[Topic, ...]) -> list[Proposal]:
    found = outline(list(document.lines))
    out = []
    if found.preamble and not found.sections or _words(found.preamble) >= 60:
        out.append(_proposal(found.title or document.name, found.preamble, document, topics))
    for section in found.sections:
        if _words(section.lines) >= MIN_WORDS:
            out.append(_proposal(title_of(section.heading), section.lines, document, topics))
    return out


def _words(lines) -> int:
    return sum(len(line.text.split()) for line in lines)


def title_of(heading: str) -> str:
    """A heading as an item's title: its first sentence, at most TITLE_CHARS (cut between words)."""
    first = re.split(r"(?<=[.;:])\s", sentence_case(heading).strip(" *_"), maxsplit=1)[0].rstrip(".;:")
    if len(first) <= TITLE_CHARS:
        return first
    return first[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;") + " …"


def sentence_case(heading: str) -> str:
    """"MỤC ĐÍCH, YÊU CẦU" → "Mục đích, yêu cầu"; a heading already in mixed case stays."""
    if heading.upper() != heading:
        return heading
    low = heading.lower()
    return low[:1].upper() + low[1:]


def _proposal(title: str, lines: tuple[Line, ...] | list[Line], document: Document, topics) -> Proposal:
    paragraphs, flagged = prose(lines)
    topic, confidence = guess(title + "\n" + "\n".join(paragraphs), topics)
    marked = tuple(lines_without_diacritics(paragraphs))
    return Proposal(title, topic, confidence, tuple(paragraphs), document.name,
                    tuple(sorted({line.page for line in lines})), marked, tuple(flagged), document.scanned)


def prose(lines) -> tuple[list[str], list[str]]:
    """The lines as paragraphs to read, and notes on what was flagged."""
    paragraphs: list[str] = []
    flagged: list[str] = []
    rows: list[Line] = []
    for line in [*lines, None]:
        if line is not None and line.is_row:
            rows.append(line)
            continue
        if rows:
            said, note = table_sentences(rows)
            paragraphs += said
            flagged += [note] if note else []
            rows = []
        if line is not None:
            text = BULLET.sub("", line.text).strip()
            if text:
                paragraphs.append(_sentence(text))
    return paragraphs, flagged


def table_sentences(rows: list[Line]) -> tuple[list[str], str | None]:
    """Each row a sentence, its cells named by the header row ("Thời gian: …; Nội dung: …")."""
    header = rows[0].cells if len(rows) > 1 and all(rows[0].cells) else ()
    body = rows[1:] if header else rows
    said = []
    for row in body:
        parts = [f"{name}: {cell}" if name and name != cell else cell
                 for name, cell in zip(header or ("",) * len(row.cells), row.cells) if cell]
        if parts:
            said.append(_sentence("; ".join(parts)))
    note = None
    width = max(len(r.cells) for r in rows)
    if width > WIDE_TABLE or not header:
        note = _("page {page}: a table of {columns} columns read row by row; listen to it before it airs").format(
            page=rows[0].page, columns=width)
    return said, note


def _sentence(text: str) -> str:
    text = text.rstrip(" ;,")
    return text if text.endswith((".", "!", "?", ":", "…")) else text + "."
