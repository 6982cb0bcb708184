"""A real sound path without a sound card: a PulseAudio null sink, and a recorder of its
monitor that stamps every sample with wall time. Shared by the tests and bench/."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import numpy as np


def start_pulse(runtime: Path) -> dict:
    """Start PulseAudio (as root: -n with the modules named) with a null sink 'loa'."""
    binary = shutil.which("pulseaudio")
    if binary is None:
        raise RuntimeError("pulseaudio is not installed: run ./setup.sh --test")
    runtime.chmod(0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(runtime)}
    env.pop("PULSE_SERVER", None)
    subprocess.run([binary, "-D", "-n", "--exit-idle-time=-1", "--log-target=stderr",
                    "--load=module-null-sink sink_name=loa rate=22050 channels=1",
                    "--load=module-native-protocol-unix"], env=env, check=True, capture_output=True, timeout=30)
    server = f"unix:{runtime}/pulse/native"
    env["PULSE_SERVER"] = server
    for _ in range(100):
        if subprocess.run(["pactl", "list", "short", "sinks"], env=env, capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    return {"PULSE_SERVER": server, "XDG_RUNTIME_DIR": str(runtime)}


def stop_pulse(pulse: dict) -> None:
    subprocess.run(["pactl", "exit"], env={**os.environ, **pulse}, capture_output=True, timeout=10)


class Recorder:
    """Records the null sink's monitor (what went out to the 'loudspeakers'), stamping time."""

    RATE = 22050

    def __init__(self, env: dict):
        self.proc = subprocess.Popen(["parec", "-d", "loa.monitor", "--raw", "--format=s16le", "--channels=1",
                                      f"--rate={self.RATE}", "--latency-msec=10"],
                                     stdout=subprocess.PIPE, env={**os.environ, **env})
        self.chunks: list[tuple[float, bytes]] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def ready(self, timeout: float = 10.0) -> "Recorder":
        """Wait until the recording runs (parec takes up to ~2 s to deliver its first samples;
        audio before that is not stamped reliably)."""
        deadline = time.monotonic() + timeout
        while not self.chunks and time.monotonic() < deadline:
            time.sleep(0.02)
        if not self.chunks:
            raise RuntimeError("parec delivered nothing: is the PulseAudio server running?")
        time.sleep(0.3)
        return self

    def _read(self) -> None:
        while True:
            data = self.proc.stdout.read1(4096)
            if not data:
                return
            self.chunks.append((time.time(), data))

    def stop(self):
        if hasattr(self, "_result"):
            return self._result
        self.proc.terminate()
        self.proc.wait(5)
        self.reader.join(5)
        samples = np.frombuffer(b"".join(c for _, c in self.chunks), dtype=np.int16)
        ends = np.cumsum([len(c) // 2 for _, c in self.chunks])
        # a chunk arrives no earlier than its last sample was captured: arrival - end/RATE
        # bounds the wall time of sample 0 from above; the least-delayed chunk bounds it best
        self._offsets = np.array([t for t, _ in self.chunks]) - ends / self.RATE
        self._ends = ends
        self._result = samples, float(self._offsets.min())
        return self._result

    def time_of(self, n: int, around: float = 3.0) -> float:
        """Wall time of sample N, from the chunks within AROUND seconds of it (the monitor's
        clock drifts against the system clock over minutes)."""
        self.stop()
        near = np.abs(self._ends - n) < around * self.RATE
        offsets = self._offsets[near] if near.any() else self._offsets
        return float(offsets.min()) + n / self.RATE

    def peak(self, start: float, end: float) -> int:
        """Loudest sample between two wall times."""
        samples, t0 = self.stop()
        a, b = max(0, int((start - t0) * self.RATE)), max(0, int((end - t0) * self.RATE))
        return int(abs(samples[a:b].astype(int)).max()) if b > a else 0

    def sounding(self, threshold: int = 300, window: float = 0.05) -> list[tuple[float, float]]:
        """(start, end) wall times of stretches with audio, gaps shorter than 1.5 s merged."""
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
