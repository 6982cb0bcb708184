"""Scans and photos read by OCR: pages rendered by poppler's pdftoppm, straightened (deskew),
read by tesseract with Debian's Vietnamese model (tesseract-ocr-vie), two pages at a time.
Nothing is downloaded: the model is the Debian package's."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from broadcast import proc
from broadcast.errors import AudioError, DocumentError
from broadcast.i18n import N_, _
from broadcast.intake import limits
from broadcast.intake.deskew import straighten

INSTALL = N_("install the OCR packages: ./setup.sh (Debian: tesseract-ocr-vie, poppler-utils)")
RENDER_DPI = 300


class Tesseract:
    """Debian's tesseract with its Vietnamese model."""

    name = "tesseract"

    def available(self) -> str | None:
        """None when it can read Vietnamese, else why not."""
        if shutil.which("tesseract") is None or shutil.which("pdftoppm") is None:
            return _("OCR is not installed")
        langs = proc.run(["tesseract", "--list-langs"], timeout=30, what="tesseract").stdout.decode()
        return None if "vie" in langs.split() else _("the Vietnamese OCR model (tesseract-ocr-vie) is not installed")

    def read_page(self, image: Path) -> str:
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}      # two pages at a time, one core each
        try:
            done = proc.run(["tesseract", str(image), "stdout", "-l", "vie", "--dpi", str(RENDER_DPI), "--psm", "3"],
                            timeout=limits.OCR_SECONDS_PER_PAGE, what="tesseract", env=env)
        except AudioError as exc:
            raise DocumentError(_("OCR could not read a page: {reason}").format(reason=exc.message), _(INSTALL)) from exc
        return done.stdout.decode("utf-8", "replace")


def render_pages(pdf: Path, name: str, pages: int, work: Path) -> list[Path]:
    """Each page of PDF as an image in WORK: a scan's own page pictures when each page is one
    picture (taken out as they are, fast and lossless), else the page rendered at RENDER_DPI."""
    if pages > limits.MAX_SCAN_PAGES:
        raise DocumentError(_("{name}: a scan of {pages} pages, more than the {cap} that OCR reads at once").format(
            name=name, pages=pages, cap=limits.MAX_SCAN_PAGES), _("import the scan in parts (split the PDF)"))
    try:
        if _one_picture_a_page(pdf, pages):
            proc.run(["pdfimages", "-all", str(pdf), str(work / "page")], timeout=30 + 5 * pages, what="pdfimages")
            found = sorted(work.glob("page-*"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
            return [_renamed(image, n) for n, image in enumerate(found, 1)]
        proc.run(["pdftoppm", "-r", str(RENDER_DPI), "-gray", "-png", str(pdf), str(work / "page")],
                 timeout=30 + 30 * pages, what="pdftoppm")
    except AudioError as exc:
        raise DocumentError(_("{name}: the pages could not be rendered for OCR: {reason}").format(
            name=name, reason=exc.message), _(INSTALL)) from exc
    return sorted(work.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def _one_picture_a_page(pdf: Path, pages: int) -> bool:
    listing = proc.run(["pdfimages", "-list", str(pdf)], timeout=30, what="pdfimages").stdout.decode("utf-8", "replace")
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    per_page = [row[0] for row in rows if len(row) > 13 and row[2] == "image" and row[12].isdigit() and int(row[12]) >= 150]
    return len(per_page) == pages == len(rows) and per_page == [str(n) for n in range(1, pages + 1)]


def _renamed(image: Path, number: int) -> Path:
    """pdfimages counts from 000; pages count from 1."""
    target = image.with_name(f"page-{number}{image.suffix}")
    image.rename(target)
    return target


def read_images(images: list[Path], engine: Tesseract, progress=None) -> list[str]:
    """The text of each page image, straightened first; PROGRESS(done, total) after each page."""
    done = 0

    def one(image: Path) -> str:
        nonlocal done
        text = engine.read_page(straighten(image))
        done += 1
        if progress:
            progress(done, len(images))
        return text

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(one, images))
