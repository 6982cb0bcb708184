"""Real relay sources for tests and bench/: the province station as an ffmpeg source on a real
icecast2, an HLS stream written by ffmpeg and served over HTTP, and a misbehaving HTTP server
(a web page, a redirect loop, garbage, a stall, a format change mid-way)."""

from __future__ import annotations

import http.server
import os
import socketserver
import subprocess
import threading
import time
from pathlib import Path

import numpy as np

from broadcast.proc import ffmpeg_exe
from tests.soundpath import free_port

RATE = 22050


def write_program(path: Path, seconds: float, seed: int = 7) -> Path:
    """A source's audio, loud everywhere and never repeating within SECONDS (so any stretch of it
    is found again exactly): tones that change every 0.25 s plus a little noise. MP3 at 22.05 kHz
    mono (no resampling between the source and the station)."""
    rng = np.random.default_rng(seed)
    n = int(RATE * seconds)
    freqs = np.repeat(rng.uniform(200, 2000, int(seconds * 4) + 1), RATE // 4)[:n]
    phase = np.cumsum(2 * np.pi * freqs / RATE)
    samples = (9000 * np.sin(phase) + rng.normal(0, 500, n)).astype(np.int16)
    wav = path.with_suffix(".src.wav")
    import wave

    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(wav), "-c:a", "libmp3lame",
                    "-b:a", "64k", "-ar", str(RATE), "-ac", "1", str(path)], check=True)
    wav.unlink()
    return path


def decode_pcm(path: Path) -> bytes:
    return subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(path), "-f", "s16le",
                           "-ar", str(RATE), "-ac", "1", "pipe:1"], check=True, capture_output=True).stdout


class IcecastFeed:
    """The province station: ffmpeg sends PROGRAM (looped, in real time) to MOUNT, as MP3 (the
    file's own frames), Ogg Vorbis or AAC."""

    FORMATS = {"mp3": ["-c:a", "copy", "-content_type", "audio/mpeg", "-f", "mp3"],
               "ogg": ["-c:a", "libvorbis", "-b:a", "64k", "-content_type", "application/ogg", "-f", "ogg"],
               "aac": ["-c:a", "aac", "-b:a", "64k", "-content_type", "audio/aac", "-f", "adts"]}

    def __init__(self, icecast, mount: str, program: Path, kind: str = "mp3"):
        self.icecast, self.mount, self.program, self.kind = icecast, mount, program, kind
        self.proc = None
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-stream_loop", "-1",
             "-i", str(self.program), *self.FORMATS[self.kind],
             f"icecast://source:{self.icecast.password}@127.0.0.1:{self.icecast.port}/{self.mount}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)

    @property
    def url(self) -> str:
        return self.icecast.url(self.mount)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server:
    def __init__(self, handler):
        self.port = free_port()
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class HlsSource:
    """A live HLS stream: ffmpeg cuts PROGRAM into 1 s AAC segments in FOLDER; a plain HTTP
    server serves the playlist and the segments."""

    def __init__(self, folder: Path, program: Path):
        self.folder, self.program = folder, program
        folder.mkdir(parents=True, exist_ok=True)
        folder_ = str(folder)

        class Handler(_Quiet):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=folder_, **kwargs)

            def end_headers(self):
                self.send_header("Cache-Control", "no-cache")
                super().end_headers()

        Handler.extensions_map = {**Handler.extensions_map, ".m3u8": "application/vnd.apple.mpegurl",
                                  ".ts": "video/mp2t"}
        self.http = _Server(Handler)
        self.proc = None
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-stream_loop", "-1",
             "-i", str(self.program), "-c:a", "aac", "-b:a", "64k", "-ar", str(RATE), "-ac", "1", "-f", "hls",
             "-hls_time", "1", "-hls_list_size", "6", "-hls_flags", "delete_segments+omit_endlist",
             str(self.folder / "live.m3u8")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_ready(self, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        playlist = self.folder / "live.m3u8"
        while time.monotonic() < deadline:
            if playlist.exists() and playlist.read_text().count("#EXTINF") >= 3:
                return True
            time.sleep(0.2)
        return False

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)

    @property
    def url(self) -> str:
        return self.http.url("live.m3u8")

    def close(self) -> None:
        self.kill()
        self.http.close()


class FaultServer:
    """/trang (a web page), /vong (a redirect loop), /rac (garbage called audio/mpeg),
    /treo (MP3 for a while, then the connection stays open and silent), /doi (MP3, then Ogg
    bytes mid-way), anything else 404. MP3: the bytes of PROGRAM."""

    def __init__(self, program: Path, good_seconds: float = 3.0):
        mp3 = program.read_bytes()
        per_second = 64000 // 8
        ogg = os.urandom(16) + b"OggS" + os.urandom(200000)

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args):
                pass

            def _head(self, kind: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.end_headers()

            def _mp3(self, seconds: float) -> None:
                sent, began = 0, time.monotonic()
                while sent < seconds * per_second:
                    self.wfile.write(mp3[sent:sent + per_second // 10])
                    self.wfile.flush()
                    sent += per_second // 10
                    time.sleep(max(0.0, began + sent / per_second - 0.5 - time.monotonic()))

            def do_GET(self):
                try:
                    if self.path == "/trang":
                        self._head("text/html; charset=utf-8")
                        self.wfile.write("<html><body>Đài phát thanh tỉnh</body></html>".encode() * 50)
                    elif self.path in ("/vong", "/vong2"):
                        self.send_response(302)
                        self.send_header("Location", "/vong2" if self.path == "/vong" else "/vong")
                        self.end_headers()
                    elif self.path == "/rac":
                        self._head("audio/mpeg")
                        self.wfile.write(os.urandom(300000))
                    elif self.path == "/treo":
                        self._head("audio/mpeg")
                        self._mp3(good_seconds)
                        time.sleep(600)
                    elif self.path == "/doi":
                        self._head("audio/mpeg")
                        self._mp3(good_seconds)
                        for start in range(0, len(ogg), 1600):
                            self.wfile.write(ogg[start:start + 1600])
                            time.sleep(0.2)
                    else:
                        self.send_error(404)
                except OSError:
                    pass

        self.http = _Server(Handler)

    def url(self, path: str) -> str:
        return self.http.url(path)

    def close(self) -> None:
        self.http.close()
