"""Tin bài: the list with search and filters, the editor (front matter as form fields, the body
as "Nội dung"), "Xem cách đọc", "Nghe thử", history with a diff, delete."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import secrets
import threading
from dataclasses import dataclass, replace

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)

from broadcast import present as fmt
from broadcast import service
from broadcast.errors import InputError, ScriptErrors
from broadcast.i18n import _
from broadcast.present import ITEM_LABELS
from broadcast.service.conflicts import StaleEdit
from broadcast.service.scripts import LANGUAGES, OPEN_ENDED, PRIORITIES, Draft, NewsItem
from broadcast.web import streaming
from broadcast.web.console import console
from broadcast.web.permissions import allowed

FIELDS = {"id": "id", "title": "title", "topic": "topic", "valid_from": "valid_from",
          "valid_until": "valid_until", "priority": "priority", "voice": "voice", "language": "language", "body": "body"}


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
                 priority=priority, voice=str(form.get("voice") or "") or None,
                 language=str(form.get("language") or "").strip()[:60] or None), {}


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
    if item is not None and item.language is not None:
        return notes, []                            # another language: read by a person, not spelled
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
                     reading=None, status_code: int = 200, version: str = "", conflict=None) -> Response:
    c = console(request)
    role = request.state.session.role
    engines = await run_in_threadpool(service.voices.list_voices, c.station)
    voices = [(v, f"{fmt.engine_label(e.name)} – {fmt.voice_label(v)}") for e in engines if e.available for v in e.voices]
    body = draft.body if draft else ""
    state = service.approval.status(c.station, item) if item else "draft"
    actions = []
    if item is not None and allowed(role, "write") and state == "draft":
        actions.append(("gui-duyet", _("Send for approval")))
    if item is not None and allowed(role, "approve") and state == "pending":
        actions.append(("duyet", _("Approve")))
    review = item.review if item else None
    long = await run_in_threadpool(service.lengths.too_long, c.station, [item]) if item is not None else []
    return c.render(
        request, "item_form.html", status_code, item=item, draft=draft, errors=errors or {}, reading=reading,
        is_new=item is None, topics=[(t.code, t.label) for t in c.station.topics],
        priorities=fmt.choices(fmt.PRIORITY), voices=voices, languages=LANGUAGES, state=fmt.item_status(state), state_code=state,
        actions=actions, can_return=item is not None and allowed(role, "approve") and state != "draft",
        can_write=allowed(role, "write"),
        valid_from=fmt.date(draft.valid_from) if draft else "",
        valid_until=fmt.date(draft.valid_until) if draft else "",
        returned=review.comment if review and review.comment else "",
        returned_by=review.by if review and review.comment else "",
        returned_label=_("Returned") if review and review.state == "returned" else _("To approve again"),
        approved=f"{item.approved.by}, {fmt.iso_moment(item.approved.at)}" if item and item.is_approved else "",
        source=item.source if item else None,
        to_check=[(n, item.paragraphs[n - 1]) for n in item.source.to_check if n <= len(item.paragraphs)]
        if item and item.source else [],
        version=version, conflict=conflict, too_long=[_too_long(t) for t in long],
        conflict_diff=fmt.word_diff(conflict.theirs, body) if conflict is not None else [],
        **dict(zip(("notes", "unread"), await run_in_threadpool(_line_notes, c, item, body) if draft else ([], []))))


def _too_long(t) -> str:
    return _("This item reads for about {length}, longer than any slot it could air in (the longest, "
             "“{slot}”, lasts {slot_length}): it will not air. Split it into shorter items, or lengthen "
             "the slot in Lịch phát.").format(length=fmt.mmss(t.seconds), slot=t.slot, slot_length=fmt.mmss(t.longest))


async def new(request: Request) -> Response:
    c = console(request)
    if request.method == "GET":
        today = c.now().date()
        draft = Draft("", "", "khac", today, dt.date(today.year, 12, 31), "")
        return await _form_page(request, draft, None)
    form = await request.form()
    title = str(form.get("title", "")).strip()
    existing = {i.id for i in (await run_in_threadpool(service.scripts.list_scripts, c.station)).items}
    item_id = service.scripts.new_id(str(form.get("id") or "") or title, existing)
    return await _save(request, form, item_id, None)


async def edit(request: Request) -> Response:
    c = console(request)
    if request.method == "POST":
        if not allowed(request.state.session.role, "write"):
            return c.render(request, "error.html", 403, message=_("You may not edit news items"), hint="")
        item = (await run_in_threadpool(service.scripts.read_script, c.station, request.path_params["item_id"])).item
        return await _save(request, await request.form(), item.id, item)
    script = await run_in_threadpool(service.scripts.read_script, c.station, request.path_params["item_id"])
    return await _form_page(request, Draft.from_item(script.item), script.item, version=script.version)


async def _save(request: Request, form, item_id: str, item: NewsItem | None) -> Response:
    c = console(request)
    draft, errors = _draft(form, item_id)
    version = form.get("version") if item is not None else ""      # a form always sends it
    if form.get("action") == "preview" or errors:
        text = str(form.get("body", ""))
        reading = await run_in_threadpool(service.reading.preview_reading, c.station, text) if not errors else None
        shown = draft or Draft(item_id, str(form.get("title", "")), str(form.get("topic", "")), None, None, text)
        return await _form_page(request, shown, item, errors=errors, reading=reading,
                                status_code=400 if errors else 200, version=version or "")
    if item is not None and item.source is not None:       # imported: she has now read it
        ticked = {int(v) for v in form.getlist("looked") if str(v).isdigit()}
        draft = replace(draft, source=service.intake.looked_over(item.source, item.paragraphs, draft.body, ticked))
    try:
        saved = await run_in_threadpool(service.scripts.save_script, c.station, draft, request.state.session.user,
                                        c.now(), version)
    except ScriptErrors as exc:
        return await _form_page(request, draft, item, errors=_field_errors(exc.problems, None), status_code=400,
                                version=version or "")
    except StaleEdit as exc:            # changed elsewhere since she opened it: hers stays in the form
        return await _form_page(request, draft, item, status_code=409, version=exc.version, conflict=exc)
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
    """"Nghe thử": the finished file if nothing needs rendering, else the audio as it renders. With
    ?tien-do=TOKEN the render's progress goes to TOKEN's file, which `listen_progress` sends on."""
    c = console(request)
    progress = service.progress.progress_file(c.station, request.query_params.get("tien-do"))
    stream = c.station.cache_dir / "preview" / f".nghe-{secrets.token_hex(8)}.wav"
    stream.parent.mkdir(parents=True, exist_ok=True)
    if progress is not None:
        await run_in_threadpool(_waiting, c.station, progress)
    job = asyncio.ensure_future(c.worker.run("listen_stream", c.station, request.path_params["item_id"], stream,
                                             progress))
    if progress is not None:
        job.add_done_callback(lambda done: _stopped(progress, done))
    if not await streaming.started(stream, job):
        return FileResponse(await job, media_type="audio/wav", headers={"cache-control": "no-cache"})
    return StreamingResponse(streaming.tail(stream, job), media_type="audio/wav", headers={"cache-control": "no-cache"})


def _waiting(station, path) -> None:
    service.progress.forget_old(station)
    service.progress.write(path, service.progress.RenderProgress("waiting"))


def _stopped(path, job: asyncio.Future) -> None:
    """The worker ended without saying so (it died, or the request was cancelled): the page is told."""
    if not job.cancelled() and job.exception() is None:
        return
    state = service.progress.read(path)
    if state is None or not state.final:
        service.progress.write(path, service.progress.RenderProgress(
            "failed", message=_("the preview stopped before it was ready – press Listen again")))


PROGRESS_POLL = 0.25
PROGRESS_START = 15.0      # seconds the page's progress may wait for its render to be asked for


async def listen_progress(request: Request) -> Response:
    """Server-sent events: the progress of the "Nghe thử" render of ?t=TOKEN (percent and words),
    each time it changes, until it is done or failed."""
    c = console(request)
    path = service.progress.progress_file(c.station, request.query_params.get("t"))
    if path is None:
        return Response(status_code=404)

    async def events():
        loop = asyncio.get_running_loop()
        yield "retry: 2000\n\n"
        start, last = loop.time(), None
        while loop.time() < start + c.stream_seconds and not await request.is_disconnected():
            state = await run_in_threadpool(service.progress.read, path)
            if state is None and loop.time() > start + PROGRESS_START:
                state = service.progress.RenderProgress("failed", message=_("no preview is being made – press Listen again"))
            if state is not None and state != last:
                last = state
                percent, words = fmt.render_progress(state)
                data = {"stage": state.stage, "done": state.done, "total": state.total, "percent": percent, "text": words}
                yield f"event: progress\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
                if state.final:
                    with contextlib.suppress(OSError):
                        path.unlink()
                    return
            await asyncio.sleep(PROGRESS_POLL)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"cache-control": "no-store", "x-accel-buffering": "no"})


@dataclass(frozen=True)
class VersionView:
    name: str                        # "" for the current version
    heading: str
    deleted: bool
    title: str
    changes: list[tuple[str, str]]   # words changed from the version before (present.word_diff)
    body: str
    same_text: bool


async def history(request: Request) -> Response:
    """Lịch sử: every version as text, who saved it and when, the words each changed; Khôi phục."""
    c = console(request)
    item_id = request.path_params["item_id"]
    versions = await run_in_threadpool(service.history.item_versions, c.station, item_id)
    views = []
    for v in versions:
        when = fmt.moment(v.at) if v.at else _("an unknown time")
        heading = (_("Current version, saved at {time} by {who}") if not v.name else
                   _("Saved at {time} by {who}")).format(time=when, who=v.by or _("someone (outside the console)"))
        views.append(VersionView(v.name, heading, v.deleted, v.title, v.changes, v.body, v.same_text))
    return c.render(request, "item_history.html", item_id=item_id, versions=views,
                    can_write=allowed(request.state.session.role, "write"))


async def restore(request: Request) -> Response:
    c = console(request)
    item_id = request.path_params["item_id"]
    data = await request.form()
    await run_in_threadpool(service.history.restore_version, c.station, item_id, str(data.get("version", "")),
                            request.state.session.user, c.now())
    return RedirectResponse(f"/tin-bai/{item_id}?ok=khoi-phuc", 303)


async def delete(request: Request) -> Response:
    c = console(request)
    item_id = request.path_params["item_id"]
    await run_in_threadpool(service.scripts.delete_script, c.station, item_id, request.state.session.user, c.now())
    return RedirectResponse("/tin-bai?ok=xoa", 303)
