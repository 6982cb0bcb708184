"""The security pass of issue 33, each reproducer as a test: emergencies that cannot mix up or air
a server path, library files confined to their folder, links from the configured address, signed-in
pages never cached."""

from __future__ import annotations

import hashlib
import json
import os
from urllib.parse import urlsplit

import feedparser
from starlette.testclient import TestClient

from broadcast import service
from broadcast.station.settings import edit_station
from tests.web.test_asrun_page import _log
from tests.conftest import write_script
from tests.web.conftest import csrf_of, sign_in
from tests.web.test_emergency import _wav


def _prepare(client, token, text: str) -> str:
    page = client.post("/phat-khan-cap", data={"csrf_token": token, "kind": "text", "text": text, "zones": ["thon-1"]})
    assert page.status_code == 200, page.text
    return page.text.split('name="prepared" value="')[1].split('"')[0]


def test_two_emergencies_prepared_in_the_same_second_have_their_own_files(console_station, as_role):
    """33.2: the console's clock stands still here, as two officers typing in the same second."""
    first, token = as_role("editor")
    second, other = as_role("approver")
    mine = _prepare(first, token, "Thông báo khẩn: mất điện lúc 14 giờ.")
    heard = hashlib.sha256(first.get(f"/phat-khan-cap?nghe={mine}").content).hexdigest()
    theirs = _prepare(second, other, "Thông báo khẩn: nước lũ dâng cao, bà con sơ tán ngay.")
    assert mine != theirs
    again = first.get(f"/phat-khan-cap?nghe={mine}")
    assert again.status_code == 200 and hashlib.sha256(again.content).hexdigest() == heard   # airs what it showed


def test_the_confirmation_airs_no_path_from_the_form(console_station, as_role, tmp_path):
    """33.6: `what=/path.wav` outside the station was aired; now only an item or the prepared audio."""
    planted = tmp_path / "ngoai.wav"
    planted.write_bytes(_wav(1.0))
    client, token = as_role("editor")
    for what in (str(planted), "/etc/passwd", "../station.yaml"):
        answer = client.post("/phat-khan-cap", data={"csrf_token": token, "confirm": "1", "what": what,
                                                     "zones": ["thon-1"]}, follow_redirects=False)
        assert answer.status_code == 400 and "Phát khẩn cấp" in answer.text, what
    station = service.station.open_station(console_station)
    assert not [a for a in service.users.audit_log(station) if a.action == "emergency"]


def test_library_listen_serves_only_files_inside_its_folder(console_station, as_role):
    """33.7: a planted sidecar naming /etc/passwd, and a link out of the folder, serve nothing."""
    folder = console_station / "audio" / "thu-vien"
    folder.mkdir(parents=True, exist_ok=True)
    details = {"title": "x.wav", "seconds": 1.0, "lufs": -16.0, "peak": -1.0, "added": "01/01/2026 08:00", "by": None}
    (folder / "mat-khau.json").write_text(json.dumps({**details, "file": "../../../../../../etc/passwd"}), "utf-8")
    (folder / "mat-khau.wav").write_bytes(_wav(0.5))
    os.symlink("/etc/passwd", folder / "lien-ket.wav")
    (folder / "lien-ket.json").write_text(json.dumps({**details, "file": "audio/thu-vien/lien-ket.wav"}), "utf-8")
    client, _ = as_role("viewer")
    assert client.get("/thu-vien-am-thanh/nghe/passwd").status_code == 404
    assert client.get("/thu-vien-am-thanh/nghe/lien-ket.wav").status_code == 404
    served = client.get("/thu-vien-am-thanh/nghe/mat-khau.wav")
    assert served.status_code == 200 and served.content[:4] == b"RIFF" and b"root:" not in served.content
    (folder / "hong.json").write_text("{không đọc được", "utf-8")
    assert client.get("/thu-vien-am-thanh").status_code == 200


def test_feed_links_follow_the_configured_address_not_the_host_header(app, console_station, clock):
    """33.10"""
    _log(console_station, clock().date())
    public = TestClient(app)
    feed = feedparser.parse(public.get("/tin/rss.xml", headers={"host": "ke-gian.example"}).text)
    links = [e.link for e in feed.entries] + [x.href for e in feed.entries for x in e.enclosures]
    assert links and not [x for x in links if "ke-gian" in x]
    edit_station(service.station.open_station(console_station), {("console", "public_url"): "https://minhduc.gov.vn"})
    feed = feedparser.parse(public.get("/tin/rss.xml", headers={"host": "ke-gian.example"}).text)
    links = [e.link for e in feed.entries] + [x.href for e in feed.entries for x in e.enclosures]
    assert links and all(urlsplit(x).netloc == "minhduc.gov.vn" and x.startswith("https://minhduc.gov.vn/tin/")
                         for x in links)


def test_signed_in_pages_are_not_kept_in_the_browsers_cache(as_role):
    """33.12"""
    client, token = as_role("admin")
    for path in ("/", "/tin-bai", "/tin-bai/tin-a", "/nhat-ky", "/cai-dat", "/bao-cao", "/lich-phat"):
        assert client.get(path).headers.get("cache-control") == "no-store", path
    refused = client.post("/tin-bai/khong-co/gui-duyet", data={"csrf_token": token})
    assert refused.headers.get("cache-control") == "no-store"


