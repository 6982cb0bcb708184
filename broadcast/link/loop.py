"""The sync loop (`broadcast sync`, or a child process of `broadcast run`): every INTERVAL
seconds a signed heartbeat, then the as-run rows the hub has not acknowledged (oldest first,
in batches of at most 500), then the receipts; meanwhile a long-poll in its own thread brings
bulletins within seconds. Failures back off with jitter; the station never waits on the hub."""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from broadcast.link import state
from broadcast.link.client import HubClient, LinkError
from broadcast.protocol.records import MAX_ASRUN_BATCH, Bulletin, Heartbeat
from broadcast.station import db

log = logging.getLogger("broadcast.link")
BACKOFF_FIRST = 2.0          # seconds after a first failure; doubled each time, up to BACKOFF_CAP
BACKOFF_CAP = 300.0
LONG_POLL = 25               # seconds the hub holds a bulletins request open


def backoff(failures: int, cap: float = BACKOFF_CAP) -> float:
    """Seconds to wait after FAILURES failures in a row: exponential, capped, with ±50 % jitter
    (500 stations coming back after a hub restart do not all knock at once)."""
    base = min(cap, BACKOFF_FIRST * 2 ** max(0, failures - 1))
    return base * random.uniform(0.5, 1.5)


@dataclass
class Hooks:
    """What the loop asks of the station (the service layer provides them)."""

    heartbeat: Callable[[], Heartbeat]
    apply: Callable[[Bulletin], None]          # once per bulletin id; records it and moves the seq on
    follow: Callable[[], None]                 # receipts from what aired since (aired, expired)
    now: Callable[[], dt.datetime]


class SyncLoop:
    def __init__(self, db_path: Path, client: HubClient, hooks: Hooks, interval: float = 10.0,
                 wait: int = LONG_POLL, stop: threading.Event | None = None):
        self.db_path = db_path
        self.client = client
        self.hooks = hooks
        self.interval = interval
        self.wait = wait
        self.stop = stop or threading.Event()

    def run(self) -> None:
        poller = threading.Thread(target=self.poll_bulletins, name="bulletins", daemon=True)
        poller.start()
        failures = 0
        while not self.stop.is_set():
            try:
                self.cycle()
                failures = 0
                pause = self.interval
            except LinkError as exc:
                failures += 1
                pause = self.record_failure(exc, failures)
            except Exception:                 # the loop survives one bad cycle (a full disk, a bad row)
                log.exception("sync cycle failed")
                failures += 1
                pause = backoff(failures)
            self.stop.wait(pause)
        poller.join(timeout=2)

    def record_failure(self, exc: LinkError, failures: int) -> float:
        log.warning("sync with the province hub failed (%s): %s", exc.kind, exc.message)
        with closing(db.connect(self.db_path)) as conn:
            state.failed(conn, exc.kind, str(exc))
        if exc.kind in ("revoked", "unknown"):          # a person must link again: ask rarely
            return BACKOFF_CAP
        return backoff(failures, BACKOFF_CAP if exc.kind != "clock" else 60.0)

    def cycle(self) -> None:
        self.client.heartbeat(self.hooks.heartbeat())
        with closing(db.connect(self.db_path)) as conn:
            self.push_asrun(conn)
            self.hooks.follow()
            self.push_receipts(conn)
            state.contact(conn, self.hooks.now())

    def push_asrun(self, conn) -> int:
        """Send every row the hub has not acknowledged, batch by batch; returns how many were sent."""
        sent = 0
        while not self.stop.is_set():
            batch = state.pending(conn, self.hooks.now(), MAX_ASRUN_BATCH)
            if not batch:
                break
            self.client.asrun([record.to_json() for _id, record in batch])
            state.acknowledged(conn, batch[-1][0])      # after the hub's 200 only: a lost answer resends
            sent += len(batch)
        return sent

    def push_receipts(self, conn) -> None:
        while True:
            waiting = state.unsent(conn)
            if not waiting:
                return
            self.client.receipts([receipt for _id, receipt in waiting])
            state.sent(conn, [i for i, _receipt in waiting])

    def poll_bulletins(self) -> None:
        failures = 0
        while not self.stop.is_set():
            try:
                with closing(db.connect(self.db_path)) as conn:
                    after = state.state(conn).bulletin_seq
                found, last = self.client.bulletins(after, self.wait)
                for bulletin in found:
                    if self.stop.is_set():
                        return
                    self.hooks.apply(bulletin)
                if not found and last is not None and last < after:
                    log.warning("the province hub's newest bulletin is %d, this station had %d (was the hub's database "
                                "restored?): asking for all of them again", last, after)
                    with closing(db.connect(self.db_path)) as conn:
                        state.rewound(conn)
                failures = 0
            except LinkError as exc:
                failures += 1
                log.warning("bulletins from the province hub: %s (%s)", exc.message, exc.kind)
                self.stop.wait(backoff(failures, 60.0))
            except Exception:
                failures += 1
                log.exception("a bulletin could not be applied")
                self.stop.wait(backoff(failures, 60.0))
