"""Real plans written into a .docx and printed to a text PDF by LibreOffice come back with the
same words; printed and scanned at 300 dpi (turned, with noise) OCR reads them nearly exactly."""

from __future__ import annotations

import pypdf
import pytest

from broadcast.intake.read import read_document
from broadcast.intake.sections import outline
from tests.intake.documents import cer, headings, plan_lines, scan, to_pdf, words, write_docx
from tests.intake.test_propose import HEADINGS


@pytest.fixture(scope="module")
def minh_duc(tmp_path_factory):
    work = tmp_path_factory.mktemp("minh-duc")
    docx_path = write_docx("2024-xa-minh-duc", work / "ke-hoach.docx")
    return docx_path, to_pdf(docx_path, work)


def test_a_docx_comes_back_with_the_same_words(minh_duc, tmp_path):
    document = read_document(minh_duc[0], tmp_path)
    assert document.kind == "docx"
    assert words(" ".join(line.text for line in document.lines)) == words(" ".join(t for t, _ in plan_lines("2024-xa-minh-duc")))
    bold = [line.text for line in document.lines if line.bold]
    assert set(headings("2024-xa-minh-duc")) <= set(bold)


def test_a_text_pdf_comes_back_with_the_same_words_and_pages(minh_duc, tmp_path):
    document = read_document(minh_duc[1], tmp_path)
    assert document.kind == "pdf" and document.pages == len(pypdf.PdfReader(str(minh_duc[1])).pages) > 1
    assert words(" ".join(line.text for line in document.lines)) == words(" ".join(t for t, _ in plan_lines("2024-xa-minh-duc")))
    assert document.lines[-1].page == document.pages
    found = [f"{s.number}{'.' if s.level < 3 else ')'} {s.heading}" for s in outline(list(document.lines)).sections]
    assert found == HEADINGS["2024-xa-minh-duc"]          # a heading wrapped over two lines is one heading


def test_docx_tables_come_in_order_as_rows_of_cells(tmp_path):
    import docx

    written = docx.Document()
    written.add_paragraph("1. Lịch tiếp công dân")
    table = written.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, [("Thời gian", "Nội dung"), ("Thứ Hai", "Tiếp dân"), ("Thứ Sáu", "Họp giao ban")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    written.add_paragraph("Sau bảng.")
    written.save(tmp_path / "bang.docx")
    document = read_document(tmp_path / "bang.docx", tmp_path)
    assert [line.cells for line in document.lines] == [(), ("Thời gian", "Nội dung"), ("Thứ Hai", "Tiếp dân"),
                                                       ("Thứ Sáu", "Họp giao ban"), ()]


def test_a_scan_is_read_by_ocr_with_its_diacritics(minh_duc, tmp_path):
    scanned = scan(minh_duc[1], tmp_path / "scan.pdf", dpi=300, skew=0.8, pages=1)
    document = read_document(scanned, tmp_path / "work" if (tmp_path / "work").mkdir() is None else None)
    assert document.kind == "scan" and document.pages == 1
    reference = pypdf.PdfReader(str(minh_duc[1])).pages[0].extract_text()
    assert cer(reference, " ".join(line.text for line in document.lines)) <= 0.02
    assert any(line.text == "I. MỤC ĐÍCH, YÊU CẦU" for line in document.lines)
