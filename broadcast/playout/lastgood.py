"""The last schedule the daemon accepted, kept on disk beside the station's own files.

A typo saved while the daemon is down (or a file half-copied from a USB stick) must not
silence the station at its next start: the daemon starts from this copy, airs what it can
and raises an alert until the schedule is fixed. Scripts need no copy: a bad script only
hides itself (`week.load`).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from broadcast.schedule import week
from broadcast.schedule.weekly import Schedule, schedule_paths
from broadcast.station.settings import Station

log = logging.getLogger("broadcast.daemon")


def folder(station: Station) -> Path:
    return station.root / "last-good" / "schedules"


def keep(station: Station, schedule: Schedule) -> None:
    """Copy the schedule files just accepted (swapped in whole: a crash leaves the old copy or the new)."""
    target = folder(station)
    if _same(target, schedule.paths):     # reloads for a script or the queue leave the copy as it is
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".schedules.", dir=target.parent))
    try:
        for path in schedule.paths:
            shutil.copy2(path, fresh / path.name)
            with open(fresh / path.name, "rb") as f:
                os.fsync(f.fileno())
        old = target.with_name(".schedules.old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(fresh, target)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        log.error("the last good schedule could not be kept in %s: %s", target, exc)


def _same(target: Path, paths) -> bool:
    try:
        kept = {p.name: p.read_bytes() for p in schedule_paths(target)}
        return kept == {p.name: p.read_bytes() for p in paths}
    except OSError:
        return False


def load(station: Station) -> week.StationPlan | None:
    """The plan from the last good schedule, or None if there is none (a station never started)."""
    if not schedule_paths(folder(station)):
        return None
    return week.load(station, folder(station))
