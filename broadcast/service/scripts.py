"""News items (tin bài) as the officer handles them: list, read, save, delete, lint, history.

A script is a Markdown file in scripts/; it stays the source of truth, editable by hand.
Every save is atomic and keeps the previous version in history/scripts/<id>/, so nothing
the officer wrote is ever lost, and a delete is a move into that history.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from broadcast.errors import InputError
from broadcast.files import atomic_path
from broadcast.i18n import _
from broadcast.news.lint import check_news, validity_warnings
from broadcast.news.scripts import (
    LANGUAGES,
    OPEN_ENDED,
    PRIORITIES,
    Approval,
    CheckResult,
    NewsItem,
    Review,
    Source,
    check_scripts,
    parse_text,
)
from broadcast.service import conflicts
from broadcast.service.users import log_action
from broadcast.station.settings import Station

HISTORY = Path("history") / "scripts"


@dataclass(frozen=True)
class Draft:
    """What the officer writes: the front matter fields and the body."""

    id: str
    title: str
    topic: str
    valid_from: dt.date
    valid_until: dt.date
    body: str
    priority: str = "normal"
    voice: str | None = None
    engine: str | None = None
    written_by: str | None = None
    review: Review | None = None
    approved: Approval | None = None
    audio: str | None = None         # a recording aired instead of the text (path in the station folder)
    source: Source | None = None     # imported from a document (kept across edits)
    language: str | None = None      # an ethnic-minority language (aired from a recording only)
    province: str | None = None      # the province bulletin it came from (never chosen by a rule)

    @classmethod
    def from_item(cls, item: NewsItem) -> "Draft":
        """The item as the officer edits it: the body exactly as written in its file."""
        body = "\n".join(item.path.read_text("utf-8-sig").splitlines()[item.body_line - 1:]).strip()
        return cls(item.id, item.title, item.topic, item.valid_from, item.valid_until, body,
                   item.priority, item.voice, item.engine, item.written_by, item.review, item.approved, item.audio,
                   item.source, item.language, item.province)


@dataclass(frozen=True)
class Script:
    item: NewsItem
    text: str                      # the file as it is on disk

    @property
    def version(self) -> str:
        """What an edit of it is based on (see conflicts)."""
        return conflicts.version_of(self.text)


@dataclass(frozen=True)
class Version:
    path: Path
    saved: dt.datetime             # when it was replaced (UTC)
    deleted: bool


def list_scripts(station: Station) -> CheckResult:
    """Every script with the problems and warnings of the ones that are not right."""
    return check_news(station, [station.scripts_dir])


def lint_scripts(station: Station, paths: list[Path] | None = None, today: dt.date | None = None) -> CheckResult:
    """Problems and warnings of the scripts; with TODAY, also the items expired or expiring soon."""
    result = check_news(station, paths or [station.scripts_dir])
    if today is not None:
        result = replace(result, warnings=result.warnings + validity_warnings(result.items, today))
    return result


def find(station: Station, script_id: str) -> NewsItem:
    for item in check_scripts([station.scripts_dir], station.topics).items:
        if item.id == script_id:
            return item
    raise InputError(station.scripts_dir, None, "id", _("no news item {id!r}").format(id=script_id),
                     _("see the list on the Tin bài page or with 'broadcast items list'"))


def new_id(title: str, taken: set[str]) -> str:
    """An item id from TITLE (lowercase, no accents), not one of TAKEN."""
    plain = unicodedata.normalize("NFD", title.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-") or "tin"
    item_id, n = base, 2
    while item_id in taken:
        item_id, n = f"{base}-{n}", n + 1
    return item_id


def read_script(station: Station, script_id: str) -> Script:
    item = find(station, script_id)
    return Script(item, item.path.read_text("utf-8-sig"))


def to_markdown(draft: Draft) -> str:
    fields = {"id": draft.id, "title": draft.title, "topic": draft.topic,
              "valid_from": draft.valid_from,
              "valid_until": None if draft.valid_until == OPEN_ENDED else draft.valid_until,
              "priority": draft.priority, "voice": draft.voice, "engine": draft.engine,
              "written_by": draft.written_by, "audio": draft.audio, "language": draft.language,
              "province": draft.province,
              "review": {k: v for k, v in draft.review.__dict__.items() if v is not None} if draft.review else None,
              "approved": dict(draft.approved.__dict__) if draft.approved else None,
              "source": _source_fields(draft.source)}
    front = yaml.safe_dump({k: v for k, v in fields.items() if v is not None}, allow_unicode=True,
                           sort_keys=False, default_flow_style=False, width=1000)
    body = "\n".join(line.rstrip() for line in draft.body.strip().replace("\r\n", "\n").splitlines())
    return f"---\n{front}---\n{body}\n"


def _source_fields(source: Source | None) -> dict | None:
    if source is None:
        return None
    return {"file": source.file, "pages": list(source.pages), "scanned": source.scanned,
            "to_check": list(source.to_check), "reviewed": source.reviewed}


def _stamp() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def _keep(station: Station, script_id: str, path: Path, suffix: str = "") -> None:
    """Copy PATH into the script's history (atomic), before it is replaced or deleted."""
    target = station.root / HISTORY / script_id / f"{_stamp()}{suffix}.md"
    with atomic_path(target) as tmp:
        tmp.write_bytes(path.read_bytes())


