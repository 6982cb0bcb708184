"""Tin bài: the list with search and filters, the editor (front matter as form fields, the body
as "Nội dung"), "Xem cách đọc", "Nghe thử", history with a diff, delete."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import secrets
import threading
import unicodedata
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)

from broadcast import service
from broadcast.errors import InputError, ScriptErrors
from broadcast.i18n import _
from broadcast.news.scripts import OPEN_ENDED, PRIORITIES, NewsItem
from broadcast.service.approval import LABELS as ITEM_LABELS
from broadcast.service.scripts import Draft
from broadcast.web import format as fmt
from broadcast.web import streaming
from broadcast.web.console import console
from broadcast.web.permissions import allowed

FIELDS = {"id": "id", "title": "title", "topic": "topic", "valid_from": "valid_from",
          "valid_until": "valid_until", "priority": "priority", "voice": "voice", "body": "body"}


@dataclass(frozen=True)
class ItemLine:
    id: str
    title: str
    topic: str
    valid: str
    status: str
    status_code: str
    priority: str
    warnings: int


def _matches(item: NewsItem, q: str, topic: str, status: str, day: dt.date | None, state: str) -> bool:
    text = f"{item.id} {item.title} {item.body}".casefold()
    return ((not q or q.casefold() in text) and (not topic or item.topic == topic)
            and (not status or state == status) and (day is None or item.valid_on(day)))


async def listing(request: Request) -> Response:
    c = console(request)
    p = request.query_params
    q, topic, status = p.get("q", "").strip(), p.get("chu-de", ""), p.get("trang-thai", "")
    day = fmt.query_date(p, "hieu-luc", _("Valid on"))
    result = await run_in_threadpool(service.scripts.list_scripts, c.station)
    warned: dict[str, int] = {}
    for w in result.warnings:
        warned[str(w.path)] = warned.get(str(w.path), 0) + 1
    topics = {t.code: t.label for t in c.station.topics}
    lines = []
    for item in sorted(result.items, key=lambda i: (i.valid_from, i.id), reverse=True):
        state = service.approval.status(c.station, item)
        if _matches(item, q, topic, status, day, state):
            lines.append(ItemLine(item.id, item.title, topics.get(item.topic, item.topic),
                                  fmt.validity(item.valid_from, item.valid_until),
                                  fmt.item_status(state), state, fmt.priority(item.priority),
                                  warned.get(str(item.path), 0)))
    return c.render(request, "items.html", lines=lines, total=len(result.items), problems=result.problems,
                    q=q, topic=topic, status=status, day=fmt.date(day),
                    topics=list(topics.items()), statuses=fmt.choices(ITEM_LABELS),
                    can_write=allowed(request.state.session.role, "write"))


def _slug(title: str) -> str:
    plain = unicodedata.normalize("NFD", title.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-") or "tin"


def _draft(form, item_id: str) -> tuple[Draft | None, dict[str, str]]:
    errors = {}
    dates = {}
    for key in ("valid_from", "valid_until"):
        dates[key] = fmt.parse_date(form.get(key))
        if dates[key] is None and (key == "valid_from" or str(form.get(key) or "").strip()):
            errors[key] = _("Not a date: type dd/mm/yyyy")
    dates["valid_until"] = dates["valid_until"] or OPEN_ENDED
    priority = str(form.get("priority", "normal"))
    if priority not in PRIORITIES:
        errors["priority"] = _("No such priority")
    if errors:
        return None, errors
    return Draft(id=item_id, title=str(form.get("title", "")).strip(), topic=str(form.get("topic", "")),
                 valid_from=dates["valid_from"], valid_until=dates["valid_until"], body=str(form.get("body", "")),
                 priority=priority, voice=str(form.get("voice") or "") or None), {}


def _field_errors(problems: list[InputError], body_line: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    for problem in problems:
        key = (problem.field or "").split(".")[0]
        key = FIELDS.get(key, "body" if problem.line and body_line and problem.line >= body_line else "form")
        message = problem.problem + (f" – {problem.hint}" if problem.hint else "")
        errors[key] = (errors[key] + "; " if key in errors else "") + message
    return errors


def _line_notes(c, item: NewsItem | None, text: str) -> tuple[list[str], list[tuple[int, str, str]]]:
    """Lint beside the body's lines (lost diacritics, a signature block), and the words with no
    reading (line, written, spelled), each with a one-step "read it as" form."""
    notes = []
    if item is not None:
        for w in service.scripts.lint_scripts(c.station, [item.path]).warnings:
            if w.field == _("body"):
                notes.append(_("Line {line}: {problem} – {hint}").format(line=w.line - item.body_line + 1, problem=w.problem, hint=w.hint))
    return notes, service.reading.unknown_words(c.station, text)


async def add_reading(request: Request) -> Response:
    """"Đọc là": the officer gives a word with no reading its reading, from the item she is writing."""
    c = console(request)
    item_id = request.path_params["item_id"]
    data = await request.form()
    item = (await run_in_threadpool(service.scripts.read_script, c.station, item_id)).item
    await run_in_threadpool(service.lexicon.add_entry, c.station, str(data.get("written", "")),
                            str(data.get("spoken", "")), "words", str(data.get("sample") or "") or None,
                            request.state.session.user, c.now())
    return RedirectResponse(f"/tin-bai/{item.id}?ok=cach-doc#doc-la", 303)


async def _form_page(request: Request, draft: Draft | None, item: NewsItem | None, *, errors=None,
                     reading=None, status_code: int = 200) -> Response:
    c = console(request)
    role = request.state.session.role
    engines = await run_in_threadpool(service.voices.list_voices, c.station)
    voices = [v for e in engines if e.available for v in e.voices]
    body = draft.body if draft else ""
    state = service.approval.status(c.station, item) if item else "draft"
    actions = []
    if item is not None and allowed(role, "write") and state == "draft":
        actions.append(("gui-duyet", _("Send for approval")))
    if item is not None and allowed(role, "approve") and state == "pending":
        actions.append(("duyet", _("Approve")))
    review = item.review if item else None
    return c.render(
        request, "item_form.html", status_code, item=item, draft=draft, errors=errors or {}, reading=reading,
        is_new=item is None, topics=[(t.code, t.label) for t in c.station.topics],
        priorities=fmt.choices(fmt.PRIORITY), voices=voices, state=fmt.item_status(state), state_code=state,
        actions=actions, can_return=item is not None and allowed(role, "approve") and state != "draft",
        can_write=allowed(role, "write"),
        valid_from=fmt.date(draft.valid_from) if draft else "",
        valid_until=fmt.date(draft.valid_until) if draft else "",
        returned=review.comment if review and review.comment else "",
        returned_by=review.by if review and review.comment else "",
        returned_label=_("Returned") if review and review.state == "returned" else _("To approve again"),
        approved=f"{item.approved.by}, {fmt.iso_moment(item.approved.at)}" if item and item.is_approved else "",
        **dict(zip(("notes", "unread"), await run_in_threadpool(_line_notes, c, item, body) if draft else ([], []))))


async def new(request: Request) -> Response:
    c = console(request)
    if request.method == "GET":
        today = c.now().date()
        draft = Draft("", "", "khac", today, dt.date(today.year, 12, 31), "")
        return await _form_page(request, draft, None)
    form = await request.form()
    title = str(form.get("title", "")).strip()
    existing = {i.id for i in (await run_in_threadpool(service.scripts.list_scripts, c.station)).items}
    base = _slug(str(form.get("id") or "") or title)
    item_id, n = base, 2
    while item_id in existing:
        item_id, n = f"{base}-{n}", n + 1
    return await _save(request, form, item_id, None)


async def edit(request: Request) -> Response:
    c = console(request)
    if request.method == "POST":
        if not allowed(request.state.session.role, "write"):
            return c.render(request, "error.html", 403, message=_("You may not edit news items"), hint="")
        item = (await run_in_threadpool(service.scripts.read_script, c.station, request.path_params["item_id"])).item
        return await _save(request, await request.form(), item.id, item)
    script = await run_in_threadpool(service.scripts.read_script, c.station, request.path_params["item_id"])
    return await _form_page(request, Draft.from_item(script.item), script.item)


async def _save(request: Request, form, item_id: str, item: NewsItem | None) -> Response:
    c = console(request)
    draft, errors = _draft(form, item_id)
    if form.get("action") == "preview" or errors:
        text = str(form.get("body", ""))
        reading = await run_in_threadpool(service.reading.preview_reading, c.station, text) if not errors else None
        shown = draft or Draft(item_id, str(form.get("title", "")), str(form.get("topic", "")), None, None, text)
        return await _form_page(request, shown, item, errors=errors, reading=reading,
                                status_code=400 if errors else 200)
    try:
        saved = await run_in_threadpool(service.scripts.save_script, c.station, draft, request.state.session.user,
                                        c.now())
    except ScriptErrors as exc:
        return await _form_page(request, draft, item, errors=_field_errors(exc.problems, None), status_code=400)
    return RedirectResponse(f"/tin-bai/{saved.id}?ok=luu", 303)


async def preview(request: Request) -> Response:
    """The reading of posted text as an HTML fragment (the editor's live "Xem cách đọc")."""
    c = console(request)
    form = await request.form()
    stop = threading.Event()
    job = asyncio.ensure_future(run_in_threadpool(service.reading.preview_reading, c.station,
                                                  str(form.get("body", "")), stop=stop))
    left = asyncio.ensure_future(streaming.client_left(request))
    await asyncio.wait((job, left), return_when=asyncio.FIRST_COMPLETED)
    if not job.done():                  # the reader left: stop the work (between paragraphs)
        stop.set()
        with contextlib.suppress(service.reading.Stopped):
            await job
        return Response(status_code=499)
    left.cancel()
    return c.render(request, "_reading.html", reading=job.result())


async def listen(request: Request) -> Response:
    """"Nghe thử": the finished file if nothing needs rendering, else the audio as it renders."""
    c = console(request)
    stream = c.station.cache_dir / "preview" / f".nghe-{secrets.token_hex(8)}.wav"
    stream.parent.mkdir(parents=True, exist_ok=True)
    job = asyncio.ensure_future(c.worker.run("listen_stream", c.station, request.path_params["item_id"], stream))
    if not await streaming.started(stream, job):
        return FileResponse(await job, media_type="audio/wav", headers={"cache-control": "no-cache"})
    return StreamingResponse(streaming.tail(stream, job), media_type="audio/wav", headers={"cache-control": "no-cache"})


@dataclass(frozen=True)
class VersionView:
    saved: str
    deleted: bool
    diff: list[tuple[str, str]]          # (css class, line)


async def history(request: Request) -> Response:
    c = console(request)
    item_id = request.path_params["item_id"]
    versions = await run_in_threadpool(service.scripts.history, c.station, item_id)
    try:
        current = (await run_in_threadpool(service.scripts.read_script, c.station, item_id)).text
    except InputError:
        current = ""
    views = []
    newer = current
    for version in versions:
        text = version.path.read_text("utf-8")
        lines = service.scripts.diff(text, newer)[2:]
        views.append(VersionView(fmt.moment(version.saved.astimezone(c.station.tz)), version.deleted,
                                 [("add" if ln.startswith("+") else "del" if ln.startswith("-") else "ctx", ln)
                                  for ln in lines]))
        newer = text
    return c.render(request, "item_history.html", item_id=item_id, versions=views)


async def delete(request: Request) -> Response:
    c = console(request)
    item_id = request.path_params["item_id"]
    await run_in_threadpool(service.scripts.delete_script, c.station, item_id, request.state.session.user, c.now())
    return RedirectResponse("/tin-bai?ok=xoa", 303)
