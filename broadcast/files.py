"""Files written whole or not at all: a temporary file in the target folder, renamed into
place. The daemon, the CLI and the console share the station folder, so no reader ever
sees half a file. A write the disk refuses for want of room is a DiskFullError naming the
folder and its free space."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from broadcast.errors import DiskFullError
from broadcast.i18n import _

FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
FFMPEG_FULL = "No space left on device"          # ffmpeg's words for ENOSPC in its stderr tail


def disk_full(folder: Path) -> DiskFullError:
    """The error for a write refused by a full disk at FOLDER."""
    return DiskFullError(_("the disk is full: {folder} has {free} free").format(folder=folder, free=free_text(folder)),
                         _("free some room (old bulletins in out/; cache/ may be deleted, it is made again), "
                           "then try again"))


def free_text(folder: Path) -> str:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return "?"
    for unit, size in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("kB", 1024)):
        if free >= size:
            return f"{free / size:.1f} {unit}"
    return _("{count} bytes").format(count=free)


def refused_for_room(exc: BaseException) -> bool:
    """A write failed because the disk (or the user's quota) is full."""
    if isinstance(exc, OSError):
        return exc.errno in FULL_ERRNOS
    return FFMPEG_FULL in str(exc)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside TARGET; rename it over TARGET only on success."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part" + target.suffix, dir=target.parent)
    except OSError as exc:
        if refused_for_room(exc):
            raise disk_full(target.parent) from exc
        raise
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if not isinstance(exc, DiskFullError) and refused_for_room(exc):
            raise disk_full(target.parent) from exc
        raise


def copy_atomic(source: Path, target: Path) -> None:
    """Put a copy of SOURCE at TARGET atomically. A copy, never a hard link: the officer's output
    files and the cache stay independent (editing or deleting one never changes the other)."""
    with atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)
