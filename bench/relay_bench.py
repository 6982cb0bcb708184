"""Relay ("tiếp sóng") bench: a real daemon (`broadcast run`) relays the province station, an
ffmpeg source on a real icecast2, to 4 outputs at once (a PulseAudio null sink and 3 file
outputs).

1. Start lateness: SHORT relays of 5 s; the first sample of each at the sound server (a
   recording of the null sink's monitor; the sink is digital silence between relays) minus the
   scheduled time. Target p95 <= 1 s.
2. Gap detection: GAPS relays of 14 s; the source is killed 5 s in and comes back 4 s later. The
   daemon logs where in the relay the gap (the standby audio) began, to 0.1 s; detection = that
   time minus the kill. Target <= 3 s.
3. CPU and memory of a LONG relay (default 600 s; --seconds 3600 for the hour of the target) to
   the 4 outputs: the daemon process and every process it started (decoder, recorder, pacat).
   Target <= 10 % of one core and <= 80 MiB.
4. Bytes: a stretch of the long relay's file output without gaps, found in the source's own
   decoded PCM: equal by SHA-256.

Usage: python bench/relay_bench.py [--seconds 600] [--short 10] [--gaps 3]
Needs pulseaudio and icecast2 (./setup.sh --test installs them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from broadcast.records import asrun  # noqa: E402
from tests.relaysources import IcecastFeed, decode_pcm, write_program  # noqa: E402
from tests.soundpath import Icecast, Recorder, start_pulse, stop_pulse  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "mat-khau-bench"
LEAD = 25.0


def _station(root: Path, url: str, short: int, gaps: int, seconds: int):
    shutil.copytree(REPO / "audio", root / "audio")
    (root / "scripts").mkdir(parents=True)
    (root / "station.yaml").write_text(
        f"timezone: Asia/Ho_Chi_Minh\nplayout:\n  grace: 60\nrelays:\n  tinh: {{name: Đài tỉnh, url: \"{url}\"}}\n",
        encoding="utf-8")
    at = (dt.datetime.now(TZ) + dt.timedelta(seconds=LEAD)).replace(microsecond=0)
    plan = []
    for n in range(short):
        plan.append(("ngan", n, at, 5))
        at += dt.timedelta(seconds=10)
    for n in range(gaps):
        plan.append(("hut", n, at, 14))
        at += dt.timedelta(seconds=22)
    plan.append(("dai", 0, at, seconds))
    slots = "".join(f"  - {{id: {kind}-{n}, days: hằng ngày, start: \"{t:%H:%M:%S}\", length: {s}s, zones: all, "
                    f"program: {{relay: tinh}}}}\n" for kind, n, t, s in plan)
    zones = "  loa: {name: Loa, output: \"pulse:loa\"}\n" + "".join(
        f"  file-{n}: {{name: Tệp {n}, output: \"file:{root / f'out-{n}'}\"}}\n" for n in range(3))
    (root / "schedules").mkdir()
    (root / "schedules" / "bench.yaml").write_text(f"zones:\n{zones}slots:\n{slots}", encoding="utf-8")
    return plan


def _tree(pid: int) -> list[int]:
    """PID and every process under it."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _stats(pid: int) -> tuple[float, int, int]:
    """(CPU seconds, RSS bytes, PSS bytes) of PID, zeros if gone. PSS shares the pages processes
    have in common (ffmpeg's libraries) among them: summed over processes it does not count them twice."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        kb = {line.split(":")[0]: int(line.split()[1]) for line in
              Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:] if line.split()[1:2] != []}
    except (OSError, ValueError, IndexError):
        return 0.0, 0, 0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), kb.get("Rss", 0) * 1024, \
        kb.get("Pss", 0) * 1024


class Sampler(threading.Thread):
    """CPU seconds per process of the daemon's tree (the highest seen: processes come and go) and
    the peak RSS of the daemon alone and of the whole tree."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.cpu, self.peak_daemon, self.peak_tree, self.peak_pss = pid, {}, 0, 0, 0
        self.halt = threading.Event()
        self.names: dict[int, str] = {}

    def run(self) -> None:
        while not self.halt.wait(2.0):
            self.sample()

    def sample(self) -> None:
        tree_rss = tree_pss = 0
        for p in _tree(self.pid):
            cpu, rss, pss = _stats(p)
            self.cpu[p] = max(self.cpu.get(p, 0.0), cpu)
            if p not in self.names:
                try:
                    self.names[p] = Path(f"/proc/{p}/cmdline").read_bytes().split(b"\0")[0].decode().rsplit("/", 1)[-1]
                except OSError:
                    self.names[p] = "?"
            tree_rss, tree_pss = tree_rss + rss, tree_pss + pss
            if p == self.pid:
                self.peak_daemon = max(self.peak_daemon, rss)
        self.peak_tree = max(self.peak_tree, tree_rss)
        self.peak_pss = max(self.peak_pss, tree_pss)

    def total(self) -> float:
        return sum(self.cpu.values())


def _first_sound(recorder: Recorder, samples, t0: float, start: dt.datetime) -> float | None:
    """Wall time of the first sample heard from START on, minus START (the recorder's clock is placed
    from the chunks near that sample: the sink's clock drifts against the system's over an hour)."""
    a = max(0, int((start.timestamp() - 1.0 - t0) * Recorder.RATE))
    hits = np.flatnonzero(np.abs(samples[a:a + Recorder.RATE * 5].astype(np.int32)) > 500)
    return None if not len(hits) else recorder.time_of(a + int(hits[0])) - start.timestamp()


