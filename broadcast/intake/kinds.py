"""What a file is, by its first bytes (never by its name): the officer's files are often misnamed."""

from __future__ import annotations

import zipfile
from pathlib import Path

from broadcast.errors import DocumentError
from broadcast.i18n import N_, _
from broadcast.intake import limits

SAVE_AS_DOCX = N_("open it in Word or LibreOffice and save it as .docx (or export it as PDF), then import that file")


def kind_of(path: Path, name: str | None = None) -> str:
    """docx, pdf or image; anything else is refused with what to do. NAME: the file's name as the
    officer knows it (PATH may be a copy)."""
    name = name or path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise DocumentError(_("{name}: the file cannot be read").format(name=name),
                            _("choose the file again")) from exc
    if size == 0:
        raise DocumentError(_("{name}: the file is empty").format(name=name), _("choose the file again"))
    if size > limits.MAX_BYTES:
        raise DocumentError(_("{name}: the file is {size} MB, more than the {cap} MB that can be imported").format(
            name=name, size=round(size / 2**20, 1), cap=limits.MAX_BYTES // 2**20),
            _("split the document, or import only the pages with news"))
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path, name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(_("{name}: an old Word file (.doc, Word 97–2003) cannot be read").format(name=name),
                            _(SAVE_AS_DOCX))
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff"):
        return "image"
    raise DocumentError(_("{name}: not a Word (.docx), PDF or image (JPG, PNG) file").format(name=name),
                        _(SAVE_AS_DOCX))


def _zip_kind(path: Path, name: str) -> str:
    """A .docx is a zip: refuse a damaged one, another zip, or one that unpacks too large."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise DocumentError(_("{name}: the Word file is damaged (it is not a complete .docx)").format(name=name),
                            _(SAVE_AS_DOCX)) from exc
    names = {p.filename for p in parts}
    if "word/document.xml" not in names:
        raise DocumentError(_("{name}: a zip file, not a Word document (.docx)").format(name=name), _(SAVE_AS_DOCX))
    unpacked = sum(p.file_size for p in parts)
    if len(parts) > limits.MAX_PARTS or unpacked > limits.MAX_UNZIPPED:
        raise DocumentError(_("{name}: the Word file unpacks to {size} MB, more than the {cap} MB that can be imported")
                            .format(name=name, size=unpacked // 2**20, cap=limits.MAX_UNZIPPED // 2**20),
                            _("split the document, or save it again in Word without embedded files"))
    return "docx"
