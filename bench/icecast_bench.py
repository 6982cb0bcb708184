"""Icecast: stream start lateness at a listening client, and how many simultaneous
listeners one Icecast server on this machine sustains for a 64 kbps mono program.

A real icecast2 on loopback; our Icecast output streams to it; a real client (ffmpeg)
pulls the mount and decodes it, stamping samples on arrival. Lateness = arrival of the
program's first loud sample minus its scheduled time (includes MP3 encoding, the server,
TCP and the client's decoder). Listeners: K raw HTTP clients (one selector thread) read
the mount for 15 s; a listener is sustained if it got >= 95 % of 64 kbps over the last 10 s.

Usage: python bench/icecast_bench.py [--programs 10] [--listeners 50,100,200,400]
Needs icecast2 (./setup.sh --test installs it).
"""

from __future__ import annotations

import argparse
import selectors
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from broadcast.playout.icecast import IcecastPlayer  # noqa: E402
from tests.soundpath import Icecast, StreamClient, write_tone  # noqa: E402

PASSWORD = "bench-only"


def lateness(server: Icecast, folder: Path, programs: int) -> list[float]:
    player = IcecastPlayer(f"icecast://127.0.0.1:{server.port}/lateness", PASSWORD)
    player.streamer()
    server.wait_mount("lateness")
    client = StreamClient(server.url("lateness"))
    client.wait_for_data()
    time.sleep(2)
    tone = write_tone(folder / "tone.wav", 1.0)
    scheduled = []
    for n in range(programs):
        due = time.time() + 2.0
        cue = player.prepare(tone, 1.0)
        time.sleep(max(0.0, due - cue.lead - time.time()))    # as Playout does: go() `lead` early
        scheduled.append(due)
        cue.go().wait(threading.Event())
    time.sleep(3)
    client.stop()
    player.close()
    spans = client.loud_spans(merge=0.5)
    late = []
    for due in scheduled:
        after = [a for a, _ in spans if a > due - 0.5]
        if after:
            late.append(after[0] - due)
    return late


def listeners(server: Icecast, count: int, seconds: float = 15.0) -> tuple[int, float]:
    """(listeners that got >= 95 % of 64 kbps, mean kbit/s per listener)."""
    sel = selectors.DefaultSelector()
    got = {}
    request = b"GET /listeners HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: bench\r\n\r\n"
    for n in range(count):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        s.sendall(request)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, n)
        got[n] = 0
    began = time.monotonic()
    warm = None                          # bytes at the end of the 5 s warm-up (connect time excluded)
    while time.monotonic() - began < seconds:
        if warm is None and time.monotonic() - began >= 5.0:
            warm = dict(got)
        for key, _ in sel.select(timeout=0.5):
            try:
                data = key.fileobj.recv(65536)
            except BlockingIOError:
                continue
            if data:
                got[key.data] += len(data)
            else:
                sel.unregister(key.fileobj)
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    rates = [8 * (got[n] - warm[n]) / (seconds - 5.0) / 1000 for n in got]
    return sum(r >= 0.95 * 64 for r in rates), statistics.mean(rates)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--programs", type=int, default=10)
    parser.add_argument("--listeners", default="50,100,200,400")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server = Icecast(Path(folder), PASSWORD, clients=2000)
        try:
            late = sorted(1000 * x for x in lateness(server, Path(folder), args.programs))
            print(f"start lateness at the client over {len(late)} programs: median {statistics.median(late):.0f} ms, "
                  f"max {max(late):.0f} ms, min {min(late):.0f} ms")
            player = IcecastPlayer(f"icecast://127.0.0.1:{server.port}/listeners", PASSWORD)
            player.streamer()
            server.wait_mount("listeners")
            for count in (int(x) for x in args.listeners.split(",")):
                sustained, mean = listeners(server, count)
                print(f"{count} listeners for 15 s: {sustained} sustained 64 kbps (mean {mean:.1f} kbit/s each)")
            player.close()
        finally:
            server.close()


if __name__ == "__main__":
    main()
