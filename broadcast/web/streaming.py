"""Audio sent on as a worker writes it: the console reads the file the render worker is filling
and passes each new piece to the browser, until the worker is done."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import AsyncIterator

log = logging.getLogger(__name__)
POLL_SECONDS = 0.01
PIECE = 1 << 16


async def started(path: Path, job: asyncio.Future) -> bool:
    """Wait until the worker has opened PATH (True) or finished without it (False)."""
    while not path.exists():
        if job.done():
            return path.exists()
        await asyncio.sleep(POLL_SECONDS / 2)
    return True


async def tail(path: Path, job: asyncio.Future) -> AsyncIterator[bytes]:
    """PATH's bytes as they are written, until JOB (the worker writing it) is done; PATH is removed after."""
    try:
        with open(path, "rb") as f:
            while True:
                finished = job.done()            # looked at before reading: nothing written after is missed
                piece = f.read(PIECE)
                if piece:
                    yield piece
                elif finished:
                    break
                else:
                    await asyncio.sleep(POLL_SECONDS)
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        if job.done() and not job.cancelled() and job.exception() is not None:
            log.error("a streamed preview stopped: %s", job.exception())


async def client_left(request) -> None:
    """Return once the client of REQUEST (its body already read) has gone away."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
