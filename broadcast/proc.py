"""The one helper through which every external process is run."""

from __future__ import annotations

import subprocess
from functools import lru_cache
from subprocess import PIPE, TimeoutExpired

__all__ = ["PIPE", "TimeoutExpired", "ffmpeg", "ffmpeg_exe", "run", "spawn"]   # PIPE etc. for callers of spawn

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


def _die_with_parent() -> None:
    """In the child: get SIGKILL when the parent dies, so a killed daemon leaves no player
    sounding on its own (Linux prctl PR_SET_PDEATHSIG)."""
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def spawn(args: list[str], die_with_parent: bool = False, **kwargs) -> subprocess.Popen:
    """Start a long-running process (encoder pipe, player)."""
    try:
        return subprocess.Popen(args, preexec_fn=_die_with_parent if die_with_parent else None, **kwargs)
    except FileNotFoundError as exc:
        raise AudioError(_("program {name} not found").format(name=args[0]), _(REINSTALL)) from exc



def ffmpeg(args: list[str], *, input: bytes | None = None, timeout: float | None = None,
           what: str = "ffmpeg") -> subprocess.CompletedProcess:
    return run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", *args],
               input=input, timeout=timeout, what=what)
