"""`broadcast hub …`: the province's admin commands before the console exists, in Vietnamese;
a password in --db is refused (argv is visible to every user of the machine)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from broadcast.cli import cli, main
from broadcast.hub import db
from tests.hub.conftest import Station, enrolment, heartbeat_json

LANGUAGE = "vi"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_migrate_once(hub_db):
    first = run("hub", "--db", hub_db, "migrate")
    assert first.exit_code == 0 and "0001_stations" in first.output and "0004_bulletins" in first.output
    assert "đã cập nhật" in run("hub", "--db", hub_db, "migrate").output


def test_add_code_enrol_revoke(hub_db, client):
    added = run("hub", "--db", hub_db, "commune", "add", "xa-tan-lap", "Xã Tân Lập", "--group", "cum-bac")
    assert added.exit_code == 0, added.output
    assert "xa-tan-lap" in added.output
    coded = run("hub", "--db", hub_db, "code", "xa-tan-lap")
    assert coded.exit_code == 0
    code = coded.output.split(":")[1].split()[0]
    reply = client.post("/api/v1/enrol", json=enrolment(code))
    assert reply.status_code == 201
    station = Station(client, "xa-tan-lap", reply.json()["token"])
    assert station.post("/api/v1/heartbeat", heartbeat_json()).status_code == 200
    revoked = run("hub", "--db", hub_db, "revoke", "xa-tan-lap")
    assert revoked.exit_code == 0 and "thu hồi" in revoked.output
    assert station.post("/api/v1/heartbeat", heartbeat_json()).json()["error"] == "revoked"
    with db.connect(hub_db) as conn:
        assert conn.execute("SELECT group_id FROM stations").fetchone()[0] == "cum-bac"


def test_errors_are_vietnamese_with_exit_code(hub_db, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["hub", "--db", hub_db, "code", "xa-khong-co"])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "Lỗi" in err and "xa-khong-co" in err and "broadcast hub commune add" in err


def test_password_in_db_refused(capsys):
    for dsn in ("postgresql://hub:bi-mat@localhost/hub", "postgresql:///hub?password=bi-mat",
                "postgresql://localhost/hub?host=/tmp&password=bi-mat"):
        with pytest.raises(SystemExit) as exited:
            main(["hub", "--db", dsn, "migrate"])
        assert exited.value.code == 1
        err = capsys.readouterr().err
        assert "mật khẩu" in err and ".pgpass" in err and "PGPASSWORD" in err
        assert "bi-mat" not in err


@pytest.mark.parametrize("workers", [1, 2])
def test_server_runs_behind_its_port(hub_db, tmp_path, workers):
    """`broadcast hub --db … [--workers 2]` serves the API with uvicorn (real processes, a real socket)."""
    import socket
    import time
    import urllib.error
    import urllib.request
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "broadcast", "hub", "--db", hub_db, "--port", str(port),
                             "--workers", str(workers)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/enrol",
                                                              data=json.dumps(enrolment("K7QM4XPA")).encode()))
            except urllib.error.HTTPError as exc:
                assert exc.code == 403 and json.loads(exc.read())["error"] == "code"
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stdout.read().decode()
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(10)


def test_missing_db_said_in_vietnamese(capsys, monkeypatch):
    monkeypatch.delenv("BROADCAST_HUB_DB", raising=False)
    with pytest.raises(SystemExit) as exited:
        main(["hub", "code", "xa-a"])
    assert exited.value.code == 1 and "BROADCAST_HUB_DB" in capsys.readouterr().err
