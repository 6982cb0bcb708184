"""An item's history as the officer reads it: each version's text, who saved it and when, the
words it changed from the version before, and "Khôi phục" to make an old version current again
(a save like any other: the replaced version goes into the history too, nothing is lost)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from broadcast.errors import BroadcastError, InputError
from broadcast.i18n import _
from broadcast.news.scripts import NewsItem, parse_text
from broadcast.present import word_diff
from broadcast.service.scripts import HISTORY, Draft, body_of, history, save_script
from broadcast.service.users import audit_log
from broadcast.station.settings import Station


@dataclass(frozen=True)
class ItemVersion:
    name: str                        # the history file's name; "" for the current version
    title: str
    body: str
    by: str | None                   # who saved it (its written_by)
    at: dt.datetime | None           # when it was saved, in the station's zone (None: not known)
    deleted: bool                    # the item was deleted while this version was current
    changes: list[tuple[str, str]]   # present.word_diff from the version before; [] for the first
    same_text: bool = False          # the text is the version before's (its state or details changed)


def item_versions(station: Station, script_id: str) -> list[ItemVersion]:
    """The current version (if the item exists) and every earlier one, newest first."""
    older = list(reversed(history(station, script_id)))          # oldest first
    current = station.scripts_dir / f"{script_id}.md"
    found = [(v.path.name, v.path.read_text("utf-8-sig"), v.deleted) for v in older]
    if current.exists():
        found.append(("", current.read_text("utf-8-sig"), False))
    out, before = [], None
    for n, (name, text, deleted) in enumerate(found):
        fields = _fields(text, station, script_id)
        if n == 0:                     # the first version: when the console first saved it, if it did
            at = _first_save(station, script_id)
        elif name:
            at = older[n - 1].saved.astimezone(station.tz)        # it became current when the one before left
        else:
            at = dt.datetime.fromtimestamp(current.stat().st_mtime, station.tz)
        body = body_of(text)
        out.append(ItemVersion(name, fields.title if fields else "", body, fields.written_by if fields else None,
                               at, deleted, word_diff(before, body) if before is not None else [],
                               before is not None and before == body))
        before = body
    return list(reversed(out))


def restore_version(station: Station, script_id: str, name: str, by: str | None, now: dt.datetime) -> NewsItem:
    """Make the history version NAME of SCRIPT_ID current again (saved by BY; the version it
    replaces goes into the history)."""
    path = station.root / HISTORY / script_id / name
    if "/" in name or not name.endswith(".md") or not path.is_file():
        raise InputError(path, None, "version", _("no such version of the item"),
                         _("open the item's history again and choose a version"))
    item = parse_text(path.read_text("utf-8-sig"), path, station.topics)
    return save_script(station, Draft.from_item(item), by, now)


def _first_save(station: Station, script_id: str) -> dt.datetime | None:
    saves = [row.at for row in audit_log(station, action="item.save", limit=10_000) if row.target == script_id]
    return min(saves).astimezone(station.tz) if saves else None


def _fields(text: str, station: Station, script_id: str) -> NewsItem | None:
    try:
        return parse_text(text, station.scripts_dir / f"{script_id}.md", station.topics)
    except BroadcastError:           # an old version that no longer reads: its text is still shown
        return None
