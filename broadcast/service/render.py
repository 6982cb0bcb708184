"""Rendering on request: one bulletin from chosen items, or every program of a week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import InputError
from broadcast.news.scripts import load_scripts
from broadcast.render import programs
from broadcast.render.bulletin import Renderer, RenderResult
from broadcast.render.programs import RenderedProgram
from broadcast.schedule import week
from broadcast.sound.jingles import write_all
from broadcast.station.settings import Station

Progress = Callable[[int, int], None]     # (done, total)


def render_bulletin(station: Station, paths: list[Path], out: Path, mp3: bool = False,
                    progress: Progress | None = None) -> RenderResult:
    """The scripts at PATHS (files or folders) as one bulletin at OUT (.wav, .flac or .mp3);
    PROGRESS is told (texts voiced, texts) as the speech is made."""
    renderer = Renderer(station)
    renderer.progress = progress
    return renderer.render(load_scripts(paths, station.topics), out, mp3=mp3)


@dataclass(frozen=True)
class WeekRender:
    start: dt.date                   # Monday
    end: dt.date                     # the next Monday
    programs: list[RenderedProgram]
    hidden: tuple[InputError, ...]   # scripts left out (their errors): a bad script hides itself, not the week


def render_week(station: Station, spec: str | None, today: dt.date, progress: Progress | None = None) -> WeekRender:
    """Every program the schedule airs in the week (cache reused)."""
    start, end = week.week_window(spec, today)
    plan = week.load(station)
    return WeekRender(start, end, programs.render_week(station, start, end, progress, plan), tuple(plan.hidden))


def write_jingles(station: Station, folder: Path | None = None) -> list[Path]:
    """The project's own intro, outro, separator and bed, into FOLDER (default audio/jingles)."""
    return write_all(folder or station.root / "audio" / "jingles", station.mix.sample_rate)
