"""Edits made in two places (two tabs, two officers, the console and a text editor): each form
carries the version it was based on (a hash of the file as loaded); a save based on an older
version is refused with who changed the file, when, and the text now there, so nothing anyone
wrote is silently overwritten. The check and the write happen under one lock on the station."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
from pathlib import Path

from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.present import moment
from broadcast.service.users import audit_log
from broadcast.station.settings import Station


def version_of(text: str) -> str:
    """The version of a file whose text (read as UTF-8) is TEXT."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def file_version(path: Path) -> str:
    """The version of the file at PATH; "" when there is none."""
    try:
        return version_of(path.read_text("utf-8-sig"))
    except FileNotFoundError:
        return ""


class StaleEdit(BroadcastError):
    """A save based on an older version than the file's."""

    def __init__(self, changed_by: str | None, changed_at, theirs: str, version: str):
        who = changed_by or _("someone (outside the console)")
        when = moment(changed_at) if changed_at else _("an unknown time")
        super().__init__(_("{who} changed this at {time}, after you opened it: your changes are not saved yet").format(
                             who=who, time=when),
                         _("compare the two versions below, put what should stay into yours, then save again"))
        self.changed_by, self.changed_at = changed_by, changed_at
        self.theirs = theirs              # the text now in the file
        self.version = version            # its version: a save based on it goes through


@contextlib.contextmanager
def editing(station: Station):
    """Hold the station's edit lock (one save at a time, across processes)."""
    lock = station.root / ".edit.lock"
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check(station: Station, path: Path, based_on: str | None, action: str, target: str, theirs=None) -> None:
    """Raise StaleEdit unless the file at PATH is still at version BASED_ON (None: no check).
    ACTION/TARGET find the last change in the audit log; THEIRS(text) -> what to show of the file."""
    if based_on is None:
        return
    now_version = file_version(path)
    if now_version == based_on:
        return
    text = path.read_text("utf-8-sig") if path.exists() else ""
    last = next((row for row in audit_log(station, action=action, limit=500) if row.target == target), None)
    changed = dt.datetime.fromtimestamp(path.stat().st_mtime, station.tz) if path.exists() else None
    if last is not None and (changed is None or last.at >= changed - dt.timedelta(seconds=1)):
        who, when = last.user, last.at.astimezone(station.tz)
    else:                                  # changed by hand, outside the console
        who, when = None, changed
    raise StaleEdit(who, when, theirs(text) if theirs else text, now_version)
