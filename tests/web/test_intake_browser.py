"""Nhập văn bản in a real browser (Debian's chromium): a phone photo of a page of the plan that
lost its diacritics is uploaded, read by OCR while the page shows its progress; the proposals
show the page image and the marked paragraphs; the officer keeps one, ticks what she compared,
drops the rest, and finds it among her drafts. At phone width (390 px) nothing overflows."""

from __future__ import annotations

import subprocess
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from broadcast.news.scripts import load_scripts
from tests.intake.documents import to_pdf, write_docx
from tests.web.test_browser import CHROMIUM, _sign_in, console_url, shots  # noqa: F401  (fixtures)


def _photo(tmp_path: Path) -> Path:
    """Page 1 of the OCR plan printed, then photographed: 200 dpi, a little turned."""
    from PIL import Image

    pdf = to_pdf(write_docx("2023-xa-binh-luong-ocr", tmp_path / "kh-binh-luong.docx"), tmp_path)
    subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
                   check=True, timeout=120)
    photo = tmp_path / "anh-chup-trang-1.jpg"
    with Image.open(next(tmp_path.glob("p-*.png"))) as page:
        page.rotate(1.2, resample=Image.BICUBIC, fillcolor=255).save(photo, quality=85)
    return photo


def test_a_photographed_page_becomes_a_checked_draft(console_url, console_station, shots, tmp_path):  # noqa: F811
    assert Path(CHROMIUM).exists(), "install Debian's chromium: ./setup.sh --test"
    photo = _photo(tmp_path)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}).new_page()
        _sign_in(page, console_url, "editor1")
        page.goto(console_url + "/tin-bai")
        page.get_by_role("link", name="Nhập văn bản").click()
        page.get_by_label("Văn bản (.docx, PDF, JPG, PNG").set_input_files(str(photo))
        page.get_by_role("button", name="Đọc văn bản").click()
        expect(page.get_by_role("progressbar")).to_be_visible()
        page.screenshot(path=shots / "nhap-van-ban-dang-doc.png")
        expect(page.get_by_role("button", name="Lưu các tin giữ lại thành tin nháp")).to_be_visible(timeout=120_000)
        first = page.locator("#de-xuat-0")
        expect(first.get_by_text("có vẻ bị mất dấu")).to_be_visible()
        expect(first.get_by_role("img", name="Trang 1 của bản quét")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=shots / "nhap-van-ban-de-xuat.png", full_page=True)
        checks = first.get_by_role("checkbox", name="Đã xem đoạn")
        for n in range(checks.count()):
            checks.nth(n).check()
        for card in page.locator("fieldset.proposal").all()[1:]:
            card.get_by_role("checkbox", name="Giữ").uncheck()
        title = first.get_by_label("Tiêu đề").input_value()
        page.get_by_role("button", name="Lưu các tin giữ lại thành tin nháp").click()
        expect(page.get_by_role("status")).to_contain_text("đã được lưu thành tin nháp")
        expect(page.get_by_role("link", name=title)).to_be_visible()
        browser.close()
    imported = [i for i in load_scripts([console_station / "scripts"]) if i.source]
    assert len(imported) == 1 and imported[0].source.scanned and imported[0].source.to_check == ()
    assert imported[0].source.file == "anh-chup-trang-1.jpg" and imported[0].airable
