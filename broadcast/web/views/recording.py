"""Thu âm: the item as it should be read (the normalizer's reading, paragraph by paragraph, in
large type) beside a recorder (MediaRecorder in the browser: a phone's or the PC's microphone).
The recording, or a chosen audio file, is sent as the request body (the CSRF token in its
header), capped in size while it arrives, and processed in the render worker."""

from __future__ import annotations

import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response

from broadcast import service
from broadcast.errors import BroadcastError, InputError
from broadcast.i18n import _
from broadcast import present as fmt
from broadcast.web import limits
from broadcast.web.console import console

SPOOL = 1 << 16


def _paragraphs(c, item) -> list[str]:
    """What the reader reads: the title and each paragraph as the station reads them aloud (numbers,
    dates and abbreviations in words); an item in another language as written."""
    texts = [item.title, *item.paragraphs]
    if item.language is not None:
        return texts
    reader = service.reading.normalizer(c.station)
    return [reader.normalize(t) for t in texts]


async def page(request: Request) -> Response:
    c = console(request)
    item = (await run_in_threadpool(service.scripts.read_script, c.station, request.path_params["item_id"])).item
    report = await run_in_threadpool(service.recording.report_of, c.station, item)
    limits = c.station.console
    return c.render(request, "record.html", item=item, paragraphs=await run_in_threadpool(_paragraphs, c, item),
                    report=report, length=fmt.mmss(report.seconds) if report else "",
                    cap_bytes=int(limits.upload_mb * 1024 * 1024), cap_mb=f"{limits.upload_mb:g}",
                    minutes=f"{limits.record_minutes:g}")


async def upload(request: Request) -> Response:
    """The recording as the body (the page's recorder; the answer says where to go next, or why
    not, in words), or an audio file in a form (without JavaScript: a page either way)."""
    c = console(request)
    item_id = request.path_params["item_id"]
    in_form = request.headers.get("content-type", "").startswith(("multipart/form-data", "application/x-www-form"))
    folder = c.station.uploads_dir
    folder.mkdir(parents=True, exist_ok=True)
    spool = folder / f".thu-am-{secrets.token_hex(6)}.upload"
    try:
        name = await (_spool_form if in_form else _spool_body)(request, c.station, spool)
        report = await c.worker.run("record_item", c.station, item_id, spool, name,
                                    request.state.session.user, c.now())
    except BroadcastError as exc:
        if in_form:
            return c.render(request, "error.html", 400, message=exc.message, hint=exc.hint or "")
        return PlainTextResponse(fmt.error_text(exc), 413 if isinstance(exc, (TooLarge, limits.TooLarge)) else 400)
    finally:
        spool.unlink(missing_ok=True)
    following = f"/tin-bai/{item_id}?ok=thu-am"
    if in_form:
        return RedirectResponse(following, 303)
    return JSONResponse({"next": following, "noise_reduction": report.noise_reduction})


class TooLarge(InputError):
    """An upload over the console's cap."""


def _check_size(station, size: int, name: str) -> None:
    from broadcast.service.uploads import too_large

    refusal = too_large(station, size, name)
    if refusal is not None:
        raise TooLarge(refusal.path, None, None, refusal.problem, refusal.hint)


async def _spool_body(request: Request, station, spool) -> str:
    """The body into SPOOL, refused over the cap: by its declared length before a byte is read,
    else as soon as it grows past it. Returns the file's name (?ten=)."""
    name = (request.query_params.get("ten") or "thu-am.webm")[:100]
    declared = request.headers.get("content-length")
    if declared and declared.isdigit():
        _check_size(station, int(declared), name)
    size = 0
    with open(spool, "wb") as f:
        async for chunk in request.stream():
            size += len(chunk)
            _check_size(station, size, name)
            f.write(chunk)
    return name


async def _spool_form(request: Request, station, spool) -> str:
    """The form's audio file into SPOOL (the form itself is already capped by the CSRF check)."""
    upload = (await request.form()).get("audio")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InputError(_("Record"), None, None, _("no audio file chosen"), _("choose the audio file again"))
    name = upload.filename[:100]
    size = 0
    with open(spool, "wb") as f:
        while chunk := await upload.read(SPOOL):
            size += len(chunk)
            _check_size(station, size, name)
            f.write(chunk)
    return name


async def listen(request: Request) -> Response:
    """The item's recording as it airs (after cleaning), from the item's own front matter only."""
    c = console(request)
    item = (await run_in_threadpool(service.scripts.read_script, c.station, request.path_params["item_id"])).item
    if item.audio_path is None:
        return c.render(request, "error.html", 404, message=_("This item has no recording"), hint="")
    return FileResponse(item.audio_path, media_type="audio/wav", headers={"cache-control": "no-cache"})
