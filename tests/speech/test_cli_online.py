"""The CLI for online voices and voice files: `voices key ENGINE` (the key from stdin, never argv),
`voices check ENGINE` (the verdict in Vietnamese, with the time), `voices install PATH`."""

import stat
import subprocess
import sys

import pytest

from broadcast.cli import main
from broadcast.station.secrets import secrets_path
from tests.fake_voices import KEY, FakeFpt, FakeGoogle
from tests.korvatts_model import write_tiny_korvatts

LANGUAGE = "vi"


@pytest.fixture
def fpt():
    server = FakeFpt()
    yield server
    server.close()


def _station(station_dir, url, engine="fpt"):
    path = station_dir / "station.yaml"
    path.write_text(path.read_text("utf-8").replace("engines: [espeak]", f"engines: [{engine}, espeak]\n"
                                                    f"  {engine}_endpoint: {url}\n  online_timeout: 5"), "utf-8")


def _run(station_dir, *args, stdin=""):
    return subprocess.run([sys.executable, "-m", "broadcast", "-S", str(station_dir), *args], input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_key_from_stdin_then_check_works_and_the_key_is_never_printed(station_dir, fpt):
    _station(station_dir, fpt.url)
    done = _run(station_dir, "voices", "key", "fpt", stdin=KEY + "\n")
    assert done.returncode == 0, done.stderr
    assert KEY not in done.stdout + done.stderr and "…" + KEY[-4:] in done.stdout
    assert stat.S_IMODE(secrets_path(station_dir).stat().st_mode) == 0o600
    fpt.ready_after = 1
    done = _run(station_dir, "voices", "check", "fpt")
    assert done.returncode == 0 and "hoạt động tốt: đọc thử một câu mất" in done.stdout and "giây" in done.stdout
    audit = _run(station_dir, "voices")            # the listing does not show the key either
    assert KEY not in audit.stdout


def test_check_says_wrong_key_quota_and_no_network_in_vietnamese(station_dir, fpt):
    _station(station_dir, fpt.url)
    _run(station_dir, "voices", "key", "fpt", stdin="khoa-sai-123456789012\n")
    done = _run(station_dir, "voices", "check", "fpt")
    assert done.returncode == 1 and "sai khóa" in done.stderr and "khoa-sai" not in done.stderr
    _run(station_dir, "voices", "key", "fpt", stdin=KEY + "\n")
    fpt.modes = ["quota"]
    assert "đã hết hạn mức" in _run(station_dir, "voices", "check", "fpt").stderr
    fpt.close()
    assert "không có mạng" in _run(station_dir, "voices", "check", "fpt").stderr


def test_a_keys_file_others_can_read_is_refused_with_the_chmod(station_dir):
    google = FakeGoogle()
    try:
        _station(station_dir, google.url, "google")
        _run(station_dir, "voices", "key", "google", stdin=KEY + "\n")
        secrets_path(station_dir).chmod(0o640)
        done = _run(station_dir, "voices", "check", "google")
    finally:
        google.close()
    assert done.returncode == 1 and f"chmod 600 {secrets_path(station_dir)}" in done.stderr
    assert google.requests == []


def test_voices_install_a_korvatts_folder_shows_its_licence(station_dir, tmp_path, capsys):
    with pytest.raises(SystemExit) as done:
        main(["-S", str(station_dir), "voices", "install", str(write_tiny_korvatts(tmp_path / "usb"))])
    out = capsys.readouterr().out
    assert done.value.code == 0 and "Apache License" in out and "korvatts_voice: voices/korvatts-" in out
