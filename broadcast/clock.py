"""Clocks passed into the playout: the real one, and a simulated one that runs a week in seconds."""

from __future__ import annotations

import datetime as dt
import threading
import time
from zoneinfo import ZoneInfo

# A clock before this is wrong (a board booted at 1970, a dead RTC battery): never plan from it.
BUILD_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
# Dates the station plans, reports and takes as input: a year outside is a typo (9999-12-31 also
# overflows date arithmetic), refused where it is typed and skipped where it is stored.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def in_range(day: dt.date | dt.datetime) -> bool:
    day = day.date() if isinstance(day, dt.datetime) else day
    return FIRST_DAY <= day <= LAST_DAY


class RealClock:
    def __init__(self, tz: ZoneInfo):
        self.tz = tz

    def now(self) -> dt.datetime:
        return dt.datetime.now(self.tz)

    def elapsed(self) -> float:
        """Seconds on a clock that never steps (to tell a clock step from time passing)."""
        return time.monotonic()

    def wait(self, seconds: float, stop: threading.Event | None = None) -> bool:
        """Sleep up to SECONDS; True if STOP was set meanwhile."""
        if stop is None:
            time.sleep(max(0.0, seconds))
            return False
        return stop.wait(max(0.0, seconds))

    def sane(self) -> bool:
        return self.now() >= BUILD_DATE


class SimulatedClock:
    """Time moves only when the playout waits; `jump` moves it as a wrong RTC or NTP step would."""

    def __init__(self, start: dt.datetime):
        self._now = start
        self._elapsed = 0.0
        self.tz = start.tzinfo

    def now(self) -> dt.datetime:
        return self._now

    def elapsed(self) -> float:
        return self._elapsed

    def wait(self, seconds: float, stop: threading.Event | None = None) -> bool:
        self._now += dt.timedelta(seconds=max(0.0, seconds))
        self._elapsed += max(0.0, seconds)
        return bool(stop and stop.is_set())

    def advance_to(self, when: dt.datetime) -> None:
        if when > self._now:
            self._elapsed += (when - self._now).total_seconds()
            self._now = when

    def jump(self, delta: dt.timedelta) -> None:
        self._now += delta

    def sane(self) -> bool:
        return True