def save_script(station: Station, draft: Draft, by: str | None = None, now: dt.datetime | None = None,
                based_on: str | None = None) -> NewsItem:
    """Validate DRAFT (written by BY) and write it atomically; the previous version goes to
    history, the change to the audit log. Its review and approval stay: an approval of other
    content no longer counts. NOW defaults to the station's clock. BASED_ON: the version of the
    file the edit started from ("" for a new item); an older one raises conflicts.StaleEdit."""
    with conflicts.editing(station):
        return _save_script(station, draft, by, now, based_on)


def body_of(text: str) -> str:
    """The body of a script file's TEXT (after its front matter), as the officer edits it."""
    parts = text.split("---\n", 2)
    return (parts[2] if text.startswith("---") and len(parts) == 3 else text).strip()


def _save_script(station: Station, draft: Draft, by: str | None, now: dt.datetime | None,
                 based_on: str | None) -> NewsItem:
    existing = {i.id: i for i in check_scripts([station.scripts_dir], station.topics).items}
    old = existing.get(draft.id)
    target = old.path if old else station.scripts_dir / f"{draft.id}.md"
    now_text = target.read_text("utf-8-sig") if target.exists() else ""
    conflicts.check(station, based_on, now_text, "item.save", draft.id, body_of(now_text), target)
    if old is not None:
        draft = replace(draft, review=old.review, approved=old.approved, written_by=by or old.written_by,
                        audio=draft.audio or old.audio, source=draft.source or old.source)        # the form edits the text, not the recording
    elif by:
        draft = replace(draft, written_by=by)
    saved = write_draft(station, draft, target)
    log_action(station, now or dt.datetime.now(station.tz), by, "item.save", saved.id, saved.approval_hash)
    return saved


def write_draft(station: Station, draft: Draft, target: Path) -> NewsItem:
    """DRAFT, checked, atomically at TARGET, the file it replaces kept in history."""
    text = to_markdown(draft)
    item = parse_text(text, target, station.topics)
    if target.exists():
        if target.read_text("utf-8-sig") == text:
            return item
        _keep(station, draft.id, target)
    with atomic_path(target) as tmp:
        tmp.write_text(text, "utf-8")
    return item


def delete_script(station: Station, script_id: str, by: str | None = None, now: dt.datetime | None = None) -> Path:
    """Take the item off the air: its file moves into history (it can be restored from there)."""
    item = find(station, script_id)
    _keep(station, script_id, item.path, "-deleted")
    os.unlink(item.path)
    log_action(station, now or dt.datetime.now(station.tz), by, "item.delete", script_id)
    return item.path


def history(station: Station, script_id: str) -> list[Version]:
    """Earlier versions, newest first."""
    folder = station.root / HISTORY / script_id
    versions = []
    for path in sorted(folder.glob("*.md"), reverse=True):
        stamp = path.stem.removesuffix("-deleted")
        saved = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.timezone.utc)
        versions.append(Version(path, saved, path.stem.endswith("-deleted")))
    return versions
