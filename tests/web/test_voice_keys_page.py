"""Cài đặt → Giọng đọc: an online service's key entered by the admin (CSRF, audited without the
key, shown only by its last four characters), "Kiểm tra" voicing a sentence through the render
worker against a local server speaking the service's protocol (FPT.AI's: see
tests/speech/test_fpt.py for the reference), and a korvatts model uploaded with its licence shown."""

import io
import stat
import zipfile

import pytest

from broadcast.station.secrets import secrets_path
from tests.fake_voices import KEY, FakeFpt
from tests.korvatts_model import write_tiny_korvatts

LANGUAGE = "vi"


@pytest.fixture
def fpt(console_station):
    """FPT.AI's protocol on a local port, and the station pointed at it (before the console starts)."""
    server = FakeFpt()
    path = console_station / "station.yaml"
    path.write_text(path.read_text("utf-8").replace("engines: [espeak]", f"engines: [fpt, espeak]\n"
                                                    f"  fpt_endpoint: {server.url}\n  online_timeout: 5"), "utf-8")
    yield server
    server.close()


def test_the_admin_sets_a_key_and_checks_it(console_station, fpt, as_role):
    try:
        client, token = as_role("admin")
        saved = client.post("/cai-dat/giong/khoa", data={"csrf_token": token, "engine": "fpt", "key": KEY},
                            follow_redirects=False)
        assert saved.status_code == 303
        assert stat.S_IMODE(secrets_path(console_station).stat().st_mode) == 0o600
        page = client.get("/cai-dat").text
        assert KEY not in page and "…" + KEY[-4:] in page and KEY[:-4] not in page
        audit = client.get("/cai-dat", params={"thao-tac": "voices.key"}).text
        assert "Đặt khóa dịch vụ giọng đọc" in audit and KEY not in audit
        checked = client.post("/cai-dat/giong/kiem-tra", data={"csrf_token": token, "engine": "fpt"})
        assert checked.status_code == 200 and "fpt: hoạt động tốt: đọc thử một câu mất" in checked.text
        fpt.modes = ["quota"]
        checked = client.post("/cai-dat/giong/kiem-tra", data={"csrf_token": token, "engine": "fpt"})
        assert "đã hết hạn mức" in checked.text
        client.post("/cai-dat/giong/khoa", data={"csrf_token": token, "engine": "fpt", "key": "khoa-sai-0000000000"})
        assert "sai khóa" in client.post("/cai-dat/giong/kiem-tra", data={"csrf_token": token, "engine": "fpt"}).text
    finally:
        fpt.close()
    client.post("/cai-dat/giong/khoa", data={"csrf_token": token, "engine": "fpt", "key": KEY})
    assert "không có mạng" in client.post("/cai-dat/giong/kiem-tra", data={"csrf_token": token, "engine": "fpt"}).text


def test_keys_need_the_admin_and_the_csrf_token(console_station, as_role):
    client, token = as_role("editor")
    refused = client.post("/cai-dat/giong/khoa", data={"csrf_token": token, "engine": "fpt", "key": KEY})
    assert refused.status_code == 403
    client, token = as_role("admin")
    forged = client.post("/cai-dat/giong/khoa", data={"csrf_token": "gia-mao", "engine": "fpt", "key": KEY})
    assert forged.status_code in (400, 403)
    assert not secrets_path(console_station).exists()


def test_the_admin_uploads_a_korvatts_model_and_sees_its_licence(console_station, as_role, tmp_path):
    folder = write_tiny_korvatts(tmp_path / "KorvaTTS")
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        for path in folder.rglob("*"):
            z.write(path, path.relative_to(folder.parent))
    client, token = as_role("admin")
    added = client.post("/cai-dat/giong/cai", data={"csrf_token": token},
                        files={"voice": ("korvatts.zip", data.getvalue())})
    assert added.status_code == 200 and "Apache License" in added.text and "khanh_vy" in added.text
    installed = sorted((console_station / "voices").glob("korvatts-*"))
    assert len(installed) == 1
    saved = client.post("/cai-dat/giong", data={"csrf_token": token, "engine-1": "korvatts", "engine-2": "espeak",
                                                "korvatts_voice": f"voices/{installed[0].name}"}, follow_redirects=False)
    assert saved.status_code == 303
    assert "engines: [korvatts, espeak]" in (console_station / "station.yaml").read_text("utf-8")
    bad = client.post("/cai-dat/giong/cai", data={"csrf_token": token}, files={"voice": ("x.zip", b"not a zip")})
    assert bad.status_code == 400 and "không phải tệp zip" in bad.text
    assert not list((console_station / "cache" / "tai-giong").iterdir())      # no upload left behind


def test_the_admin_chooses_an_online_voice_and_its_speed(console_station, as_role):
    client, token = as_role("admin")
    saved = client.post("/cai-dat/giong/dich-vu", data={"csrf_token": token, "engine": "viettel",
                                                        "voice": "hue-baoquoc", "speed": "0.9"}, follow_redirects=False)
    assert saved.status_code == 303
    text = (console_station / "station.yaml").read_text("utf-8")
    assert "viettel_voice: hue-baoquoc" in text and "viettel_speed: 0.9" in text
    assert "# Cấu hình đài truyền thanh" in text                      # its comments kept
    fast = client.post("/cai-dat/giong/dich-vu", data={"csrf_token": token, "engine": "viettel",
                                                       "voice": "hue-baoquoc", "speed": "2"})
    assert fast.status_code == 400 and "speech.viettel_speed" in fast.text
    unknown = client.post("/cai-dat/giong/dich-vu", data={"csrf_token": token, "engine": "fpt",
                                                          "voice": "ngocanh", "speed": "0"})
    assert unknown.status_code == 400 and "ngocanh" in unknown.text
    assert "viettel_voice: hue-baoquoc" in (console_station / "station.yaml").read_text("utf-8")
