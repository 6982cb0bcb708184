"""How far a render in the console's worker has got ("Nghe thử" of a long item), told across the
process boundary: the worker rewrites a small JSON file (atomically) as the renderer reports each
text voiced, and the console reads it for the page. "done" is written only once the audio file
is whole, so the page never says the preview is ready before it is."""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from broadcast.errors import BroadcastError
from broadcast.files import atomic_path
from broadcast.station.settings import Station

FOLDER = Path("preview")                 # under the station's cache, beside the previews
TOKEN = re.compile(r"^[a-z0-9]{12,40}$")
FINAL = ("done", "failed")
KEEP_SECONDS = 3600                      # a file no page read to its end is removed after this
EVERY = 0.2                              # seconds between two writes while texts are voiced


@dataclass(frozen=True)
class RenderProgress:
    stage: str                 # waiting | voicing | mixing | done | failed
    done: int = 0              # texts voiced (title and paragraphs)
    total: int = 0
    seconds: float = 0.0       # speech made so far; when done, the length of the audio
    message: str = ""          # why it failed, and what to do

    @property
    def final(self) -> bool:
        return self.stage in FINAL


def progress_file(station: Station, token: str | None) -> Path | None:
    """The progress file of the page's TOKEN (letters and digits chosen by the page), or None."""
    if not token or not TOKEN.match(token):
        return None
    return station.cache_dir / FOLDER / f".tien-do-{token}.json"


def write(path: Path, progress: RenderProgress) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(asdict(progress), ensure_ascii=False), "utf-8")


def read(path: Path) -> RenderProgress | None:
    try:
        return RenderProgress(**json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def forget_old(station: Station, now: float | None = None) -> None:
    """Remove progress files nobody followed to the end (a page closed mid-render)."""
    now = time.time() if now is None else now
    for path in (station.cache_dir / FOLDER).glob(".tien-do-*.json"):
        try:
            if now - path.stat().st_mtime > KEEP_SECONDS:
                path.unlink()
        except OSError:
            continue


class Teller:
    """In the worker: the renderer's progress written to PATH (at most every EVERY seconds, and
    always the first and the last text), then "done" or "failed"."""

    def __init__(self, path: Path | None):
        self.path = path
        self._last = 0.0

    def _write(self, progress: RenderProgress) -> None:
        if self.path is not None:
            write(self.path, progress)

    def voiced(self, done: int, total: int, seconds: float) -> None:
        now = time.monotonic()
        if done in (1, total) or now - self._last >= EVERY:
            self._last = now
            self._write(RenderProgress("mixing" if done == total else "voicing", done, total, round(seconds, 1)))

    def finished(self, seconds: float) -> None:
        self._write(RenderProgress("done", seconds=round(seconds, 1)))

    def failed(self, error: BroadcastError) -> None:
        self._write(RenderProgress("failed", message=" – ".join(filter(None, (error.message, error.hint)))))
