"""Program audio: where a planned program's rendered file lives, rendering it (in a worker
process, so the playout's timing never waits on the GIL), and checking it before airtime.

A program file is named by a hash of everything that makes its sound (items' content,
greeting, jingles, speech and mix settings), so zones and days airing the same program
share one file, and an edited script gets a new one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import wave
from dataclasses import asdict, dataclass
from pathlib import Path

from broadcast import proc
from broadcast.files import atomic_path
from broadcast.i18n import _
from broadcast.news.scripts import NewsItem
from broadcast.schedule.plan import Program
from broadcast.station.settings import Station, load_station

log = logging.getLogger(__name__)
RENDER_NICENESS = 10


@dataclass(frozen=True)
class ProgramJob:
    """What a worker needs to render one program."""

    path: Path
    items: tuple[NewsItem, ...]
    greeting: str | None
    intro: bool
    outro: bool
    retry: bool = False              # rendered already by a fallback voice: ask the preferred one again


class ProgramStore:
    def __init__(self, station: Station):
        self.station = station
        self.folder = station.cache_dir / "programs"

    def job(self, program: Program, items: dict[str, NewsItem]) -> ProgramJob:
        chosen = tuple(items[p.script] for p in program.items)
        s = self.station
        files = []
        for rel in (s.mix.intro, s.mix.outro, s.mix.separator, s.mix.bed):
            path = s.path(rel)
            files.append([rel, path.stat().st_size, path.stat().st_mtime_ns] if path and path.exists() else None)
        blob = json.dumps({"items": [(i.id, i.content_hash, i.voice, i.engine) for i in chosen],
                           "greeting": program.greeting, "intro": program.intro, "outro": program.outro,
                           "sound": s.sound_settings(), "files": files}, sort_keys=True)
        key = hashlib.sha256(blob.encode()).hexdigest()[:24]
        return ProgramJob(self.folder / f"{key}.wav", chosen, program.greeting, program.intro, program.outro)

    @staticmethod
    def problem(path: Path, opened: Path | None = None) -> str | None:
        """Why PATH cannot be aired (missing, truncated, corrupt), or None if it can. OPENED: the
        same file as held open by the player (checked instead, against PATH's render record)."""
        meta = path.with_suffix(".json")
        if opened is None and not path.exists():
            return _("not rendered")
        path = opened or path
        try:
            with wave.open(str(path), "rb") as w:
                frames, width, channels = w.getnframes(), w.getsampwidth(), w.getnchannels()
        except (wave.Error, EOFError, OSError) as exc:
            return _("unreadable WAV ({reason})").format(reason=exc)
        size = path.stat().st_size
        if frames == 0 or size < 44 + frames * width * channels:
            return _("truncated: {size} bytes for {frames} frames").format(size=size, frames=frames)
        try:
            expected = json.loads(meta.read_text())
        except (OSError, ValueError):
            return _("render record missing")
        if expected.get("bytes") != size:
            return _("size {size} differs from the rendered {expected} bytes").format(size=size, expected=expected.get("bytes"))

        return None

    @staticmethod
    def seconds(path: Path) -> float:
        with wave.open(str(path), "rb") as w:
            return w.getnframes() / w.getframerate()


def render_job(station: Station, job: ProgramJob) -> Path:
    """Render one program (in this process) and write its record beside it."""
    from broadcast.render.bulletin import Renderer

    job.path.parent.mkdir(parents=True, exist_ok=True)
    result = Renderer(station).render(list(job.items), job.path, greeting=job.greeting,
                                      intro=job.intro, outro=job.outro, retry=job.retry)
    record = {"bytes": job.path.stat().st_size, "seconds": result.duration,
              "items": [asdict(i) for i in result.items]}
    with atomic_path(job.path.with_suffix(".json")) as tmp:
        tmp.write_text(json.dumps(record, ensure_ascii=False))
    return job.path


def _render_many(root: str, jobs: list[ProgramJob], parent: int) -> None:
    proc.die_with_parent(parent)
    os.nice(RENDER_NICENESS)          # playout (ffmpeg to the loudspeakers) keeps the CPU first
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s render: %(message)s")
    station = load_station(Path(root))
    for job in jobs:
        if ProgramStore.problem(job.path) is None and not job.retry:
            continue
        try:
            render_job(station, job)
        except Exception as exc:       # one bad program must not stop the others
            logging.getLogger("broadcast.render").error("%s: %s", job.path.name, exc)
            if job.retry:              # the fallback render stays; the next retry waits its turn
                job.path.with_suffix(".json").touch(exist_ok=True)


def render_in_worker(station: Station, jobs: list[ProgramJob]) -> multiprocessing.Process:
    """Start a separate (spawned) process that renders JOBS; the caller joins it."""
    context = multiprocessing.get_context("spawn")
    worker = context.Process(target=_render_many, args=(str(station.root), jobs, os.getpid()), name="broadcast-render")
    worker.start()
    return worker


def record(path: Path) -> dict:
    try:
        return json.loads(path.with_suffix(".json").read_text())
    except (OSError, ValueError):
        return {}


@dataclass(frozen=True)
class Voice:
    """Who read a program: its engines ('recording' for recorded items), and why the preferred
    voice did not (None: it did)."""

    engines: str
    fallback: str | None


def voice_of(items: list[dict]) -> Voice:
    """The voice of a program from its render record's ITEMS."""
    engines = sorted({e for i in items for e in str(i.get("engine") or "").split("+") if e})
    reasons = sorted({r for i in items for r in i.get("fallbacks") or []})
    return Voice("+".join(engines), "; ".join(reasons) or None)


@dataclass
class RenderedProgram:
    first: object          # datetime of its first airing in the window
    slot: str
    zones: int               # airings (zones x days) that use it
    seconds: float
    items: list[dict]
    fresh: bool
    problem: str = ""


def render_week(station: Station, start, end, progress=None, plan=None) -> list[RenderedProgram]:
    """Render every distinct program airing in [start, end) (reusing the cache), in order; PLAN:
    the station's plan if already loaded."""
    from broadcast.schedule import week

    plan = plan or week.load(station)
    store = ProgramStore(station)
    items = {i.id: i for i in plan.items}
    programs: dict[Path, RenderedProgram] = {}
    jobs: dict[Path, ProgramJob] = {}
    for occ in plan.occurrences(start, end):
        if not occ.program.items:
            continue
        job = store.job(occ.program, items)
        if job.path not in programs:
            programs[job.path] = RenderedProgram(occ.start, occ.slot, 0, 0.0, [], False)
            jobs[job.path] = job
        programs[job.path].zones += 1
    for n, (path, job) in enumerate(jobs.items()):
        program = programs[path]
        if store.problem(path) is not None:
            try:
                render_job(station, job)
                program.fresh = True
            except Exception as exc:          # one program's failure must not stop the week
                program.problem = f"failed: {exc}"
        data = record(path)
        program.items, program.seconds = data.get("items", []), data.get("seconds", 0.0)
        if progress:
            progress(n + 1, len(jobs))
    return list(programs.values())
