"""The user guide: its sections numbered once each, in order; every picture in docs/anh/ shown in
it and every picture it shows there; the README links it."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_sections_are_numbered_once_in_order():
    numbers = [int(n) for n in re.findall(r"^## (\d+)\. ", (DOCS / "huong-dan.md").read_text("utf-8"), re.M)]
    assert numbers == list(range(1, len(numbers) + 1))


def test_every_picture_is_referenced_and_exists():
    text = (DOCS / "huong-dan.md").read_text("utf-8")
    shown = re.findall(r"!\[[^\]]+\]\(anh/([^)]+)\)", text)
    assert len(shown) == len(set(shown))
    assert sorted(shown) == sorted(p.name for p in (DOCS / "anh").glob("*.png"))
    assert "docs/huong-dan.md" in (DOCS.parent / "README.md").read_text("utf-8")
