"""The station API, protocol v1 (docs/hub.md, Endpoints). Every route but enrol checks the request's
signature first; bodies are capped while they stream in; the long-poll waits on the process's
LISTEN wake-ups, holding no database connection while it waits."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from broadcast.i18n import _
from broadcast.service import hub

KB, MB = 1024, 1024 * 1024
BODY_CAP = 1 * MB
ENROL_CAP = 64 * KB
UNLISTENED_POLL = 2.0       # seconds between looks while the LISTEN connection is down


async def read_body(request: Request, cap: int = BODY_CAP) -> bytes:
    """The body, or 413 as soon as it is known to pass CAP (declared length or streamed bytes)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise _too_large(cap)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise _too_large(cap)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(cap: int) -> hub.TooLarge:
    return hub.TooLarge(_("the request's body is larger than {size} KB").format(size=cap // KB),
                        _("send fewer rows in one request"))


def target(request: Request) -> str:
    """The path and query exactly as the station signed them."""
    path = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string", b"")
    return (path + (b"?" + query if query else b"")).decode("latin-1")


async def signed(request: Request, body: bytes, action, *args):
    """(station, ACTION(conn, station, *args)) for a rightly signed request (401 with the kind
    otherwise): the check and the action in one worker thread, on one pooled connection."""
    state = request.app.state.hub
    header, method, path, now = request.headers.get("authorization"), request.method, target(request), state.clock()

    def checked(conn):
        station = hub.authenticate(conn, header, method, path, body, now)
        return station, action(conn, station, *args)
    return await state.run(checked)


async def enrol(request: Request) -> Response:
    state = request.app.state.hub
    body = await read_body(request, ENROL_CAP)
    return JSONResponse(await state.run(hub.enrol, body, state.name, state.clock()), status_code=201)


async def heartbeat(request: Request) -> Response:
    body = await read_body(request)
    _station, reply = await signed(request, body, hub.heartbeat, body, request.app.state.hub.clock())
    return JSONResponse(reply)


async def asrun(request: Request) -> Response:
    body = await read_body(request)
    _station, reply = await signed(request, body, hub.take_asrun, body, request.app.state.hub.clock())
    return JSONResponse(reply)


async def receipts(request: Request) -> Response:
    body = await read_body(request)
    _station, reply = await signed(request, body, hub.take_receipts, body, request.app.state.hub.clock())
    return JSONResponse(reply)


def _number(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit():
        raise hub.HubError(_("{field}: expected a whole number, not '{value}'").format(field=name, value=raw[:20]))
    return int(raw)


async def bulletins(request: Request) -> Response:
    body = await read_body(request)
    state = request.app.state.hub
    after = _number(request, "after", 0)
    wait = min(_number(request, "wait", 0), hub.MAX_WAIT)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    station, found = await signed(request, body, hub.pending_bulletins, after)
    if found or wait == 0 or after > await state.run(hub.last_seq, station):    # behind: say so at once
        return await _answer(state, station, found)
    with state.waiters.registered(station) as woken:       # then look again: nothing is missed in between
        while True:
            woken.clear()
            found = await state.run(hub.pending_bulletins, station, after)
            left = deadline - loop.time()
            if found or left <= 0:
                return await _answer(state, station, found)
            if not state.waiters.listening.is_set():
                left = min(left, UNLISTENED_POLL)
            try:
                await asyncio.wait_for(woken.wait(), left)
            except TimeoutError:
                pass


async def _answer(state, station: str, found: list[dict]) -> Response:
    """The bulletins found; with none, the newest seq delivered to the station too (docs/hub.md)."""
    if found:
        return JSONResponse({"bulletins": found})
    return JSONResponse({"bulletins": [], "last_seq": await state.run(hub.last_seq, station)})


async def audio(request: Request) -> Response:
    body = await read_body(request)
    _station, (content_type, data) = await signed(request, body, hub.bulletin_audio, request.path_params["bulletin"])
    return Response(data, media_type=content_type, headers={"cache-control": "private, max-age=86400"})


def routes() -> list[Route]:
    return [
        Route("/api/v1/enrol", enrol, methods=["POST"]),
        Route("/api/v1/heartbeat", heartbeat, methods=["POST"]),
        Route("/api/v1/asrun", asrun, methods=["POST"]),
        Route("/api/v1/bulletins", bulletins, methods=["GET"]),
        Route("/api/v1/bulletins/{bulletin}/audio", audio, methods=["GET"]),
        Route("/api/v1/receipts", receipts, methods=["POST"]),
    ]
