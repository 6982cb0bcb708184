"""A small thread-safe pool of psycopg connections for the hub's web app (its handlers run the core's
functions in worker threads). A connection that broke (PostgreSQL restarted) is dropped, and the
next request opens a new one (the idle ones are dropped with it); a connection returns to the pool only when no transaction is open."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

import psycopg
from psycopg.pq import TransactionStatus

from broadcast.hub import db
from broadcast.i18n import _


class Pool:
    def __init__(self, dsn: str, size: int = 10, wait: float = 10.0):
        self.dsn = dsn
        self._wait = wait
        self._idle: list[psycopg.Connection] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        if not self._slots.acquire(timeout=self._wait):
            raise db.HubDatabaseError(_("the hub is busy: no database connection is free"),
                                      _("the station retries by itself; raise the hub's pool size if it lasts"))
        conn = None
        try:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                conn = db.connect(self.dsn)
            yield conn
        finally:
            if conn is not None:
                self._give_back(conn)
            self._slots.release()

    def _give_back(self, conn: psycopg.Connection) -> None:
        if conn.broken:                 # the server went away: the idle ones are as dead
            conn.close()
            self.close()
            return
        if conn.closed or conn.info.transaction_status != TransactionStatus.IDLE:
            conn.close()
            return
        with self._lock:
            self._idle.append(conn)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
