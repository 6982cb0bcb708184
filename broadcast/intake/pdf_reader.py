"""A PDF's text layer as lines, page by page; a PDF without one is a scan (OCR reads it)."""

from __future__ import annotations

from pathlib import Path

from broadcast.errors import DocumentError
from broadcast.i18n import _
from broadcast.intake import limits
from broadcast.intake.layout import paragraphs
from broadcast.intake.records import Line

TEXT_PER_PAGE = 40          # fewer characters on most pages: the text is in pictures (a scan)


def open_pdf(path: Path, name: str):
    """A pypdf reader over PATH; a damaged, encrypted or over-long PDF is refused."""
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(_("{name}: the PDF is protected by a password").format(name=name),
                                _("open it with its password and print or save it again without protection"))
        count = len(reader.pages)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise DocumentError(_("{name}: the PDF is damaged and cannot be read").format(name=name),
                            _("ask the sender for the file again, or print it and scan the pages")) from exc
    except Exception as exc:           # pypdf raises other kinds on some broken files
        if type(exc).__module__.startswith("pypdf"):
            raise DocumentError(_("{name}: the PDF is damaged and cannot be read").format(name=name),
                                _("ask the sender for the file again, or print it and scan the pages")) from exc
        raise
    if count == 0:
        raise DocumentError(_("{name}: the PDF has no pages").format(name=name), _("choose the file again"))
    if count > limits.MAX_PAGES:
        raise DocumentError(_("{name}: the PDF has {pages} pages, more than the {cap} that can be imported").format(
            name=name, pages=count, cap=limits.MAX_PAGES), _("import only the pages with news (split the PDF)"))
    return reader


def page_texts(name: str, reader, progress=None) -> list[str]:
    texts = []
    for number, page in enumerate(reader.pages, 1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:
            raise DocumentError(_("{name}, page {page}: the PDF is damaged and cannot be read").format(
                name=name, page=number), _("ask the sender for the file again, or print it and scan the pages")) from exc
        if progress:
            progress(number, len(reader.pages))
    return texts


def is_scan(texts: list[str]) -> bool:
    with_text = sum(1 for t in texts if len("".join(t.split())) >= TEXT_PER_PAGE)
    return with_text * 2 < len(texts)


def text_lines(texts: list[str]) -> list[Line]:
    """Each page's visual lines joined into paragraphs."""
    return [Line(p, number) for number, text in enumerate(texts, 1) for p in paragraphs(text.splitlines())]
