"""A real sound path without a sound card: a PulseAudio null sink, and a recorder of its
monitor that stamps every sample with wall time. Shared by the tests and bench/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import wave
from pathlib import Path

import numpy as np


def start_pulse(runtime: Path) -> dict:
    """Start PulseAudio (as root: -n with the modules named) with a null sink 'loa', logging to
    RUNTIME/pulse.log. Shared memory is off: with it, PulseAudio 16.1 once died mid-suite after
    "Cannot send block reference with non-registered memfd ID" (its bug 824) as players were cut."""
    binary = shutil.which("pulseaudio")
    if binary is None:
        raise RuntimeError("pulseaudio is not installed: run ./setup.sh --test")
    runtime.chmod(0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(runtime)}
    env.pop("PULSE_SERVER", None)
    subprocess.run([binary, "-D", "-n", "--exit-idle-time=-1", "--disable-shm=yes",
                    f"--log-target=file:{runtime}/pulse.log",
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


def write_tone(path: Path, seconds: float, amplitude: int = 12000, frequency: float = 440.0) -> Path:
    """A 22.05 kHz mono WAV tone that starts on its first sample (easy to find when heard)."""
    samples = (amplitude * np.sin(2 * np.pi * frequency * np.arange(int(22050 * seconds)) / 22050)).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(samples.tobytes())
    return path


class DroppedSyn:
    """A loopback port whose accept queue is full, so new connections hang as on a dead link."""

    def __init__(self):
        self.hole = socket.socket()
        self.hole.bind(("127.0.0.1", 0))
        self.hole.listen(0)
        self.fillers = []
        for _ in range(3):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(self.hole.getsockname())
            self.fillers.append(s)
        self.url = f"http://127.0.0.1:{self.hole.getsockname()[1]}"

    def close(self) -> None:
        for s in self.fillers + [self.hole]:
            s.close()


class _Stamped:
    """Reads a child's stdout and stamps each chunk with the wall time it arrived."""

    def _start_reading(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.chunks: list[tuple[float, bytes]] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            data = self.proc.stdout.read1(4096)
            if not data:
                return
            self.chunks.append((time.time(), data))


class Recorder(_Stamped):
    """Records the null sink's monitor (what went out to the 'loudspeakers'), stamping time."""

    RATE = 22050

    def __init__(self, env: dict):
        self.env = env
        self._start_reading(subprocess.Popen(["parec", "-d", "loa.monitor", "--raw", "--format=s16le",
                                              "--channels=1", f"--rate={self.RATE}", "--latency-msec=10"],
                                             stdout=subprocess.PIPE, env={**os.environ, **env}))

    def ready(self, timeout: float = 10.0) -> "Recorder":
        """Wait until the recording runs (parec takes up to ~2 s to deliver its first samples;
        audio before that is not stamped reliably)."""
        deadline = time.monotonic() + timeout
        while not self.chunks and time.monotonic() < deadline:
            time.sleep(0.02)
        if not self.chunks:
            raise RuntimeError(f"parec delivered nothing: is the PulseAudio server running? (its log: "
                               f"{self.env['XDG_RUNTIME_DIR']}/pulse.log)")
        time.sleep(0.3)
        return self

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


# ---------------------------------------------------------------- Icecast
ICECAST_CONFIG = """<icecast>
  <location>loopback</location><admin>test@localhost</admin>
  <limits><clients>{clients}</clients><sources>8</sources><queue-size>524288</queue-size>
    <client-timeout>30</client-timeout><header-timeout>15</header-timeout><source-timeout>5</source-timeout>
    <burst-on-connect>0</burst-on-connect><burst-size>0</burst-size></limits>
  <authentication><source-password>{password}</source-password><relay-password>{password}</relay-password>
    <admin-user>admin</admin-user><admin-password>{password}</admin-password></authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket><port>{port}</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <fileserve>1</fileserve>
  <paths><basedir>/usr/share/icecast2</basedir><logdir>{logs}</logdir><webroot>/usr/share/icecast2/web</webroot>
    <adminroot>/usr/share/icecast2/admin</adminroot></paths>
  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>2</loglevel></logging>
  <security><chroot>0</chroot>{owner}</security>
</icecast>
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> bool:
    """True once something accepts connections on 127.0.0.1:PORT (a server we started)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


class Icecast:
    """A real icecast2 server on loopback (as root it must drop to nobody:nogroup)."""

    def __init__(self, folder: Path, password: str = "hackme-thu", clients: int = 100):
        binary = shutil.which("icecast2")
        if binary is None:
            raise RuntimeError("icecast2 is not installed: run ./setup.sh --test")
        self.binary, self.password, self.port = binary, password, free_port()
        import tempfile

        # icecast2 drops to nobody when run as root: its log folder must be reachable by nobody
        logs = Path(tempfile.mkdtemp(prefix="icecast-logs-"))
        logs.chmod(0o777)
        self.logs = logs
        owner = "<changeowner><user>nobody</user><group>nogroup</group></changeowner>" if os.geteuid() == 0 else ""
        self.config = folder / "icecast.xml"
        self.config.write_text(ICECAST_CONFIG.format(port=self.port, password=password, logs=logs, owner=owner,
                                                     clients=clients))
        self.config.chmod(0o644)
        self.proc = None
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen([self.binary, "-c", str(self.config)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        if not wait_for_port(self.port, 10.0):
            raise RuntimeError("icecast2 did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.logs, ignore_errors=True)

    def url(self, mount: str) -> str:
        return f"http://127.0.0.1:{self.port}/{mount}"

    def wait_mount(self, mount: str, timeout: float = 15.0) -> bool:
        """Wait until a source streams to MOUNT (the server answers 200 for it)."""
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url(mount), timeout=2) as answer:
                    if answer.status == 200 and answer.read(64):
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        return False


class StreamClient(_Stamped):
    """A listener: ffmpeg pulls the mount and decodes it; samples are stamped on arrival."""

    RATE = 22050

    def __init__(self, url: str):
        from broadcast.proc import ffmpeg_exe

        self._start_reading(subprocess.Popen(
            [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-fflags", "nobuffer", "-reconnect", "1",
             "-reconnect_streamed", "1", "-reconnect_delay_max", "2", "-i", url, "-f", "s16le",
             "-ar", str(self.RATE), "-ac", "1", "pipe:1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL))

    def wait_for_data(self, timeout: float = 15.0) -> bool:
        deadline = time.monotonic() + timeout
        while not self.chunks and time.monotonic() < deadline:
            time.sleep(0.05)
        return bool(self.chunks)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(5)
        self.reader.join(5)

    def loud_spans(self, threshold: int = 2000, window: float = 0.05, merge: float = 1.0):
        """(arrival time of the first loud sample, arrival time of the last) per loud stretch."""
        spans: list[list[float]] = []
        position = 0
        for arrived, data in self.chunks:
            samples = np.frombuffer(data[: len(data) // 2 * 2], dtype=np.int16)
            loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > threshold)
            if len(loud):
                first = arrived - (len(samples) - loud[0]) / self.RATE
                last = arrived - (len(samples) - loud[-1]) / self.RATE
                if spans and first - spans[-1][1] < merge:
                    spans[-1][1] = last
                else:
                    spans.append([first, last])
            position += len(samples)
        return [(a, b) for a, b in spans]