def test_an_over_size_upload_says_too_large_with_its_size_and_the_cap(console_station, as_role):
    """28.8 / 33.3: a 200 MB upload (cap 50 MB) was "Biểu mẫu đã cũ hoặc không hợp lệ"."""
    client, token = as_role("editor")
    station = service.station.open_station(console_station)
    big = b"\0" * int(station.console.upload_mb * 1024 * 1024 + 200 * 1024)
    for path, extra in (("/thu-vien-am-thanh/them", {}), ("/phat-khan-cap", {"kind": "file", "zones": ["thon-1"]})):
        refused = client.post(path, data={"csrf_token": token, **extra}, files={"audio": ("lon.wav", big, "audio/wav")})
        assert refused.status_code == 413, path
        assert "Tệp quá lớn" in refused.text and "50,2 MB" in refused.text and "tối đa 50,0 MB" in refused.text
        assert "Biểu mẫu đã cũ" not in refused.text and "Đăng xuất" in refused.text       # her page, signed in
    huge = client.post("/tin-bai/moi", data={"csrf_token": token, "title": "Dài", "body": "chữ " * 300_000})
    assert huge.status_code == 413 and "quá lớn" in huge.text and "tối đa 1,0 MB" in huge.text


def _from(app, address: str) -> TestClient:
    return TestClient(app, client=(address, 50000))


def test_knowing_a_name_does_not_lock_its_user_out(app):
    """33.5: twenty wrong passwords from another machine; the officer at her own PC still signs in."""
    assert sign_in(_from(app, "10.0.0.5"), "editor1").status_code == 303          # her PC, yesterday
    attacker = _from(app, "10.0.0.66")
    answers = [sign_in(attacker, "editor1", f"doan-{n}").text for n in range(20)]
    assert sum("không đúng" in a for a in answers) == 5 and "thử lại sau" in answers[-1]
    assert sign_in(_from(app, "10.0.0.5"), "editor1").status_code == 303           # not locked out
    assert "thử lại sau" in sign_in(_from(app, "10.0.0.7"), "editor1").text        # a new machine waits


def test_one_address_guessing_many_names_is_slowed(app):
    """33.5: per-name counting let one machine try every name five times."""
    attacker = _from(app, "10.0.0.66")
    names = [f"ten-{n}" for n in range(8)] + ["editor1", "admin1", "viewer1", "approver1"]
    answers = [sign_in(attacker, name, "doan-sai-1").text for name in names]
    assert sum("không đúng" in a for a in answers) == 10 and "thử lại sau" in answers[-1]
    assert sign_in(_from(app, "10.0.0.5"), "admin1").status_code == 303             # others are not slowed


def test_an_unknown_name_answers_as_slowly_as_a_wrong_password(app):
    """33.5: 26 ms against 5 ms told which names exist."""
    import statistics
    import time

    def timed(client, name) -> float:
        page = client.get("/dang-nhap")
        began = time.perf_counter()
        client.post("/dang-nhap", data={"name": name, "password": "doan-sai", "csrf_token": csrf_of(page.text)})
        return time.perf_counter() - began

    known = statistics.median(timed(_from(app, f"10.0.1.{n}"), "editor1") for n in range(4))
    unknown = statistics.median(timed(_from(app, f"10.0.2.{n}"), f"khong-co-{n}") for n in range(4))
    assert unknown > 0.6 * known, (unknown, known)


def test_a_reading_that_changes_an_approved_item_sends_it_back_for_approval(console_station, as_role):
    """33.1: an editor's station-wide reading made approved items say something else, still "Đã duyệt"."""
    write_script(console_station / "scripts", "tin-ubnd", body="UBND xã thông báo lịch tiếp công dân.",
                 valid_from="2026-01-01", valid_until="2099-12-31")
    editor, token = as_role("editor")
    done = editor.post("/tin-bai/tin-a/cach-doc", data={"csrf_token": token, "written": "UBND",
                                                        "spoken": "ủy ban lừa đảo"}, follow_redirects=False)
    assert done.status_code == 303
    station = service.station.open_station(console_station)
    items = {i.id: i for i in service.scripts.list_scripts(station).items}
    assert service.approval.status(station, items["tin-ubnd"]) == "pending"        # what airs is no longer approved
    assert service.approval.status(station, items["tin-a"]) == "approved"          # no UBND in it: unchanged
    approver, other = as_role("approver")
    page = approver.get("/tin-bai/tin-ubnd").text
    assert "Cần duyệt lại" in page and "“UBND”" in page and "ủy ban lừa đảo" in page and "Chờ duyệt" in page
    assert approver.post("/tin-bai/tin-ubnd/duyet", data={"csrf_token": other}, follow_redirects=False).status_code == 303
    item = service.scripts.read_script(station, "tin-ubnd").item
    assert service.approval.status(station, item) == "approved"


