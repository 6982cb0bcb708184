"""`broadcast import FILE`: every proposal written as a draft in scripts/, listed with its
source page, topic and what to check, in Vietnamese; a bad file a located error, exit 1."""

from __future__ import annotations

import subprocess
import sys

from tests.intake.documents import write_docx

LANGUAGE = "vi"


def _broadcast(root, *args):
    return subprocess.run([sys.executable, "-m", "broadcast", "-S", str(root), *args], capture_output=True, text=True,
                          timeout=120)


def test_import_writes_each_section_as_a_draft_and_lists_it(station_dir, tmp_path):
    done = _broadcast(station_dir, "import", str(write_docx("2024-xa-minh-duc", tmp_path / "ke-hoach.docx")))
    assert done.returncode == 0, done.stderr
    assert "ke-hoach.docx: 8 tin nháp" in done.stdout
    assert "muc-dich-yeu-cau  trang 1  chủ đề" in done.stdout
    assert (station_dir / "scripts" / "muc-dich-yeu-cau.md").is_file()
    listed = _broadcast(station_dir, "items", "list")
    assert "muc-dich-yeu-cau" in listed.stdout and "Nháp" in listed.stdout


def test_import_of_a_bad_file_says_why_in_vietnamese(station_dir, tmp_path):
    old = tmp_path / "cong-van.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    done = _broadcast(station_dir, "import", str(old))
    assert done.returncode == 1
    assert "cong-van.doc" in done.stderr and "Word đời cũ" in done.stderr and "Gợi ý" in done.stderr
    assert not list((station_dir / "scripts").glob("*.md"))
