"""Files written whole or not at all: a temporary file in the target folder, renamed into
place. The daemon, the CLI and the console share the station folder, so no reader ever
sees half a file."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside TARGET; rename it over TARGET only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part" + target.suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def copy_atomic(source: Path, target: Path) -> None:
    """Put a copy of SOURCE at TARGET atomically. A copy, never a hard link: the officer's output
    files and the cache stay independent (editing or deleting one never changes the other)."""
    with atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)

