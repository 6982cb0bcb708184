"""Nhập văn bản in the console: upload, the reading in the import worker with its progress,
the proposals kept, corrected, joined or dropped on one page, saved as drafts; the roles."""

from __future__ import annotations

import time

from starlette.testclient import TestClient

from broadcast import service
from broadcast.news.scripts import load_scripts
from tests.intake.documents import write_docx
from tests.web.conftest import csrf_of, sign_in

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _upload(client, path, name):
    page = client.get("/tin-bai/nhap-van-ban")
    assert page.status_code == 200 and 'type="file"' in page.text
    with path.open("rb") as handle:
        sent = client.post("/tin-bai/nhap-van-ban/tai-len", data={"csrf_token": csrf_of(page.text)},
                           files={"document": (name, handle, DOCX)}, follow_redirects=False)
    assert sent.status_code == 303
    return sent.headers["location"]


def _finished(client, where, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(f"{where}/tien-do").json()
        if state["stage"] in ("done", "failed"):
            return client.get(where)
        time.sleep(0.2)
    raise AssertionError("the import never finished")


def test_a_plan_becomes_the_drafts_the_officer_keeps(app, console_station, tmp_path):
    with TestClient(app) as client:
        assert sign_in(client, "editor1").status_code == 303
        where = _upload(client, write_docx("2024-xa-minh-duc", tmp_path / "kh.docx"), "Kế hoạch CCHC 2024.docx")
        page = _finished(client, where)
        assert page.status_code == 200 and "8" in page.text and 'name="title-0" value="Mục đích, yêu cầu"' in page.text
        assert "CỘNG HÒA" not in page.text
        form = {"csrf_token": csrf_of(page.text),
                "keep-0": "1", "title-0": "Mục đích của kế hoạch tuyên truyền", "topic-0": "khac",
                "body-0": "Đoạn thứ nhất đã sửa.\n\nĐoạn thứ hai.",
                "keep-1": "1", "merge-1": "1", "title-1": "x", "topic-1": "khac", "body-1": "Đoạn gộp vào tin trên.",
                "keep-2": "1", "title-2": "Nội dung tuyên truyền", "topic-2": "thu-tuc-hanh-chinh", "body-2": "Nội dung."}
        saved = client.post(f"{where}/luu", data=form, follow_redirects=False)
        assert saved.status_code == 303 and saved.headers["location"] == "/tin-bai?ok=nhap"
        assert "đã được lưu thành tin nháp" in client.get("/tin-bai?ok=nhap").text
    items = {i.title: i for i in load_scripts([console_station / "scripts"])}
    first = items["Mục đích của kế hoạch tuyên truyền"]
    assert first.paragraphs == ("Đoạn thứ nhất đã sửa.", "Đoạn thứ hai.", "Đoạn gộp vào tin trên.")
    assert first.source.file == "Kế hoạch CCHC 2024.docx" and first.source.reviewed and first.airable
    assert first.written_by == "editor1" and first.status == "draft"
    assert items["Nội dung tuyên truyền"].topic == "thu-tuc-hanh-chinh"
    assert len(items) == 2 + 2                                        # tin-a and tin-b were there


def test_nothing_kept_keeps_every_edit_on_the_page(app, tmp_path):
    with TestClient(app) as client:
        sign_in(client, "editor1")
        where = _upload(client, write_docx("2024-xa-minh-duc", tmp_path / "kh.docx"), "kh.docx")
        page = _finished(client, where)
        refused = client.post(f"{where}/luu", data={"csrf_token": csrf_of(page.text), "title-0": "Tiêu đề tôi gõ"})
        assert refused.status_code == 400 and "Giữ" in refused.text
        assert 'value="Tiêu đề tôi gõ"' in refused.text


def test_a_bad_file_says_why_and_offers_another(app, tmp_path):
    old = tmp_path / "cv.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))
    with TestClient(app) as client:
        sign_in(client, "editor1")
        page = _finished(client, _upload(client, old, "Công văn.doc"))
        assert "Công văn.doc" in page.text and "Word đời cũ" in page.text and 'role="alert"' in page.text
        assert "Nhập tệp khác" in page.text


def test_a_viewer_cannot_import(as_role):
    client, csrf = as_role("viewer")
    assert client.get("/tin-bai/nhap-van-ban").status_code == 403
    sent = client.post("/tin-bai/nhap-van-ban/tai-len", data={"csrf_token": csrf},
                       files={"document": ("a.docx", b"PK", DOCX)})
    assert sent.status_code == 403


def test_a_page_image_outside_the_job_is_refused(app, console_station, tmp_path):
    station = service.station.open_station(console_station)
    job = service.intake.start(station, write_docx("2024-xa-minh-duc", tmp_path / "kh.docx").read_bytes(), "kh.docx")
    with TestClient(app) as client:
        sign_in(client, "editor1")
        for name in ("source", "job.json", "..%2Fjob.json"):
            assert client.get(f"/tin-bai/nhap-van-ban/{job.token}/trang/{name}").status_code in (400, 404)
        assert client.get("/tin-bai/nhap-van-ban/..%2F..%2Fscripts").status_code in (400, 404)
