"""Enrolment against the real hub (uvicorn on a loopback port, PostgreSQL): link.yaml mode 600
holding the token, the token in no log; refused, unreachable and wrong answers said clearly."""

import logging
import stat
import subprocess
import sys
import time

import pytest

from broadcast.link.client import LinkError
from broadcast.link.config import read_link
from broadcast.service import link as link_service
from broadcast.service.link_status import link_status
from tests.link.conftest import HUB_NAME, free_port


def test_enrol_stores_the_link_mode_600(served_hub, commune, hub_conn, caplog):
    caplog.set_level(logging.DEBUG)
    status = link_service.enrol(commune.station, served_hub.url, commune.code.lower())
    assert status.linked and status.hub == HUB_NAME and status.station_id == "xa-a"
    path = commune.station.root / "link.yaml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    link = read_link(commune.station.root)
    stored = hub_conn.execute("SELECT token FROM stations WHERE id = 'xa-a'").fetchone()[0]
    assert link.token and link.token in path.read_text() and stored is not None
    assert link.token not in caplog.text and link.token not in repr(status)
    audit = (commune.station.root / "station.db").read_bytes()
    assert link.token.encode() not in audit


def test_a_used_code_is_refused(served_hub, commune):
    link_service.enrol(commune.station, served_hub.url, commune.code)
    (commune.station.root / "link.yaml").unlink()
    with pytest.raises(LinkError, match="already used or expired") as refused:
        link_service.enrol(commune.station, served_hub.url, commune.code)
    assert refused.value.kind == "code"
    assert not (commune.station.root / "link.yaml").exists()


def test_hub_unreachable(commune):
    with pytest.raises(LinkError, match="cannot reach the province hub") as refused:
        link_service.enrol(commune.station, f"http://127.0.0.1:{free_port()}", commune.code)
    assert refused.value.kind == "unreachable" and link_status(commune.station).linked is False


NOT_A_HUB = """
import http.server, sys
class Page(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.send_response(200); self.send_header("Content-Type", "text/html"); self.end_headers()
        self.wfile.write("<html>Trang chủ của tỉnh</html>".encode())
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Page).serve_forever()
"""


def test_not_a_hub_answers(commune):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", NOT_A_HUB, str(port)])
    try:
        time.sleep(1.0)
        with pytest.raises(LinkError, match="not what a province hub sends") as refused:
            link_service.enrol(commune.station, f"http://127.0.0.1:{port}", commune.code)
        assert refused.value.kind == "answer" and not (commune.station.root / "link.yaml").exists()
    finally:
        server.terminate()
        server.wait()


def test_cli_link_in_vietnamese_and_unlink(served_hub, commune):
    root = str(commune.station.root)
    env_cmd = [sys.executable, "-m", "broadcast", "--lang", "vi", "-S", root]
    done = subprocess.run(env_cmd + ["link", served_hub.url, commune.code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Đã kết nối" in done.stdout and HUB_NAME in done.stdout
    assert read_link(commune.station.root).token not in done.stdout + done.stderr
    again = subprocess.run(env_cmd + ["link", served_hub.url, commune.code], capture_output=True, text=True)
    assert again.returncode != 0 and "mã" in again.stderr
    gone = subprocess.run(env_cmd + ["unlink"], capture_output=True, text=True)
    assert gone.returncode == 0 and not (commune.station.root / "link.yaml").exists()
