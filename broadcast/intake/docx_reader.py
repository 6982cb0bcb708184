"""A .docx as lines: paragraphs and table rows in the order they stand, with their page
(counted from the page breaks Word records; a document without them is one page)."""

from __future__ import annotations

from pathlib import Path

from broadcast.errors import DocumentError
from broadcast.i18n import _
from broadcast.intake.kinds import SAVE_AS_DOCX
from broadcast.intake.records import Line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(path: Path, name: str) -> tuple[list[Line], int]:
    """The lines of PATH and its page count."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:            # python-docx raises many kinds for a broken package
        raise DocumentError(_("{name}: the Word file is damaged and cannot be read").format(name=name),
                            _(SAVE_AS_DOCX)) from exc
    lines: list[Line] = []
    page = 1
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            paragraph = Paragraph(child, document)
            page += _page_breaks(child, before_text=True)
            text = paragraph.text.strip()
            if text:
                lines.append(Line(text, page, bold=_bold(paragraph)))
            page += _page_breaks(child, before_text=False)
        elif child.tag == f"{W}tbl":
            for row in Table(child, document).rows:
                cells = _cells(row)
                if any(cells):
                    lines.append(Line(" | ".join(cells), page, cells=cells))
    return lines, page


def _page_breaks(element, before_text: bool) -> int:
    """Breaks in a paragraph: one that comes before any text starts the paragraph on a new page;
    others start the next one there."""
    count = 0
    seen_text = False
    for node in element.iter():
        if node.tag == f"{W}t" and (node.text or "").strip():
            seen_text = True
        elif node.tag in (f"{W}br", f"{W}lastRenderedPageBreak"):
            if node.tag == f"{W}br" and node.get(f"{W}type") != "page":
                continue
            if seen_text != before_text:
                count += 1
    return count


def _bold(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    if paragraph.style is not None and paragraph.style.name.lower().startswith(("heading", "title")):
        return True
    return bool(runs) and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs)


def _cells(row) -> tuple[str, ...]:
    """The row's cells, a merged cell once (python-docx repeats it for each grid column)."""
    cells: list[str] = []
    last = None
    for cell in row.cells:
        if cell._tc is last:
            continue
        last = cell._tc
        cells.append(" ".join(cell.text.split()))
    return tuple(cells)
