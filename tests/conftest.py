"""Fixtures that build real station folders, scripts and audio files."""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def station_dir(tmp_path: Path) -> Path:
    """A station folder: the sample station.yaml, lexicon and jingles, no scripts yet."""
    root = tmp_path / "station"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "station.yaml", root / "station.yaml")
    shutil.copy(REPO / "lexicon.yaml", root / "lexicon.yaml")
    shutil.copytree(REPO / "audio", root / "audio")
    return root


def write_script(folder: Path, name: str, body: str = "Kính thưa bà con nhân dân. Đây là bản tin thử.",
                 **fields) -> Path:
    front = {"id": name, "title": f"Tin {name}", "topic": "dich-vu-cong",
             "valid_from": "2024-01-01", "valid_until": "2024-12-31", **fields}
    lines = ["---"] + [f"{k}: {v}" for k, v in front.items() if v is not None] + ["---", textwrap.dedent(body).strip(), ""]
    path = folder / f"{name}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def measure(ffmpeg: str, path: Path) -> dict:
    """Loudness, true peak and duration measured by ffmpeg itself (independent of our code)."""
    done = subprocess.run([ffmpeg, "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128=peak=true",
                           "-f", "null", "-"], capture_output=True, text=True, check=True)
    summary = done.stderr[done.stderr.rindex("Summary:"):]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.inf]+) dBFS", summary).group(1))
    duration = re.findall(r"time=(\d+):(\d+):([\d.]+)", done.stderr)[-1]
    seconds = int(duration[0]) * 3600 + int(duration[1]) * 60 + float(duration[2])
    return {"lufs": integrated, "true_peak": peak, "seconds": seconds}


SCHEDULE = """\
station:
  name: Đài truyền thanh xã Thử
  timezone: Asia/Ho_Chi_Minh
zones:
  thon-1: {name: Thôn 1, output: pulse}
  thon-2: {name: Thôn 2, output: "file:out/thon-2"}
slots:
  - id: sang
    days: [Thứ Hai, Thứ Tư, Thứ Sáu]
    start: "06:00"
    length: 15m
    zones: all
    program:
      greeting: Xin kính chào bà con.
      rules:
        - order: rotate
          max: 2
  - id: chieu
    days: hằng ngày
    start: "17:00"
    length: 10 phút
    zones: [thon-1]
    program:
      items: [tin-a]
"""


def write_schedule(root: Path, text: str = SCHEDULE, name: str = "tuan.yaml") -> Path:
    folder = root / "schedules"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def planned_station(station_dir: Path) -> Path:
    """A station with four scripts and the two-slot schedule above."""
    for name in ("tin-a", "tin-b", "tin-c", "tin-d"):
        write_script(station_dir / "scripts", name)
    write_schedule(station_dir)
    return station_dir


# ---------------------------------------------------------------- a real sound path
@pytest.fixture(scope="session")
def pulse(tmp_path_factory) -> dict:
    """A PulseAudio server with a null sink 'loa' (no sound card needed); yields its env.
    setup.sh --test installs pulseaudio; the tests start and stop their own server."""
    import os
    import shutil as sh
    import time

    binary = sh.which("pulseaudio")
    assert binary, "pulseaudio is not installed: run ./setup.sh --test"
    runtime = tmp_path_factory.mktemp("pulse")
    runtime.chmod(0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(runtime)}
    env.pop("PULSE_SERVER", None)
    subprocess.run([binary, "-D", "-n", "--exit-idle-time=-1", "--disallow-exit=no", "--log-target=stderr",
                    "--load=module-null-sink sink_name=loa rate=22050 channels=1",
                    "--load=module-native-protocol-unix"], env=env, check=True, capture_output=True, timeout=30)
    server = f"unix:{runtime}/pulse/native"
    env["PULSE_SERVER"] = server
    for _ in range(100):
        if subprocess.run(["pactl", "list", "short", "sinks"], env=env, capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    yield {"PULSE_SERVER": server, "XDG_RUNTIME_DIR": str(runtime)}
    subprocess.run(["pactl", "exit"], env=env, capture_output=True, timeout=10)


class Recorder:
    """Records the null sink's monitor (what went out to the 'loudspeakers'), stamping time."""

    RATE = 22050

    def __init__(self, env: dict):
        import os
        import threading
        import time

        self._time = time
        self.proc = subprocess.Popen(["parec", "-d", "loa.monitor", "--raw", "--format=s16le", "--channels=1",
                                      f"--rate={self.RATE}", "--latency-msec=10"],
                                     stdout=subprocess.PIPE, env={**os.environ, **env})
        self.chunks: list[tuple[float, bytes]] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            data = self.proc.stdout.read1(4096)
            if not data:
                return
            self.chunks.append((self._time.time(), data))

    def stop(self):
        import numpy as np

        self.proc.terminate()
        self.proc.wait(5)
        self.reader.join(5)
        samples = np.frombuffer(b"".join(c for _, c in self.chunks), dtype=np.int16)
        # the wall time of sample 0: the first chunk arrived when its last sample was captured
        first_time, first = self.chunks[0]
        t0 = first_time - (len(first) // 2) / self.RATE
        return samples, t0

    def sounding(self, threshold: int = 300, window: float = 0.05) -> list[tuple[float, float]]:
        """(start, end) wall times of stretches with audio, gaps shorter than 1.5 s merged."""
        import numpy as np

        samples, t0 = self.stop()
        hop = int(self.RATE * window)
        frames = len(samples) // hop
        loud = np.abs(samples[:frames * hop].reshape(frames, hop)).max(axis=1) > threshold
        spans: list[list[float]] = []
        for n in np.flatnonzero(loud):
            t = t0 + n * window
            if spans and t - spans[-1][1] < 1.5:
                spans[-1][1] = t + window
            else:
                spans.append([t, t + window])
        return [(a, b) for a, b in spans]
