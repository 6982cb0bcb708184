"""A disk whose every fsync takes 2.5 s, for the real daemon: an LD_PRELOAD library built with the
system's C compiler (setup.sh --test installs gcc)."""

import subprocess
from pathlib import Path

SOURCE = Path(__file__).with_name("data") / "slowfsync.c"


def slow_fsync_env(folder: Path, ms: int = 2500) -> dict[str, str]:
    """The environment that makes a process's fsync and fdatasync wait MS milliseconds each."""
    library = folder / "slowfsync.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", str(library), str(SOURCE), "-ldl"], check=True)
    return {"LD_PRELOAD": str(library), "SLOW_FSYNC_MS": str(ms)}
