"""`broadcast sync` as a child process beside the daemon (`broadcast run`) whenever the station is
linked: never a thread of the playing process, so the hub can never delay airtime; started again
if it dies, stopped with the daemon (and it stops itself if the daemon is killed)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from contextlib import contextmanager

from broadcast import proc
from broadcast.station.settings import Station

log = logging.getLogger("broadcast.link")
PARENT = "BROADCAST_SYNC_PARENT"     # the daemon's pid, in the child's environment
RESTART_AFTER = 5.0                  # seconds before a sync process that died is started again


def _sync_command(station: Station) -> list[str]:
    """The child's command line: the station folder only (the token stays in link.yaml)."""
    return [sys.executable, "-m", "broadcast", "--station", str(station.root), "sync"]


def _supervise(station: Station, stop: threading.Event) -> None:
    """Keep one `broadcast sync` process running while link.yaml exists; restart it if it dies."""
    child: subprocess.Popen | None = None
    try:
        while not stop.is_set():
            if child is not None and child.poll() is not None:
                log.warning("the sync with the province hub stopped (exit %s); started again in %.0f s",
                            child.returncode, RESTART_AFTER)
                child = None
                if stop.wait(RESTART_AFTER):
                    break
            linked = (station.root / "link.yaml").exists()
            if child is None and linked:
                child = proc.spawn(_sync_command(station), die_with_parent=True, stdin=subprocess.DEVNULL,
                                   start_new_session=True, env={**os.environ, PARENT: str(os.getpid())})
            elif child is not None and not linked:
                child.terminate()
                child.wait(10)
                child = None
            stop.wait(1.0)
    finally:
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


@contextmanager
def sync_beside(station: Station):
    """Within: a `broadcast sync` child process beside the daemon whenever the station is linked
    (never a thread of the playing process: the hub can never delay airtime); stopped on exit."""
    stop = threading.Event()
    watcher = threading.Thread(target=_supervise, args=(station, stop), name="sync supervisor", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join(15)
