"""A real full disk for tests: a small tmpfs mounted on a folder, filled to the last byte on
demand (root is needed to mount: the README's commands run as root)."""

import contextlib
import errno
import os
import subprocess
from pathlib import Path


class TinyDisk:
    def __init__(self, folder: Path, size: str):
        self.folder = Path(folder)
        self.size = size
        self.filler = self.folder / ".filler"

    def __enter__(self) -> "TinyDisk":
        self.folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.size}", "tmpfs", str(self.folder)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"mounting a tmpfs needs root (run the tests as the README says): {done.stderr}")
        return self

    def fill(self) -> None:
        """Write until the disk refuses: no byte is left."""
        with open(self.filler, "ab", buffering=0) as f:
            block = b"\0" * 65536
            while True:
                try:
                    f.write(block)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    if len(block) == 1:
                        break
                    block = block[: len(block) // 2]
        assert os.statvfs(self.folder).f_bavail == 0

    def free(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.filler.unlink()

    def __exit__(self, *exc) -> None:
        subprocess.run(["umount", "-l", str(self.folder)], check=True)
