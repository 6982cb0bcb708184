"""Long-polls wait here, not on the database: one LISTEN connection per hub process receives the
`hub_deliveries` notifications (station ids) and wakes the waiting requests of those stations.
A waiting station holds no database connection. When the LISTEN connection breaks (PostgreSQL
restarted) it reconnects and wakes every waiter, so none misses what arrived meanwhile."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from contextlib import contextmanager
from typing import Iterable, Iterator

import psycopg

from broadcast.hub.bulletins import CHANNEL

log = logging.getLogger("broadcast.hub")


class Waiters:
    """Events of the requests waiting for new deliveries, by station (one event loop)."""

    def __init__(self) -> None:
        self._events: dict[str, set[asyncio.Event]] = defaultdict(set)
        self.listening = asyncio.Event()        # set while the LISTEN connection is up

    @contextmanager
    def registered(self, station: str) -> Iterator[asyncio.Event]:
        """An event set when STATION may have new deliveries. Register before reading the
        deliveries, then wait: nothing that arrives in between is missed."""
        event = asyncio.Event()
        self._events[station].add(event)
        try:
            yield event
        finally:
            events = self._events.get(station)
            if events is not None:
                events.discard(event)
                if not events:
                    del self._events[station]

    def wake(self, stations: Iterable[str] | None = None) -> None:
        """Wakes the waiters of STATIONS (all waiters when None)."""
        chosen = self._events.keys() if stations is None else stations
        for station in list(chosen):
            for event in self._events.get(station, ()):
                event.set()

    def waiting(self) -> int:
        return sum(len(e) for e in self._events.values())


async def listen(dsn: str, waiters: Waiters, retry: float = 1.0) -> None:
    """Runs until cancelled: LISTEN, wake the stations named by each notification."""
    while True:
        try:
            conn = await psycopg.AsyncConnection.connect(dsn, autocommit=True)
        except psycopg.OperationalError as exc:
            log.warning("hub LISTEN connection failed: %s", str(exc).strip().splitlines()[:1])
            await asyncio.sleep(retry)
            continue
        try:
            async with conn:
                await conn.execute(f"LISTEN {CHANNEL}")
                waiters.listening.set()
                waiters.wake()
                async for note in conn.notifies():
                    waiters.wake(note.payload.split(","))
        except psycopg.OperationalError as exc:
            log.warning("hub LISTEN connection lost: %s", str(exc).strip().splitlines()[:1])
        finally:
            waiters.listening.clear()
        await asyncio.sleep(retry)
