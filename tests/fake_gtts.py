"""A local HTTP server speaking the protocol gTTS uses (translate.google batchexecute),
with switchable failure modes: the only thing faked in the tests, because Google's
endpoint cannot be reached here."""

from __future__ import annotations

import base64
import json
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from broadcast.proc import ffmpeg_exe


def mp3_for(text: str) -> bytes:
    """A real MP3 answer: 24 kHz mono tone, ~0.3 s per syllable, like Google's voice."""
    seconds = max(0.5, 0.3 * len(text.split()))
    return subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                           f"sine=frequency=300:sample_rate=24000:duration={seconds:.2f}", "-ac", "1",
                           "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1"],
                          capture_output=True, check=True).stdout


class FakeGoogle:
    """MODES: a list consumed one per request ('ok', '429', '500', 'hang', 'empty', 'drop');
    when it runs out, 'ok'."""

    def __init__(self):
        self.modes: list[str] = []
        self.texts: list[str] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                rpc = json.loads(urllib.parse.parse_qs(body)["f.req"][0])
                text = json.loads(rpc[0][0][1])[0]
                with fake.lock:
                    mode = fake.modes.pop(0) if fake.modes else "ok"
                    fake.texts.append(text)
                if mode == "drop":
                    self.connection.close()
                    return
                if mode == "hang":
                    time.sleep(5)
                    return
                if mode in ("429", "500"):
                    self.send_response(int(mode))
                    if mode == "429":
                        self.send_header("Retry-After", "1")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                audio = "" if mode == "empty" else base64.b64encode(mp3_for(text)).decode()
                line = json.dumps([["wrb.fr", "jQ1olc", json.dumps([audio]) if audio else "[]", None, None, None,
                                    "generic"]], separators=(",", ":"))
                payload = (")]}'\n\n" + str(len(line)) + "\n" + line + "\n").encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
