"""Nhập văn bản: upload a .docx, PDF, scan or photo; it is read in the import worker while the
page shows its progress; then each proposed item is kept, edited, merged or dropped on one page
and the kept ones are saved as drafts (Nháp)."""

from __future__ import annotations

import asyncio
import logging

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response

from broadcast import service
from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.present import certainty
from broadcast.web.console import console

log = logging.getLogger(__name__)
HOME = "/tin-bai/nhap-van-ban"


async def form(request: Request, error: str = "") -> Response:
    c = console(request)
    return c.render(request, "intake.html", 400 if error else 200, stage="upload", error=error,
                    cap=service.intake.MAX_BYTES // 2**20)


async def upload(request: Request) -> Response:
    c = console(request)
    async with request.form(max_part_size=service.intake.MAX_BYTES + 1) as data:
        chosen = data.get("document")
        if not isinstance(chosen, UploadFile) or not chosen.filename:
            return await form(request, _("no file chosen"))
        content = await chosen.read()
        name = chosen.filename
    job = await run_in_threadpool(service.intake.start, c.station, content, name)
    task = asyncio.create_task(_read(c, job.token))
    c.tasks.add(task)
    task.add_done_callback(c.tasks.discard)
    return RedirectResponse(f"{HOME}/{job.token}", 303)


async def _read(c, token: str) -> None:
    try:
        await c.importer.run("read", c.station, token)
    except Exception:                     # the worker died: the page must not wait forever
        log.exception("import %s failed", token)
        await run_in_threadpool(service.intake.give_up, c.station, token)


async def show(request: Request, error: str = "", sent=None) -> Response:
    """The job: its progress, why it failed, or its proposals (as the officer last sent them, SENT,
    when a save was refused: nothing she typed is lost)."""
    c = console(request)
    job = await run_in_threadpool(service.intake.job, c.station, request.path_params["token"])
    topics = [(t.code, t.label) for t in c.station.topics]
    cards = [_card(i, p, sent) for i, p in enumerate(job.proposals)]
    return c.render(request, "intake.html", 400 if error else 200, stage=job.stage, job=job, cards=cards,
                    topics=topics, error=error, percent=round(100 * job.done / job.total) if job.total else 0)


def _card(index: int, proposal, sent) -> dict:
    field = (lambda name, default: str(sent.get(f"{name}-{index}", default))) if sent is not None else (lambda n, d: d)
    looked = {int(v) for v in sent.getlist(f"looked-{index}") if str(v).isdigit()} if sent is not None else set()
    return {"index": index, "proposal": proposal, "sure": certainty(proposal.confidence),
            "pages": ", ".join(map(str, proposal.pages)), "title": field("title", proposal.title),
            "topic": field("topic", proposal.topic), "body": field("body", proposal.body),
            "keep": sent is None or sent.get(f"keep-{index}") == "1",
            "merge": field("merge", "") == "1",
            "marked": [(n, proposal.paragraphs[n], n in looked) for n in proposal.marked]}


async def progress(request: Request) -> Response:
    c = console(request)
    job = await run_in_threadpool(service.intake.job, c.station, request.path_params["token"])
    return JSONResponse({"stage": job.stage, "done": job.done, "total": job.total},
                        headers={"cache-control": "no-store"})


async def page_image(request: Request) -> Response:
    c = console(request)
    path = await run_in_threadpool(service.intake.image, c.station, request.path_params["token"],
                                   request.path_params["name"])
    return FileResponse(path, media_type="image/png")


async def save(request: Request) -> Response:
    c = console(request)
    token = request.path_params["token"]
    job = await run_in_threadpool(service.intake.job, c.station, token)
    data = await request.form()
    choices = [service.intake.Choice(
        keep=data.get(f"keep-{i}") == "1", merge_up=data.get(f"merge-{i}") == "1",
        title=str(data.get(f"title-{i}", "")), topic=str(data.get(f"topic-{i}", p.topic)),
        body=str(data.get(f"body-{i}", p.body)),
        looked_at=tuple(int(v) for v in data.getlist(f"looked-{i}") if str(v).isdigit()))
        for i, p in enumerate(job.proposals)]
    if not any(choice.keep for choice in choices):
        return await show(request, _("no item chosen: tick “Keep” on the items to save"), data)
    try:
        await run_in_threadpool(service.intake.save_choices, c.station, token, choices,
                                request.state.session.user, c.now())
    except BroadcastError as exc:
        return await show(request, exc.message + (f" – {exc.hint}" if exc.hint else ""), data)
    return RedirectResponse("/tin-bai?ok=nhap", 303)