def _equal_stretch(aired: Path, source_pcm: bytes, seconds: float = 20.0) -> tuple[bool, str]:
    with wave.open(str(aired)) as w:
        data = w.readframes(w.getnframes())
    middle = len(data) // 2 // 2 * 2
    stretch = data[middle: middle + int(seconds * 44100)]
    looped = source_pcm + source_pcm
    at = looped.find(stretch[:8820])
    if at < 0:
        return False, "not found in the source's PCM"
    same = hashlib.sha256(looped[at:at + len(stretch)]).hexdigest() == hashlib.sha256(stretch).hexdigest()
    return same, f"{len(stretch) / 44100:.0f} s at {at / 44100:.1f} s of the source, sha256 " + \
        ("equal" if same else "DIFFERENT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=600, help="length of the long relay (target: 3600)")
    parser.add_argument("--short", type=int, default=10)
    parser.add_argument("--gaps", type=int, default=3)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="relay-bench-"))
    (scratch / "pulse").mkdir()
    pulse = start_pulse(scratch / "pulse")
    icecast = Icecast(scratch, PASSWORD)
    program = write_program(scratch / "tinh.mp3", 180.0)
    feed = IcecastFeed(icecast, "tinh", program)
    daemon = None
    try:
        assert icecast.wait_mount("tinh"), "the source did not reach icecast2"
        root = scratch / "station"
        plan = _station(root, feed.url, args.short, args.gaps, args.seconds)
        recorder = Recorder(pulse).ready()
        log = open(root / "daemon.log", "w")
        daemon = subprocess.Popen([sys.executable, "-m", "broadcast", "-S", str(root), "-v", "run"],
                                  env={**os.environ, **pulse}, stderr=log)
        kills = []
        for kind, _n, start, _s in plan:
            if kind == "hut":
                kill = start + dt.timedelta(seconds=5)
                time.sleep(max(0.0, (kill - dt.datetime.now(TZ)).total_seconds()))
                kills.append((start, time.time()))
                feed.kill()
                time.sleep(4)
                feed.start()
        long_start = plan[-1][2]
        time.sleep(max(0.0, (long_start - dt.datetime.now(TZ)).total_seconds() + 5))
        sampler = Sampler(daemon.pid)
        sampler.sample()
        cpu0, t0 = sampler.total(), time.monotonic()
        sampler.start()
        end = long_start + dt.timedelta(seconds=args.seconds)
        time.sleep(max(0.0, (end - dt.datetime.now(TZ)).total_seconds() - 3))
        sampler.halt.set()
        sampler.join()
        sampler.sample()
        cpu1, t1 = sampler.total(), time.monotonic()
        time.sleep(12)                       # the relay ends, its outputs close, its rows are written
    finally:
        if daemon is not None:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(60)
        feed.kill()
        icecast.close()
    samples, rec0 = recorder.stop()
    stop_pulse(pulse)
    text = (root / "daemon.log").read_text()
    late = [v for v in (_first_sound(recorder, samples, rec0, s) for kind, _n, s, _x in plan if kind == "ngan")
            if v is not None]
    detections = []
    for start, killed in kills:
        found = re.search(rf"relay tinh {start:%H:%M:%S}: gap at ([\d.]+) s", text)
        if found:
            detections.append(start.timestamp() + float(found.group(1)) - killed)
    rows = asrun.read(root / "station.db")
    long_rows = [r for r in rows if r.slot == "dai-0"]
    [aired] = list((root / "out-0").glob("*dai-0*.wav"))
    same, how = _equal_stretch(aired, decode_pcm(program))
    print(f"relay bench ({os.cpu_count()} cores, shared with other work: timings include that load)")
    if late:
        print(f"start lateness at the sound server, {len(late)} relays: p50 {statistics.median(late) * 1000:.0f} ms, "
              f"p95 {np.percentile(late, 95) * 1000:.0f} ms, max {max(late) * 1000:.0f} ms (target p95 <= 1000 ms)")
    print(f"gap detection, {len(detections)} kills: " + (", ".join(f"{d:.1f} s" for d in detections) or "none found")
          + " (target <= 3 s)")
    wall = t1 - t0
    print(f"long relay {args.seconds} s to 4 outputs: CPU {100 * (cpu1 - cpu0) / wall:.1f} % of one core over "
          f"{wall:.0f} s (daemon and its processes); peak RSS daemon {sampler.peak_daemon / 2**20:.0f} MiB, "
          f"with its processes {sampler.peak_tree / 2**20:.0f} MiB RSS summed, {sampler.peak_pss / 2**20:.0f} MiB PSS "
          f"summed (targets 10 %, 80 MiB)")
    print("CPU seconds by process: " + ", ".join(f"{sampler.names.get(p, p)} {c:.1f}" for p, c in sorted(sampler.cpu.items())))
    print("long relay rows: " + ", ".join(f"{r.zone} {r.status} {r.relayed_seconds} s relayed, started "
                                          f"{(r.started - r.scheduled).total_seconds():+.1f} s" for r in long_rows))
    print(f"bytes aired = source's: {'yes' if same else 'NO'} ({how})")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
