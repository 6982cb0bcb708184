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

HAND_EDIT_AFTER = dt.timedelta(seconds=5)    # a file newer than its last console save by more: edited by hand


def version_of(text: str) -> str:
    """The version of a file whose text (read as UTF-8) is TEXT; "" for no file (or an empty one)."""
    if not text:
        return ""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def lines_of(pairs) -> str:
    """(label, value) pairs as the lines "label: value" (what a values form edits, as text)."""
    return "\n".join(f"{label}: {value}" for label, value in pairs)


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


def check(station: Station, based_on: str | None, now_text: str, action: str, target: str,
          shown: str | None = None, path: Path | None = None) -> None:
    """Raise StaleEdit unless what is there now (NOW_TEXT: a file's text, or the values a form edits,
    one per line) is still at version BASED_ON (None: no check). ACTION/TARGET find the last change
    in the audit log; PATH's time tells a change made by hand; SHOWN: what to show of NOW_TEXT."""
    if based_on is None or version_of(now_text) == based_on:
        return
    last = next((row for row in audit_log(station, action=action, limit=500) if row.target == target), None)
    changed = dt.datetime.fromtimestamp(path.stat().st_mtime, station.tz) if path and path.exists() else None
    if last is not None and (changed is None or last.at >= changed - HAND_EDIT_AFTER):
        who, when = last.user, last.at.astimezone(station.tz)
    else:                                  # changed by hand, outside the console
        who, when = None, changed
    raise StaleEdit(who, when, now_text if shown is None else shown, version_of(now_text))
