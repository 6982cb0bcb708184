"""The user guide's pictures (docs/anh/*.png), taken from the bundled sample station: a copy of it
in a temporary folder, `broadcast web` on it, Debian's chromium driven by Playwright through the
pages the guide describes, at desktop width and at phone width (390 px). Nothing is aired.

    .venv/bin/python tools/screenshots.py            # writes docs/anh/
    .venv/bin/python tools/screenshots.py OUT        # writes OUT/ instead
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from broadcast import service  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "mat-khau-huong-dan"
USERS = (("chi-lan", "editor"), ("chu-tich", "approver"), ("quan-tri", "admin"))
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NEW_TEXT = ("Kính thưa bà con! Từ ngày 01/7/2025, bà con làm thủ tục hành chính tại Bộ phận Một cửa xã "
            "Minh Đức, tầng 1 trụ sở Ủy ban nhân dân xã, từ thứ Hai đến thứ Sáu.\n\n"
            "Hồ sơ nộp trực tuyến trên Cổng Dịch vụ công quốc gia được giải quyết như hồ sơ nộp trực tiếp.")


def sample_station(folder: Path) -> Path:
    """A copy of the sample station (this repository's station files) with the guide's users."""
    root = folder / "dai-mau"
    root.mkdir()
    for name in ("station.yaml", "lexicon.yaml"):
        shutil.copy(ROOT / name, root / name)
    for name in ("audio", "schedules", "scripts"):
        shutil.copytree(ROOT / name, root / name)
    station = service.station.open_station(root)
    for user, role in USERS:
        service.users.add_user(station, user, role, PASSWORD, service.station.now(station))
    return root


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("broadcast web did not start")


def _sign_in(page, url: str, user: str) -> None:
    page.goto(url + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(user)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Tổng quan").wait_for()


def take(url: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    taken = []

    def shot(page, name: str) -> None:
        page.wait_for_timeout(300)
        page.screenshot(path=out / name, full_page=True)
        taken.append(out / name)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(locale="vi-VN", **DESKTOP).new_page()
        page.goto(url + "/dang-nhap")
        shot(page, "01-dang-nhap.png")
        _sign_in(page, url, "chi-lan")
        shot(page, "02-tong-quan.png")
        page.get_by_role("navigation").get_by_role("link", name="Tin bài").click()
        shot(page, "03-danh-sach-tin.png")
        page.get_by_role("link", name="Viết tin mới").click()
        page.get_by_label("Tiêu đề").fill("Thủ tục hành chính tại Bộ phận Một cửa xã")
        page.get_by_label("Chủ đề").select_option(index=1)
        page.get_by_label("Nội dung").fill(NEW_TEXT)
        page.get_by_role("button", name="Lưu").click()
        page.get_by_text("Đã lưu.").wait_for()
        page.get_by_role("button", name="Xem cách đọc").click()
        page.locator("#cach-doc mark").first.wait_for()
        shot(page, "04-soan-tin.png")
        page.get_by_role("button", name="Gửi duyệt").click()
        page.get_by_text("Đã gửi duyệt.").wait_for()
        item = page.url.split("?")[0]
        page.get_by_label("Nội dung").fill(NEW_TEXT.replace("thứ Sáu", "sáng thứ Bảy"))
        page.get_by_role("button", name="Lưu").click()
        page.get_by_text("Đã lưu.").wait_for()
        page.goto(item + "/lich-su")
        shot(page, "05-lich-su.png")

        leader = browser.new_context(locale="vi-VN", **PHONE).new_page()
        _sign_in(leader, url, "chu-tich")
        shot(leader, "06-lanh-dao-dien-thoai.png")
        leader.get_by_role("link", name="Có 1 tin chờ duyệt").click()
        shot(leader, "07-tin-cho-duyet-dien-thoai.png")

        page.get_by_role("link", name="Phát khẩn cấp").click()
        page.get_by_label("Nội dung cần đọc").fill("Thông báo khẩn: chiều nay mất điện từ 14 giờ đến 16 giờ.")
        page.get_by_role("button", name="Bỏ chọn tất cả").click()
        page.get_by_role("button", name="Chỉ Minh Đức cũ").click()
        shot(page, "08-phat-khan-cap.png")
        page.get_by_role("button", name="Tiếp tục").click()
        page.get_by_role("heading", name="Xác nhận phát khẩn cấp").wait_for(timeout=120_000)
        shot(page, "09-xac-nhan-khan-cap.png")         # not aired: the guide's reader presses Phát ngay

        for name, link in (("10-lich-phat.png", "Lịch phát"), ("11-nhat-ky-phat.png", "Nhật ký phát"),
                           ("12-bao-cao.png", "Báo cáo")):
            page.get_by_role("navigation").get_by_role("link", name=link).click()
            shot(page, name)

        admin = browser.new_context(locale="vi-VN", **DESKTOP).new_page()
        _sign_in(admin, url, "quan-tri")
        admin.get_by_role("navigation").get_by_role("link", name="Thư viện âm thanh").click()
        shot(admin, "13-thu-vien-am-thanh.png")
        admin.get_by_role("navigation").get_by_role("link", name="Cài đặt").click()
        shot(admin, "14-cai-dat.png")
        site = browser.new_context(locale="vi-VN", **PHONE).new_page()
        site.goto(url + "/tin/")
        shot(site, "15-trang-tin-cong-khai.png")
        browser.close()
    return taken


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="huong-dan-") as tmp:
        root = sample_station(Path(tmp))
        port = _port()
        with open(Path(tmp) / "web.log", "w") as log:
            server = subprocess.Popen([sys.executable, "-m", "broadcast", "-S", str(root), "web", "--port", str(port)],
                                      stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
            try:
                _wait(port)
                for path in take(f"http://127.0.0.1:{port}", out):
                    print(path.relative_to(out.parent) if out.parent in path.parents else path)
            finally:
                server.terminate()
                server.wait(10)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "anh")
