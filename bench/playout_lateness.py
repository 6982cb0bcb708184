"""Start lateness of the playout daemon, measured at the sound server, idle and while a
render runs; and the daemon's idle CPU and memory.

A real daemon (`broadcast run`) plays N programs, one every SPACING seconds, into a
PulseAudio null sink; one long recording of the sink's monitor gives, for each program,
the first sample of audio. Each program opens with a full-scale tone, so the first
sample above the threshold is the program's first sample. Lateness = that sample's wall
time minus the scheduled time. Targets: p95 <= 30 ms and max <= 100 ms in both cases.

Usage: python bench/playout_lateness.py [--count 55] [--spacing 4]
Needs pulseaudio (./setup.sh --test installs it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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

from broadcast.clock import RealClock  # noqa: E402
from broadcast.playout.airing import Playout  # noqa: E402
from broadcast.records import asrun  # noqa: E402
from broadcast.station.settings import load_station  # noqa: E402
from tests.soundpath import Recorder, start_pulse, stop_pulse  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _station(root: Path, count: int, spacing: float, lead: float) -> list[dt.datetime]:
    shutil.copytree(REPO / "audio", root / "audio")
    (root / "scripts").mkdir(parents=True)
    (root / "scripts" / "tin.md").write_text(
        "---\nid: tin\ntitle: Tin\ntopic: khac\nvalid_from: 2020-01-01\nvalid_until: 2099-12-31\n---\n"
        "Bà con nộp hồ sơ trực tuyến.\n", encoding="utf-8")
    tone = (20000 * np.sin(2 * np.pi * 1000 * np.arange(int(22050 * 0.3)) / 22050)).astype(np.int16)
    with wave.open(str(root / "audio" / "tone.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(tone.tobytes())
    (root / "station.yaml").write_text(
        "timezone: Asia/Ho_Chi_Minh\nmix:\n  intro: audio/tone.wav\n  outro: null\n  separator: null\n"
        "  speak_titles: false\nplayout:\n  grace: 60\n", encoding="utf-8")
    first = (dt.datetime.now(TZ) + dt.timedelta(seconds=lead)).replace(microsecond=0)
    starts = [first + dt.timedelta(seconds=round(n * spacing, 1)) for n in range(count)]
    slots = "".join(f"  - {{id: s{n}, days: hằng ngày, start: \"{t:%H:%M:%S}\", length: 1m, zones: all, "
                    f"program: {{intro: true, outro: false, items: [tin]}}}}\n" for n, t in enumerate(starts))
    (root / "schedules").mkdir()
    (root / "schedules" / "bench.yaml").write_text(
        f"zones:\n  loa: {{name: Loa, output: \"pulse:loa\"}}\nslots:\n{slots}", encoding="utf-8")
    # fractional seconds are not part of the schedule format: keep whole-second starts
    return [t.replace(microsecond=0) for t in starts]


def _prerender(root: Path) -> None:
    playout = Playout(load_station(root), RealClock(TZ))
    worker = playout.render_ahead(playout.clock.now(), 1)
    if worker:
        worker.join()
    playout.close()


def _busy_render(stop: threading.Event, scratch: Path) -> None:
    """Render the sample scripts again and again from a cold cache (CPU on both cores)."""
    n = 0
    while not stop.is_set():
        station = scratch / f"render-{n}"
        shutil.copytree(REPO, station, ignore=shutil.ignore_patterns(".venv", ".git", "cache", "out", "station.db*"))
        subprocess.run([sys.executable, "-m", "broadcast", "-S", str(station), "render", str(station / "scripts"),
                        "-o", str(station / "out.wav")], capture_output=True)
        shutil.rmtree(station, ignore_errors=True)
        n += 1


def _proc_stats(pid: int) -> tuple[float, int]:
    """(CPU seconds used, RSS bytes) of PID."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    rss = next(int(line.split()[1]) * 1024 for line in Path(f"/proc/{pid}/status").read_text().splitlines()
               if line.startswith("VmRSS:"))
    return cpu, rss


def run_case(pulse: dict, count: int, spacing: float, busy: bool, scratch: Path, name: str | None = None,
             load=None) -> dict:
    """Air COUNT programs; with BUSY, LOAD(stop, station_root, scratch) runs beside the daemon
    (default: renders on both cores)."""
    root = scratch / (name or ("busy" if busy else "idle"))
    root.mkdir()
    starts = _station(root, count, spacing, lead=25)
    _prerender(root)
    recorder = Recorder(pulse).ready()
    stop_busy = threading.Event()
    renderer = threading.Thread(target=load or (lambda stop, _root, where: _busy_render(stop, where)),
                                args=(stop_busy, root, scratch), daemon=True)
    if busy:
        renderer.start()
    env = {**os.environ, **pulse}
    daemon = subprocess.Popen([sys.executable, "-m", "broadcast", "-S", str(root), "-v", "run"], env=env,
                              stderr=open(root / "daemon.log", "w"))
    idle = None
    try:
        if not busy:                        # idle CPU and RSS: between start-up and the first program
            time.sleep(8)
            cpu0, _ = _proc_stats(daemon.pid)
            time.sleep(10)
            cpu1, rss = _proc_stats(daemon.pid)
            idle = {"cpu_percent": 100 * (cpu1 - cpu0) / 10, "rss_mib": rss / 2**20}
        end = starts[-1] + dt.timedelta(seconds=spacing + 3)
        time.sleep(max(0.0, (end - dt.datetime.now(TZ)).total_seconds()))
    finally:
        stop_busy.set()
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(30)
        if busy:
            renderer.join()
    samples, t0 = recorder.stop()
    shutil.copy(root / "daemon.log", Path("/tmp") / f"lateness-{root.name}.log")
    rows = [r for r in asrun.read(root / "station.db") if r.status == "completed"]
    late = []
    for start in starts:
        a = max(0, int((start.timestamp() - 0.3 - t0) * Recorder.RATE))
        window = np.abs(samples[a:a + Recorder.RATE * 2].astype(np.int32))
        hits = np.flatnonzero(window > 500)       # silence on a null sink is digital zero
        if len(hits):
            late.append(recorder.time_of(a + int(hits[0])) - start.timestamp())
    return {"late_ms": [1000 * x for x in late], "completed": len(rows), "count": count, "idle": idle}


def _summary(name: str, result: dict) -> str:
    ms = sorted(result["late_ms"])
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return (f"{name}: {len(ms)}/{result['count']} programs heard ({result['completed']} logged completed); "
            f"lateness median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {max(ms):.1f} ms, "
            f"min {min(ms):.1f} ms (targets: p95 <= 30, max <= 100)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=55)
    parser.add_argument("--spacing", type=float, default=4.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        runtime = scratch / "pulse"
        runtime.mkdir()
        pulse = start_pulse(runtime)
        try:
            idle = run_case(pulse, args.count, args.spacing, busy=False, scratch=scratch)
            busy = run_case(pulse, args.count, args.spacing, busy=True, scratch=scratch)
        finally:
            stop_pulse(pulse)
    print(_summary("idle", idle))
    print(_summary("while rendering", busy))
    print(f"daemon idle: {idle['idle']['cpu_percent']:.2f} % CPU over 10 s, RSS {idle['idle']['rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
