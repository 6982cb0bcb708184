"""/su-kien: server-sent events carrying the dashboard's live part, sent again within a
second of any change (an airing starts or ends, a program is logged, an alert appears)."""

from __future__ import annotations

import asyncio

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import StreamingResponse

from broadcast import service
from broadcast.web.console import console
from broadcast.web.views.dashboard import view_of

POLL_SECONDS = 1.0


async def stream(request: Request) -> StreamingResponse:
    c = console(request)
    template = c.templates.get_template("_live.html")

    async def events():
        last = None
        yield "retry: 3000\n\n"
        deadline = asyncio.get_running_loop().time() + c.stream_seconds
        while asyncio.get_running_loop().time() < deadline and not await request.is_disconnected():
            d = await run_in_threadpool(service.dashboard.dashboard, c.station, c.now())
            html = template.render(**view_of(d))
            if html != last:
                last = html
                yield "event: dashboard\n" + "".join(f"data: {line}\n" for line in html.splitlines()) + "\n"
            await asyncio.sleep(POLL_SECONDS)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"cache-control": "no-store", "x-accel-buffering": "no"})
