"""The one helper through which every external process is run."""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from subprocess import DEVNULL, PIPE, TimeoutExpired

__all__ = ["DEVNULL", "PIPE", "TimeoutExpired", "ffmpeg", "ffmpeg_exe", "run", "spawn"]   # PIPE etc. for callers of spawn

from broadcast.errors import AudioError
from broadcast.i18n import N_, _

REINSTALL = N_("run the README's set-up command again (./setup.sh)")


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """The ffmpeg binary shipped by the imageio-ffmpeg wheel."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def run(args: list[str], *, input: bytes | None = None, timeout: float | None = None,
        what: str = "command", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a process to completion; raise AudioError with its stderr tail on failure."""
    try:
        done = subprocess.run(args, input=input, capture_output=True, timeout=timeout, env=env)
    except FileNotFoundError as exc:
        raise AudioError(_("{what}: program {name} not found").format(what=what, name=args[0]), _(REINSTALL)) from exc
    except subprocess.TimeoutExpired as exc:
        raise AudioError(_("{what}: no answer after {seconds} s").format(what=what, seconds=timeout)) from exc
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise AudioError(_("{what} failed (exit code {code}): {tail}").format(
            what=what, code=done.returncode, tail=" | ".join(tail)))
    return done


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a worker process, first thing (after its start, never between fork and exec): get
    SIGKILL when PARENT dies, so a killed command or daemon leaves no worker behind. Linux ties
    this to the parent's thread that started the worker: start workers from long-lived threads."""
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:        # the parent died before we asked
        os._exit(1)


@lru_cache(maxsize=1)
def _setpriv() -> str | None:
    return shutil.which("setpriv")


def spawn(args: list[str], die_with_parent: bool = False, **kwargs) -> subprocess.Popen:
    """Start a long-running process (encoder pipe, player). DIE_WITH_PARENT: util-linux's setpriv
    sets PR_SET_PDEATHSIG and execs it (no Python runs between fork and exec in a threaded daemon),
    so a killed daemon leaves no player sounding on its own."""
    if die_with_parent and _setpriv():
        args = [_setpriv(), "--pdeathsig", "KILL", "--", *args]
    try:
        return subprocess.Popen(args, **kwargs)
    except FileNotFoundError as exc:
        raise AudioError(_("program {name} not found").format(name=args[0]), _(REINSTALL)) from exc



def ffmpeg_header(path, timeout: float = 30.0) -> str:
    """What ffmpeg says of a file's header (`ffmpeg -i FILE` with no output: nothing is decoded)."""
    try:
        done = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)], capture_output=True,
                              timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stderr.decode("utf-8", "replace")


def ffmpeg(args: list[str], *, input: bytes | None = None, timeout: float | None = None,
           what: str = "ffmpeg") -> subprocess.CompletedProcess:
    return run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", *args],
               input=input, timeout=timeout, what=what)