def _aired_row(station_dir, day, title: str, output: str = "pulse") -> None:
    import datetime as dt

    from broadcast.records import asrun
    from broadcast.records.asrun import AiredItem
    from broadcast.station import db

    station = service.station.open_station(station_dir)
    conn = db.connect(station.db_path)
    when = dt.datetime.combine(day, dt.time(6), station.tz)
    row = asrun.begin(conn, occurrence=f"{day}/sang/thon-1", attempt=1, slot="sang", zone="thon-1", output=output,
                      scheduled=when, started=when, planned=75.0,
                      items=[AiredItem("tin-a", title, "dich-vu-cong", "0" * 16, "espeak", 50.0)], audio=None)
    asrun.finish(conn, row, "completed", when + dt.timedelta(seconds=75), 75.0)
    conn.close()


def test_as_run_csv_opens_in_a_spreadsheet_in_her_words_and_runs_no_formula(console_station, clock, as_role):
    """28.10 and 33.8: UTF-8 with BOM, Vietnamese headings, names, dd/mm/yyyy, results in words; a title
    like =HYPERLINK(…) stays text; the data variant keeps the codes."""
    import csv
    import io

    day = clock().date()
    _aired_row(console_station, day, '=HYPERLINK("http://ke-gian.example","Bấm")')
    client, _ = as_role("viewer")
    got = client.get("/nhat-ky", params={"tai": "csv"})
    assert got.content.startswith(b"\xef\xbb\xbf") and "attachment" in got.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Giờ theo lịch", "Bắt đầu phát", "Cụm loa", "Buổi phát", "Kết quả"]
    assert rows[1][0] == f"{day:%d/%m/%Y} 06:00" and rows[1][2] == "Thôn 1" and rows[1][4] == "Đã phát"
    assert rows[1][6] == "1:15" and rows[1][7] == "'=HYPERLINK(\"http://ke-gian.example\",\"Bấm\")"
    data = client.get("/nhat-ky", params={"tai": "du-lieu"})
    found = list(csv.DictReader(io.StringIO(data.text)))
    assert found[0]["zone"] == "thon-1" and found[0]["status"] == "completed" and not data.content.startswith(b"\xef")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_report_csv_in_her_words_and_runs_no_formula(console_station, clock, as_role):
    """28.10 and 33.8 for the report's CSV."""
    import csv
    import io

    day = clock().date()
    _aired_row(console_station, day, "@SUM(1+1)*cmd|' /C calc'!A0")
    client, _ = as_role("viewer")
    quarter = f"Q{(day.month - 1) // 3 + 1}"
    got = client.get("/bao-cao", params={"nam": day.year, "ky": quarter, "tai": "csv"})
    assert got.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Phần", "Nội dung", "Số lượt"]
    aired = [r for r in rows if r[0] == "Tin, bài đã phát"]
    assert aired and aired[0][1].startswith("'@SUM") and aired[0][4] == f"{day:%d/%m/%Y}" and aired[0][6] == "Thôn 1"
    data = client.get("/bao-cao", params={"nam": day.year, "ky": quarter, "tai": "du-lieu"}).text
    assert "tin-bai,tin-a," in data and "'@SUM" in data and "\n@SUM" not in data


def test_an_icecast_password_in_a_schedule_url_is_never_stored_or_shown(console_station, clock, as_role):
    """33.9"""
    secret = "mat-khau-nguon-bi-mat"
    _aired_row(console_station, clock().date(), "Tin thử", output=f"icecast://source:{secret}@127.0.0.1:8000/xa")
    client, _ = as_role("admin")
    for params in ({"tai": "csv"}, {"tai": "du-lieu"}, {}):
        assert secret not in client.get("/nhat-ky", params=params).text
    assert "icecast://source@127.0.0.1:8000/xa" in client.get("/nhat-ky", params={"tai": "du-lieu"}).text
    assert secret.encode() not in (console_station / "station.db").read_bytes()


def test_a_preview_whose_reader_left_is_stopped(app, as_role, monkeypatch):
    """33.4: the preview went on for minutes after its client had gone."""
    import asyncio
    import threading
    from urllib.parse import urlencode

    client, token = as_role("viewer")
    stopped = threading.Event()

    def slow_preview(station, text, using=None, stop=None):
        assert stop is not None and stop.wait(20)         # the view asks the work to stop
        stopped.set()
        raise service.reading.Stopped()

    monkeypatch.setattr(service.reading, "preview_reading", slow_preview)
    body = urlencode({"body": "Kính thưa bà con.", "csrf_token": token}).encode()
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/xem-cach-doc", "raw_path": b"/xem-cach-doc", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"content-type", b"application/x-www-form-urlencoded"),
                         (b"content-length", str(len(body)).encode()), (b"cookie", cookie.encode())],
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80), "state": {}}
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent = []

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.sleep(0.2)                          # then the reader closes the tab
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    async def run():
        async with app.router.lifespan_context(app):
            await app(scope, receive, send)

    asyncio.run(asyncio.wait_for(run(), 30))
    assert stopped.is_set() and sent[0]["status"] == 499
