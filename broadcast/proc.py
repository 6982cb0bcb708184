"""The one helper through which every external process is run."""

from __future__ import annotations

import subprocess
from functools import lru_cache
from subprocess import PIPE  # noqa: F401  (re-exported for callers of spawn)

from broadcast.errors import AudioError


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """The ffmpeg binary shipped by the imageio-ffmpeg wheel."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def run(args: list[str], *, input: bytes | None = None, timeout: float | None = None,
        what: str = "command") -> subprocess.CompletedProcess:
    """Run a process to completion; raise AudioError with its stderr tail on failure."""
    try:
        done = subprocess.run(args, input=input, capture_output=True, timeout=timeout)
    except FileNotFoundError as exc:
        raise AudioError(f"{what}: {args[0]} not found", "reinstall with the README's setup command") from exc
    except subprocess.TimeoutExpired as exc:
        raise AudioError(f"{what}: no answer after {timeout} s") from exc
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise AudioError(f"{what} failed (exit {done.returncode}): {' | '.join(tail)}")
    return done


def spawn(args: list[str], **kwargs) -> subprocess.Popen:
    """Start a long-running process (encoder pipe, player)."""
    return subprocess.Popen(args, **kwargs)


def ffmpeg(args: list[str], *, input: bytes | None = None, timeout: float | None = None,
           what: str = "ffmpeg") -> subprocess.CompletedProcess:
    return run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", *args],
               input=input, timeout=timeout, what=what)
