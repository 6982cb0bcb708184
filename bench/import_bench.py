"""Nhập văn bản on the four readable plans: written into .docx and printed to text PDFs by
LibreOffice, they come back with the same words and the plans' headings as sections; printed,
turned and noised, and scanned at 300 and 200 dpi, OCR reads them with a character error rate
(diacritics counted) against the PDF's own text; a 20-page scan is imported end to end, timed.

Usage: python bench/import_bench.py [--quick]      (--quick: one plan, no 20-page scan)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import pypdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from broadcast.intake.read import read_document  # noqa: E402
from broadcast.intake.sections import outline  # noqa: E402
from tests.intake.documents import READABLE, cer, plan_lines, scan, to_pdf, words, write_docx  # noqa: E402
from tests.intake.test_propose import HEADINGS  # noqa: E402


def _heads(document) -> list[str]:
    return [f"{s.number}{'.' if s.level < 3 else ')'} {s.heading}" for s in outline(list(document.lines)).sections]


def _page_cer(text_pdf: Path, scanned: Path, work: Path) -> tuple[float, int, float]:
    """CER of the whole scan against the PDF's text, its pages, and seconds."""
    reference = "\n".join(p.extract_text() for p in pypdf.PdfReader(str(text_pdf)).pages)
    began = time.perf_counter()
    document = read_document(scanned, work)
    seconds = time.perf_counter() - began
    return cer(reference, " ".join(line.text for line in document.lines)), document.pages, seconds


def main(quick: bool) -> None:
    root = Path(tempfile.mkdtemp(prefix="import-bench-"))
    pdfs = []
    print(f"{'plan':30} {'docx words':>10} {'pdf words':>9} {'sections':>8} {'CER 300':>8} {'CER 200':>8} {'s/page 300':>10}")
    for name in READABLE[:1] if quick else READABLE:
        work = root / name
        work.mkdir()
        docx_path = write_docx(name, work / f"{name}.docx")
        pdf = to_pdf(docx_path, work)
        pdfs.append(pdf)
        expected = words(" ".join(t for t, _ in plan_lines(name)))
        from_docx = read_document(docx_path, work / "d" if (work / "d").mkdir() is None else None)
        from_pdf = read_document(pdf, work / "p" if (work / "p").mkdir() is None else None)
        same = lambda doc: "same" if words(" ".join(l.text for l in doc.lines)) == expected else "DIFFER"  # noqa: E731
        sections = "same" if _heads(from_docx) == HEADINGS[name] == _heads(from_pdf) else "DIFFER"
        rates = {}
        for dpi in (300, 200):
            scanned = scan(pdf, work / f"scan-{dpi}.pdf", dpi=dpi, skew=0.8, noise=12.0)
            (work / f"o{dpi}").mkdir()
            rates[dpi] = _page_cer(pdf, scanned, work / f"o{dpi}")
        print(f"{name:30} {same(from_docx):>10} {same(from_pdf):>9} {sections:>8} {rates[300][0]:8.2%} "
              f"{rates[200][0]:8.2%} {rates[300][2] / rates[300][1]:10.1f}")
    if quick:
        return
    writer = pypdf.PdfWriter()
    for pdf in pdfs:
        for page in pypdf.PdfReader(str(pdf)).pages:
            if len(writer.pages) < 20:
                writer.add_page(page)
    twenty = root / "twenty.pdf"
    with twenty.open("wb") as handle:
        writer.write(handle)
    scanned = scan(twenty, root / "twenty-scan.pdf", dpi=300, skew=0.8, noise=12.0)
    times = []
    for run in range(3):
        (root / f"t{run}").mkdir()
        began = time.perf_counter()
        document = read_document(scanned, root / f"t{run}")
        times.append(time.perf_counter() - began)
    print(f"20-page scan at 300 dpi ({document.pages} pages): median {statistics.median(times):.1f} s "
          f"({min(times):.1f}-{max(times):.1f}) over 3 runs, target <= 60 s")


if __name__ == "__main__":
    main("--quick" in sys.argv)
