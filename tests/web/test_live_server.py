"""The console as its own process (`broadcast web`, uvicorn on 127.0.0.1) under what only a real
server shows: bodies that stream (chunked, or announced and never sent), clients that leave,
sign-in tries in parallel and their timing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.soundpath import free_port, wait_for_port
from tests.web.conftest import csrf_of, sign_in


@pytest.fixture
def served(console_station, tmp_path):
    """(port, the server's temporary folder): the console in its own process."""
    port = free_port()
    spool = tmp_path / "tmp"
    spool.mkdir()
    log = open(tmp_path / "web.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "broadcast", "-S", str(console_station), "web", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "TMPDIR": str(spool)})
    assert wait_for_port(port)
    yield port, spool
    server.terminate()
    server.wait(10)
    log.close()


def _answer(sock: socket.socket, timeout: float) -> bytes:
    sock.settimeout(timeout)
    got = b""
    try:
        while b"\r\n\r\n" not in got:
            chunk = sock.recv(65536)
            if not chunk:
                break
            got += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return got


def _spooled(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def test_a_chunked_body_stops_at_the_routes_cap(served):
    """33.3: an unauthenticated 1 GB chunked POST to /dang-nhap was written to /tmp whole."""
    port, spool = served
    sent = 0
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"POST /dang-nhap HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                     b"Content-Type: multipart/form-data; boundary=b\r\n\r\n")
        part = b"--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\n" + b"a" * 65536
        try:
            while sent < 64 * 1024 * 1024:                         # 64 MB offered
                sock.sendall(b"%x\r\n%s\r\n" % (len(part), part))
                sent += len(part)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = _answer(sock, 5)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:40]          # refused, and nothing kept:
    assert _spooled(spool) < 1024 * 1024


def _signed_in(port: int, name: str = "editor1") -> httpx.Client:
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    assert sign_in(client, name).status_code == 303
    return client


def test_an_announced_over_size_body_is_answered_before_it_is_sent(served):
    """28.8: the officer hears "too large" at once, not after 200 MB went up (nor "the form is out of date")."""
    port, _ = served
    cookie = _signed_in(port).cookies["broadcast_session"]
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"POST /thu-vien-am-thanh/them HTTP/1.1\r\nHost: x\r\nContent-Length: 209715200\r\n"
                     b"Cookie: broadcast_session=%s\r\n"
                     b"Content-Type: multipart/form-data; boundary=b\r\n\r\n--b\r\n" % cookie.encode())
        began = time.monotonic()
        answer = _answer(sock, 10)
        while b"</html>" not in answer and time.monotonic() - began < 10:
            more = sock.recv(65536)
            if not more:
                break
            answer += more
    assert answer.startswith(b"HTTP/1.1 413")
    assert "Tệp quá lớn: 200,0 MB; bàn điều khiển chỉ nhận tối đa 50,0 MB" in answer.decode("utf-8", "replace")
    assert time.monotonic() - began < 5


def test_sign_in_tries_in_parallel_are_counted_like_tries_in_a_row(served):
    """33.5: 18-20 of 20 parallel guesses were checked (designed: 5)."""
    from concurrent.futures import ThreadPoolExecutor

    port, _ = served
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) for _ in range(20)]
    forms = [(client, csrf_of(client.get("/dang-nhap").text)) for client in clients]

    def guess(n: int) -> str:
        client, token = forms[n]
        return client.post("/dang-nhap", data={"name": "editor1", "password": f"doan-{n}", "csrf_token": token}).text

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(guess, range(20)))
    checked = sum("không đúng" in a for a in answers)
    assert checked == 5 and sum("thử lại sau" in a for a in answers) == 15, checked
