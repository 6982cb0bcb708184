"""Any supported file as a Document: the reader for its kind, OCR for a scan or a photo."""

from __future__ import annotations

import shutil
from pathlib import Path

from broadcast.errors import DocumentError
from broadcast.i18n import N_, _
from broadcast.intake import ocr, pdf_reader
from broadcast.intake.deskew import load_gray
from broadcast.intake.docx_reader import read_docx
from broadcast.intake.kinds import kind_of
from broadcast.intake.layout import paragraphs
from broadcast.intake.records import Document, Line

NO_TEXT = N_("hold the page flat in good light and take the photo again, or scan it at 300 dpi")


def read_document(path: Path, work: Path, name: str | None = None, progress=None) -> Document:
    """PATH read into lines with their pages. WORK (an empty folder) keeps the page images of a
    scan, for the officer to compare. PROGRESS(done, total) as pages are read."""
    name = name or path.name
    kind = kind_of(path, name)
    if kind == "docx":
        lines, pages = read_docx(path, name)
        document = Document(name, "docx", pages, tuple(lines))
    elif kind == "pdf":
        reader = pdf_reader.open_pdf(path, name)
        texts = pdf_reader.page_texts(name, reader)
        if pdf_reader.is_scan(texts):
            images = ocr.render_pages(path, name, len(texts), work)
            document = _scanned(name, images, progress)
        else:
            document = Document(name, "pdf", len(texts), tuple(pdf_reader.text_lines(texts)))
    else:
        image = work / "page-1.img"
        shutil.copyfile(path, image)
        load_gray(image, name)                   # a damaged or oversized picture is named as she knows it
        document = _scanned(name, [image], progress)
    if not any(line.text.strip() for line in document.lines):
        raise DocumentError(_("{name}: no text was found in it").format(name=name), _(NO_TEXT))
    return document


def _scanned(name: str, images: list[Path], progress) -> Document:
    engine = ocr.Tesseract()
    missing = engine.available()
    if missing:
        raise DocumentError(missing, _(ocr.INSTALL))
    texts = ocr.read_images(images, engine, progress)
    lines = [Line(p, number) for number, text in enumerate(texts, 1) for p in paragraphs(text.splitlines())]
    return Document(name, "scan", len(images), tuple(lines))
