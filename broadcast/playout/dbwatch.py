"""station.db deleted under the running daemon (a tidy-up, `rm station.db*`, a sync tool): the
daemon's open connection still reads the deleted file, so within a tick its whole content (as-run
rows written since, queue, users) is written back under the station.db name, and the alert says so.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

from broadcast.station import db

log = logging.getLogger("broadcast.daemon")
KEPT = ("asrun", "queue", "users")


def identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of PATH, or None if there is no file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _rows(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in KEPT}


def copy_out(old: sqlite3.Connection, path: Path) -> Path:
    """The database OLD reads (a deleted file, WAL included) copied into a new file beside PATH."""
    tmp = path.with_name(path.name + ".restoring")
    tmp.unlink(missing_ok=True)
    target = sqlite3.connect(tmp)
    try:
        old.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    return tmp


def put_back(tmp: Path, path: Path) -> dict[str, int] | None:
    """TMP under PATH's name (the daemon's own connections are closed). If another process already
    made a new, empty station.db there, TMP's content is written into it (its connections stay
    coherent); a station.db with rows of its own (a backup put back on purpose) is kept: None."""
    if not path.exists():
        for side in ("-wal", "-shm", "-journal"):      # the deleted file's: never to be read with the new one
            path.with_name(path.name + side).unlink(missing_ok=True)
        os.replace(tmp, path)
        _sync_folder(path.parent)
        with sqlite3.connect(path) as conn:
            return _rows(conn)
    source = sqlite3.connect(tmp)
    try:
        dest = db.connect(path)
        try:
            if any(_rows(dest).values()):
                log.error("station.db was replaced by a file with rows of its own while the daemon ran; it is kept "
                          "and the daemon writes into it")
                return None
            source.backup(dest)
            return _rows(dest)
        finally:
            dest.close()
    finally:
        source.close()
        tmp.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
