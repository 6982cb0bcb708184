"""The typed records that pass between the intake steps."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    """One line (a paragraph of the source) with the page it is on. A table row carries its cells."""

    text: str
    page: int
    cells: tuple[str, ...] = ()
    bold: bool = False               # the source set the whole line in bold (a heading, often)

    @property
    def is_row(self) -> bool:
        return bool(self.cells)


@dataclass(frozen=True)
class Document:
    name: str                        # the file's name as the officer gave it
    kind: str                        # docx | pdf | scan
    pages: int
    lines: tuple[Line, ...]
    title: str = ""                  # the document's own title (KẾ HOẠCH Tuyên truyền …), if found

    @property
    def scanned(self) -> bool:
        return self.kind == "scan"


@dataclass(frozen=True)
class Section:
    number: str                      # "I", "1", "a", "Điều 3" (as written)
    heading: str                     # the heading's words, without the number
    level: int                       # 0 for I., 1 for 1., 2 for a) …
    lines: tuple[Line, ...]          # its content (its subsections' content is theirs)
    parents: tuple[str, ...] = ()    # headings above it, outermost first

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(sorted({line.page for line in self.lines}))


@dataclass(frozen=True)
class Proposal:
    """A draft item proposed from one section, for the officer to keep, edit, merge or drop."""

    title: str
    topic: str
    confidence: float                # 0..1: how sure the topic guess is
    paragraphs: tuple[str, ...]      # the body as spoken prose, one paragraph a pause
    source: str                      # the document's file name
    pages: tuple[int, ...]
    marked: tuple[int, ...] = ()     # paragraphs whose diacritics look lost or garbled (a scan)
    flagged: tuple[str, ...] = field(default=())   # what to look at before airing (a wide table …)
    scanned: bool = False

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)
