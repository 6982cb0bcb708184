"""Bad files: each a clear message naming the file and what to do, within a size and time
cap, and nothing half-imported."""

from __future__ import annotations

import io
import zipfile

import pypdf
import pytest

from broadcast.errors import DocumentError
from broadcast.intake import limits
from broadcast.intake.read import read_document

LANGUAGE = "vi"           # the officer reads these messages


def _refused(path, tmp_path, *words):
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    with pytest.raises(DocumentError) as caught:
        read_document(path, work, "ke-hoach" + path.suffix)
    message = str(caught.value)
    assert "ke-hoach" in message and caught.value.hint
    for word in words:
        assert word in message, message
    return message


def _pdf(tmp_path, pages: int, password: str | None = None):
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if password:
        writer.encrypt(password)
    path = tmp_path / "in.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_a_password_protected_pdf(tmp_path):
    _refused(_pdf(tmp_path, 1, "bi-mat"), tmp_path, "mật khẩu")


def test_a_pdf_cut_in_half(tmp_path):
    whole = _pdf(tmp_path, 3).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: len(whole) // 2])
    _refused(cut, tmp_path, "hỏng")


def test_a_300_page_pdf_is_over_the_cap(tmp_path):
    _refused(_pdf(tmp_path, 300), tmp_path, "300", str(limits.MAX_PAGES))


def test_an_old_word_file(tmp_path):
    doc = tmp_path / "in.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    _refused(doc, tmp_path, ".doc")


def test_a_docx_that_is_a_zip_bomb(tmp_path):
    bomb = tmp_path / "in.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (limits.MAX_UNZIPPED + 1) + b"</w:document>")
    assert bomb.stat().st_size < 1_000_000
    _refused(bomb, tmp_path, "MB")


def test_a_damaged_docx(tmp_path):
    broken = tmp_path / "in.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("word/document.xml", b"<not xml")
    _refused(broken, tmp_path, "hỏng")


def test_an_image_of_nothing(tmp_path):
    from PIL import Image

    blank = tmp_path / "in.png"
    Image.new("L", (2480, 3508), 255).save(blank)
    _refused(blank, tmp_path, "không tìm thấy chữ")


def test_an_image_over_the_pixel_cap(tmp_path):
    from PIL import Image

    huge = tmp_path / "in.png"
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000), 1).save(buffer, "PNG")        # 81 megapixels in a small file
    huge.write_bytes(buffer.getvalue())
    _refused(huge, tmp_path, "megapixel")


def test_a_file_of_another_kind(tmp_path):
    other = tmp_path / "in.txt"
    other.write_text("Kính thưa bà con", "utf-8")
    _refused(other, tmp_path, ".docx", "PDF")


def test_an_empty_file(tmp_path):
    empty = tmp_path / "in.pdf"
    empty.write_bytes(b"")
    _refused(empty, tmp_path, "trống")
