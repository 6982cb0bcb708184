"""Nhập văn bản: a document (.docx, PDF, scan, photo) read into proposed news items, and the
ones the officer keeps saved as drafts (Nháp). Each import is a job folder in the cache (the file,
the page images of a scan, its state), so a long OCR runs in a worker while the page polls it."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import shutil
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from broadcast.errors import BroadcastError, InputError
from broadcast.files import atomic_path
from broadcast.i18n import _
from broadcast.intake.limits import MAX_BYTES
from broadcast.intake.propose import proposals as propose
from broadcast.intake.read import read_document
from broadcast.intake.records import Proposal
from broadcast.news.scripts import NewsItem, Source, parse_text
from broadcast.service.scripts import OPEN_ENDED, Draft, list_scripts, new_id, to_markdown, write_draft
from broadcast.service.users import log_action
from broadcast.station.settings import Station

JOBS = "imports"
KEEP_DAYS = 7
TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
VIEW_WIDTH = 1000             # page images shown beside the text


@dataclass(frozen=True)
class Job:
    token: str
    name: str                          # the file's name as given
    stage: str                         # waiting | reading | done | failed
    done: int = 0                      # pages read so far (OCR)
    total: int = 0
    kind: str = ""                     # docx | pdf | scan
    pages: int = 0
    title: str = ""
    proposals: tuple[Proposal, ...] = ()
    images: tuple[str, ...] = ()       # page image files in the job folder (a scan)
    message: str = ""                  # why it failed, and what to do
    hint: str = ""


def jobs_dir(station: Station) -> Path:
    return station.cache_dir / JOBS


def folder(station: Station, token: str) -> Path:
    if not token or set(token) - TOKEN_CHARS or len(token) > 40:
        raise InputError(_("import"), None, None, _("no such import"), _("import the file again"))
    return jobs_dir(station) / token


def start(station: Station, data: bytes, name: str) -> Job:
    """A new job with DATA saved as its source file (nothing read yet)."""
    _forget_old(station)
    token = secrets.token_urlsafe(12)
    where = folder(station, token)
    where.mkdir(parents=True)
    (where / "source").write_bytes(data)
    job = Job(token, Path(name).name or "van-ban", "waiting")
    _write(where, job)
    return job


def job(station: Station, token: str) -> Job:
    where = folder(station, token)
    try:
        raw = json.loads((where / "job.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(_("import"), None, None, _("no such import"), _("import the file again")) from exc
    raw["proposals"] = tuple(Proposal(**{k: tuple(v) if isinstance(v, list) else v for k, v in p.items()})
                             for p in raw.get("proposals", ()))
    raw["images"] = tuple(raw.get("images", ()))
    return Job(**raw)


def read(station: Station, token: str) -> Job:
    """Read the job's file into proposals (in a worker: OCR takes seconds a page). A failure is
    kept in the job as its message, never half a result."""
    where = folder(station, token)
    current = job(station, token)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 0.3 or done == total:
            last[0] = time.monotonic()
            _write(where, replace(current, stage="reading", done=done, total=total))

    _write(where, replace(current, stage="reading"))
    pages = where / "pages"
    shutil.rmtree(pages, ignore_errors=True)
    pages.mkdir()
    try:
        document = read_document(where / "source", pages, current.name, progress)
        found = tuple(propose(document, station.topics))
        images = _view_images(pages) if document.scanned else ()
    except BroadcastError as exc:
        failed = replace(current, stage="failed", message=exc.message, hint=exc.hint or "")
        _write(where, failed)
        return failed
    done = replace(current, stage="done", kind=document.kind, pages=document.pages, title=document.title,
                   proposals=found, images=images, done=document.pages, total=document.pages)
    _write(where, done)
    return done


def give_up(station: Station, token: str) -> Job:
    """The worker died while reading (killed, out of memory): the job says so, never 'reading' forever."""
    failed = replace(job(station, token), stage="failed", message=_("the document could not be read to the end"),
                     hint=_("import it again; if it fails again, import the pages in parts"))
    _write(folder(station, token), failed)
    return failed


def save(station: Station, token: str, chosen: list[Proposal], by: str | None, now: dt.datetime,
         checked: list[tuple[int, ...]] | None = None, reviewed: bool = True) -> list[NewsItem]:
    """The proposals the officer kept, as draft items. CHECKED: for each, the marked paragraphs she
    has looked at (1-based); the others stay to check before the item can go for approval.
    REVIEWED: she has read them (the console); from the command line nobody has yet."""
    found = job(station, token)
    existing = {i.id for i in list_scripts(station).items}
    today = now.date()
    drafts = []
    for index, proposal in enumerate(chosen):
        item_id = new_id(proposal.title, existing)
        existing.add(item_id)
        looked = set(checked[index]) if checked else set()
        source = Source(found.name, proposal.pages, proposal.scanned,
                        tuple(n + 1 for n in proposal.marked if n + 1 not in looked), reviewed)
        drafts.append(Draft(item_id, proposal.title, proposal.topic, today, OPEN_ENDED, proposal.body,
                            written_by=by, source=source))
    for draft in drafts:              # all checked before any is written: nothing half-imported
        parse_text(to_markdown(draft), station.scripts_dir / f"{draft.id}.md", station.topics)
    saved = []
    for draft in drafts:
        saved.append(write_draft(station, draft, station.scripts_dir / f"{draft.id}.md"))
        log_action(station, now, by, "item.import", draft.id, found.name)
    return saved


@dataclass(frozen=True)
class Choice:
    """What the officer decided for one proposal on the page."""

    keep: bool
    merge_up: bool                     # joined to the kept proposal before it
    title: str
    topic: str
    body: str
    looked_at: tuple[int, ...] = ()    # marked paragraphs (0-based) she compared with the page


def save_choices(station: Station, token: str, choices: list[Choice], by: str | None, now: dt.datetime) -> list[NewsItem]:
    """The proposals as edited, kept, merged or dropped on the page, saved as drafts she has read.
    A marked paragraph she did not tick stays to check, unless she rewrote it."""
    found = job(station, token)
    if len(choices) != len(found.proposals):
        raise InputError(_("import"), None, None, _("the page is out of date"), _("import the file again"))
    kept: list[tuple[Proposal, set[str]]] = []
    for original, choice in zip(found.proposals, choices):
        if not choice.keep:
            continue
        edited = replace(original, title=choice.title.strip() or original.title, topic=choice.topic,
                         paragraphs=tuple(p.strip() for p in choice.body.replace("\r\n", "\n").split("\n\n") if p.strip()))
        unchecked = {original.paragraphs[n] for n in original.marked if n not in choice.looked_at}
        if choice.merge_up and kept:
            before, left = kept[-1]
            edited = replace(before, paragraphs=before.paragraphs + edited.paragraphs,
                             pages=tuple(sorted(set(before.pages) | set(edited.pages))),
                             flagged=before.flagged + edited.flagged)
            kept[-1] = (edited, left | unchecked)
        else:
            kept.append((edited, unchecked))
    final = [replace(p, marked=tuple(i for i, text in enumerate(p.paragraphs) if text in left)) for p, left in kept]
    return save(station, token, final, by, now)


def looked_over(source: Source, old: tuple[str, ...], body: str, ticked: set[int]) -> Source:
    """SOURCE once the officer saved the item from its page: she has read it; a paragraph to check
    that she ticked (1-based) or rewrote is done; the rest keep their place in the new BODY."""
    new = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    left = []
    for number in source.to_check:
        text = old[number - 1] if 0 < number <= len(old) else None
        if number not in ticked and text in new:
            left.append(new.index(text) + 1)
    return replace(source, reviewed=True, to_check=tuple(sorted(set(left))))


def import_file(station: Station, path: Path, by: str | None, now: dt.datetime, progress=None) -> tuple[Job, list[NewsItem]]:
    """The command line's import: read PATH and write every proposal as a draft, to be read in
    the console before it can air."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, None, None, _("the file cannot be read"), _("check the file's name and folder")) from exc
    started = start(station, data, path.name)
    where = folder(station, started.token)
    try:
        done = _read_with_progress(station, started.token, progress)
        if done.stage == "failed":
            raise InputError(path, None, None, done.message, done.hint)
        return done, save(station, started.token, list(done.proposals), by, now, reviewed=False)
    finally:
        shutil.rmtree(where, ignore_errors=True)


