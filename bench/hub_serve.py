"""The hub as bench/hub_bench.py runs it under uvicorn: the real hub app (`broadcast hub`'s console_app)
over the DSN in BROADCAST_HUB_DB, wrapped so every answer carries `Server-Timing: app;dur=MS` — the time from
the request reaching the app to its answer starting, the server time the bench reports.

    uvicorn --factory --app-dir bench hub_serve:app"""

from __future__ import annotations

import os
import time


def server_timing(inner):
    """ASGI middleware: adds the app's time to each HTTP answer (a long-poll's includes its wait)."""
    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await inner(scope, receive, send)
        began = time.perf_counter()

        async def timed_send(message):
            if message["type"] == "http.response.start":
                took = (time.perf_counter() - began) * 1000
                message = {**message, "headers": [*message.get("headers", []),
                                                   (b"server-timing", f"app;dur={took:.2f}".encode())]}
            await send(message)
        await inner(scope, receive, timed_send)
    return wrapped


def app():
    """What `broadcast hub --db …` serves (the stations' /api/v1 and the province console), here
    under uvicorn's own command line so it can run several workers."""
    import datetime as dt

    from broadcast.service import hub_console
    from broadcast.web.hub.pages import console_app
    province = hub_console.open_hub(os.environ["BROADCAST_HUB_DB"], "Bench hub")
    return server_timing(console_app(province, lambda: dt.datetime.now(dt.timezone.utc),
                                     pool_size=int(os.environ.get("BROADCAST_HUB_POOL", "10"))))
