"""Real documents built from the real plans (tests/normalize/data/plans): a .docx written with
python-docx, a text PDF printed from it by LibreOffice, and a scan of that PDF (pages rendered
by poppler, turned a little, with noise) as a PDF of images. Shared by the tests and bench/."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import numpy as np

PLANS = Path(__file__).resolve().parents[1] / "normalize" / "data" / "plans"
READABLE = ("2024-xa-minh-duc", "2024-xa-bang-ca-ha-long", "2025-xa-truc-lam-thanh-hoa", "2024-thi-xa-phuoc-long")
HEADING_MARK = re.compile(r"^\s*(#+\s*)?\*\*")


def plan_lines(name: str) -> list[tuple[str, bool]]:
    """The plan's paragraphs, as (text, bold) without its Markdown marks. A plan copied from a PDF
    has its lines wrapped: a line that ends mid-sentence goes on in the next one that starts in
    lowercase (as typed in Word, one paragraph)."""
    out: list[tuple[str, bool]] = []
    for raw in (PLANS / f"{name}.txt").read_text("utf-8").splitlines():
        text = re.sub(r"^[#>\s]*", "", raw).replace("*", "").strip()
        if not text:
            continue
        if out and text[0].islower() and not re.match(r"[a-zđ]\)", text) and not re.search(r"[.;:!?]$", out[-1][0]):
            out[-1] = (f"{out[-1][0]} {text}", out[-1][1])
        else:
            out.append((text, bool(HEADING_MARK.match(raw))))
    return out


def headings(name: str) -> list[str]:
    """The plan's numbered headings (I., 1., a) …) as written."""
    return [t for t, bold in plan_lines(name) if bold and re.match(r"^(?:[IVX]+|\d+|[a-zđ])[.)]\s", t)]


def write_docx(name: str, target: Path) -> Path:
    import docx

    document = docx.Document()
    for text, bold in plan_lines(name):
        document.add_paragraph().add_run(text).bold = bold
    document.save(target)
    return target


def to_pdf(docx_path: Path, work: Path) -> Path:
    """LibreOffice prints the .docx to PDF (a text PDF, as an office exports it)."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), str(docx_path)], check=True, capture_output=True, timeout=180)
    return work / (docx_path.stem + ".pdf")


def scan(pdf: Path, target: Path, dpi: int = 300, skew: float = 0.8, noise: float = 12.0, pages: int | None = None,
         seed: int = 7) -> Path:
    """PDF printed and scanned: each page an image at DPI, turned by SKEW degrees, with gray noise,
    saved as a PDF of images (no text layer)."""
    from PIL import Image

    work = target.parent / f"{target.stem}-pages"
    work.mkdir(exist_ok=True)
    last = ["-l", str(pages)] if pages else []
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", *last, str(pdf), str(work / "p")],
                   check=True, capture_output=True, timeout=300)
    rng = np.random.default_rng(seed)
    images = []
    for png in sorted(work.glob("p-*.png")):
        with Image.open(png) as page:
            turned = page.convert("L").rotate(skew, resample=Image.BICUBIC, fillcolor=255)
        pixels = np.asarray(turned, dtype=np.float32) + rng.normal(0, noise, (turned.height, turned.width))
        images.append(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)))
    images[0].save(target, save_all=True, append_images=images[1:], resolution=dpi)
    return target


def words(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text).split()


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance of two strings (characters), a row at a time in numpy."""
    if not a or not b:
        return max(len(a), len(b))
    x = np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32)
    y = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    j = np.arange(len(y) + 1)
    row = j.copy()
    for i, ch in enumerate(x, 1):
        step = np.empty_like(row)
        step[0] = i
        step[1:] = np.minimum(row[1:] + 1, row[:-1] + (y != ch))
        row = np.minimum.accumulate(step - j) + j
    return int(row[-1])


def cer(reference: str, found: str) -> float:
    ref = " ".join(words(reference))
    return edit_distance(ref, " ".join(words(found))) / max(1, len(ref))
