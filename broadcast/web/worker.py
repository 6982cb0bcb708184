"""The console's render worker: one spawned process, started when the console starts and kept
warm, that renders "Nghe thử" and typed emergency texts. The console's own process never loads
the audio stack (numpy, scipy, speech engines), so it stays small and its pages stay fast while
a render runs on the other core."""

from __future__ import annotations

import asyncio
import functools
import importlib
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from broadcast import i18n
from broadcast.service.worker import die_with_parent

LISTEN = "broadcast.service.listen"


def _warm(language: str, parent: int, module: str) -> None:
    die_with_parent(parent)            # a killed console leaves no worker behind
    i18n.use_language(language)             # the worker's messages in the console's language
    importlib.import_module(module)         # the first render then starts at once


def _call(module: str, name: str, *args):
    """In the worker: MODULE.NAME(*ARGS). Named, not passed, so the console itself never
    imports the audio stack."""
    return getattr(importlib.import_module(module), name)(*args)


class RenderWorker:
    """MODULE's functions run in the worker (the render worker: broadcast.service.listen)."""

    def __init__(self, module: str = LISTEN) -> None:
        self._module = module
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(1, multiprocessing.get_context("spawn"), initializer=_warm,
                                                 initargs=(i18n.language(), os.getpid(), self._module))
            return self._pool

    def start(self) -> None:
        """Spawn the worker and load its imports now, not at the first click."""
        self._executor().submit(int)

    async def run(self, name: str, *args):
        """MODULE.NAME(*ARGS) in the worker (picklable arguments)."""
        loop = asyncio.get_running_loop()
        call = functools.partial(_call, self._module, name, *args)
        try:
            return await loop.run_in_executor(self._executor(), call)
        except BrokenProcessPool:          # the worker died (killed, out of memory): start a new one
            with self._lock:
                self._pool = None
            return await loop.run_in_executor(self._executor(), call)

    def stop(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