def _read_with_progress(station: Station, token: str, progress) -> Job:
    if progress is None:
        return read(station, token)
    import threading

    result: list[Job] = []
    worker = threading.Thread(target=lambda: result.append(read(station, token)), daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.5)
        state = job(station, token)
        if state.stage == "reading" and state.total:
            progress(state.done, state.total)
    return result[0]


def image(station: Station, token: str, name: str) -> Path:
    """A page image of the job, confined to its folder."""
    where = folder(station, token)
    if name not in job(station, token).images:
        raise InputError(_("import"), None, None, _("no such page image"), _("import the file again"))
    return where / "pages" / name


def _view_images(pages: Path) -> tuple[str, ...]:
    """Each page as a smaller PNG for the screen (the 300 dpi originals are for OCR)."""
    from PIL import Image

    names = []
    for original in sorted(pages.glob("page-*"), key=lambda p: _number(p)):
        if "-level" in original.stem or original.stem.startswith("view"):
            continue
        target = pages / f"view-{_number(original)}.png"
        with Image.open(original) as page:
            page = page.convert("L")
            page.thumbnail((VIEW_WIDTH, VIEW_WIDTH * 2))
            page.save(target)
        names.append(target.name)
    return tuple(names)


def _number(path: Path) -> int:
    digits = "".join(ch for ch in path.stem.split("-")[1] if ch.isdigit())
    return int(digits or 0)


def _write(where: Path, job_state: Job) -> None:
    with atomic_path(where / "job.json") as tmp:
        tmp.write_text(json.dumps(asdict(job_state), ensure_ascii=False), "utf-8")


def _forget_old(station: Station) -> None:
    cutoff = time.time() - KEEP_DAYS * 86400
    for old in jobs_dir(station).glob("*") if jobs_dir(station).is_dir() else ():
        if old.is_dir() and old.stat().st_mtime < cutoff:
            shutil.rmtree(old, ignore_errors=True)
