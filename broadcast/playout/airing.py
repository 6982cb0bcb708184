"""Playout: air each planned occurrence once, on time, on its zone's output, and log it.

`Playout.air` is the one path every airing takes, whether triggered by APScheduler in the
daemon (`daemon.py`), by a simulated clock (`simulate`), or at restart (`catch_up`).
Whether an occurrence still has to air is decided from the as-run log, never from a job
store: the schedule file is the source of truth and jobs are rebuilt from it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.playout import dbwatch, lastgood, relay_airing
from broadcast.playout.ledger import Ledger
from broadcast.playout.output import Player, PlayResult
from broadcast.playout.outputs import make_player
from broadcast.records import asrun
from broadcast.records.asrun import AiredItem
from broadcast.render.programs import ProgramJob, ProgramStore, record, render_in_worker, voice_of
from broadcast.schedule import queue, week
from broadcast.schedule.plan import Occurrence, PlannedItem, Program, QueueEntry
from broadcast.station import db, salvage
from broadcast.station.settings import Station

log = logging.getLogger("broadcast.playout")
PROGRESS_SECONDS = 1.0      # how stale an as-run row's progress may be
END_WAIT = 1.0              # at most this long the feeder waits for the end to be written
EMERGENCY_STALE = dt.timedelta(minutes=30)   # an emergency request older than this is not aired late
DB_WAIT_MS = 1000          # the daemon's own writes besides the as-run log (heartbeat, queue) wait no longer
HANDLED_MARGIN = dt.timedelta(minutes=1)   # a heartbeat may come after a job fired but before its row
END_REACHED = 0.05         # progress this close to the length is the end (players report the last sample exactly);
                           # a row found playing with less was cut short, and airs again at restart
CLOCK_STEP = 5.0           # seconds: a larger difference between the wall clock and elapsed time is a step
RETRY_SECONDS = 300.0      # a program read by a fallback voice is tried again with the preferred one this often
LEDGER_START_WAIT = 10.0    # seconds catch-up waits for the journal of the last run to reach the database
OPEN_RETRY_FIRST, OPEN_RETRY_MAX = 0.5, 4.0   # seconds between tries to open an output unavailable at airtime
NOTHING_PLAYED = 0.2        # seconds: a failed play that got no further never reached the loudspeakers


@dataclass(frozen=True)
class Airing:
    """One program on one output at one time; each zone on that output gets its own as-run row."""

    key: str
    start: dt.datetime
    output: str
    occurrences: tuple[Occurrence, ...]

    @property
    def program(self) -> Program:
        return self.occurrences[0].program

    @property
    def slot(self) -> str:
        return self.occurrences[0].slot

    @property
    def deadline(self) -> dt.datetime:
        return self.occurrences[0].end

    @property
    def relay(self):
        """The relayed part of a slot (RelayPart), or None for a program."""
        return self.occurrences[0].relay


def group_airings(occurrences: list[Occurrence], outputs: dict[str, str]) -> list[Airing]:
    groups: dict[tuple, list[Occurrence]] = {}
    for occ in occurrences:
        groups.setdefault((occ.start, outputs[occ.zone], occ.slot, occ.program, occ.relay), []).append(occ)
    # keyed by the first zone, not the output: an output's URL never reaches a job id or a log line
    return [Airing(f"{start.isoformat()}|{occs[0].zone}|{slot}", start, output, tuple(occs))
            for (start, output, slot, _, _), occs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1]))]


def _attempts(occurrences: list[Occurrence]) -> list[tuple[str, str, str, dt.datetime]]:
    return [(o.id, o.slot, o.zone, o.start) for o in occurrences]


def aired_items(path: Path) -> list[AiredItem]:
    """The items of a rendered program, from its render record."""
    return [AiredItem(i["id"], i["title"], i["topic"], i["content_hash"], i["engine"], i["duration"], i.get("language"))
            for i in record(path).get("items", [])]


class ProgressRecorder:
    """How far a program has played, journaled for its as-run rows every PROGRESS_SECONDS by its
    own thread: the thread that feeds the output never waits on a disk. Reaching the end is
    journaled at once (the feeder waits for it at most END_WAIT, with nothing left to play), so a
    daemon killed right after a program never finds it unfinished and airs it again."""

    def __init__(self, ledger: Ledger, rows: list[str], expected: float):
        self.ledger, self.rows, self.expected = ledger, rows, expected
        self.latest = self.written = 0.0
        self.wake, self.done, self.ended = threading.Event(), threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._run, name="progress", daemon=True)

    def played(self, seconds: float) -> None:            # called on the output's feeding thread
        self.latest = seconds
        if seconds >= self.expected - END_REACHED and not self.ended.is_set():
            self.wake.set()
            self.ended.wait(END_WAIT)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.done.set()
        self.wake.set()
        self.thread.join()

    def _run(self) -> None:
        while True:
            self.wake.wait(PROGRESS_SECONDS)
            self.wake.clear()
            value = self.latest
            if value != self.written and self.rows:
                for row in self.rows:
                    self.ledger.progress(row, value)
                self.written = value
            if value >= self.expected - END_REACHED:
                self.ended.set()
            if self.done.is_set():
                self.ended.set()
                return


def unapproved_note(program: Program) -> str | None:
    """Why items the schedule names are not in the program: not approved for air, or their
    script has an error."""
    notes = []
    if program.unapproved:
        notes.append(_("skipped items not approved: {ids}").format(ids=", ".join(program.unapproved)))
    if program.invalid:
        notes.append(_("skipped items whose script has an error (fix the file, see 'broadcast check'): {ids}")
                     .format(ids=", ".join(program.invalid)))
    return "; ".join(notes) or None


def _hidden_note(plan: week.StationPlan) -> str | None:
    """The alert while scripts or queue rows are left out of the plan."""
    return "\n".join([*(str(p) for p in plan.hidden), *plan.queue_problems]) or None


class HeldAudio:
    """Audio held open from its check to its last sample: deleting or replacing the cache file
    meanwhile changes nothing on air (players read it through /proc/PID/fd/N)."""

    def __init__(self, source: Path):
        self.source = source
        self.fd = os.open(source, os.O_RDONLY)
        self.path = Path(f"/proc/{os.getpid()}/fd/{self.fd}")

    def close(self) -> None:
        os.close(self.fd)


@dataclass
class Outcome:
    airing: Airing | None
    status: str
    played: float = 0.0
    error: str | None = None
    rows: list[str] = field(default_factory=list)     # the as-run rows' tokens


class Playout:
    """Station playout state shared by the daemon threads: plan, players, database."""

    def __init__(self, station: Station, clock, *, realtime: bool = True, db_path: Path | None = None,
                 sink_override: str | None = None, last_good: bool = False):
        """LAST_GOOD (the daemon): keep each accepted schedule on disk and start from that copy
        when the schedule is invalid, instead of refusing to start."""
        self.station = station
        self.clock = clock
        self.realtime = realtime
        self.store = ProgramStore(station)
        self.sink_override = sink_override
        self.last_good = last_good
        # the daemon airs whatever happened to station.db: a damaged one is moved aside and recovered
        self.salvage = salvage.ensure(db_path or station.db_path, clock.now()) if last_good else None
        self.plan_loaded = clock.now()
        self.plan, self.plan_error = self._first_plan()
        self._db_lock = threading.Lock()
        self.db_path = Path(db_path or station.db_path)
        self.conn = db.connect(self.db_path, check_same_thread=False)
        self._db_identity = dbwatch.identity(self.db_path)
        self.conn.execute(f"PRAGMA busy_timeout = {DB_WAIT_MS}")   # reads never wait (WAL); a busy write gives up
        self.ledger = Ledger(db_path or station.db_path)      # every as-run write, off the audio path
        self._players: dict[str, Player] = {}
        self._airing_lock = threading.Lock()
        self._in_flight: set[str] = set()
        self.stops: dict[str, threading.Event] = {}      # output -> stop event of what plays now
        self.current: dict[str, Airing] = {}             # output -> the airing playing on it
        self._output_locks: dict[str, threading.Lock] = {}
        self.grace = dt.timedelta(seconds=station.playout.grace)
        self.halt = threading.Event()                    # the daemon is stopping: start nothing new
        self.steps: list[tuple[dt.datetime, dt.datetime]] = []   # clock steps seen: (before, after)
        self._last_time: tuple[dt.datetime, float] | None = None
        self.relay_desk = relay_airing.Desk()           # relays: one decode per source and time

    # ------------------------------------------------------------ plan
    def _first_plan(self) -> tuple[week.StationPlan, str | None]:
        try:
            plan = week.load(self.station)
            return self._accepted(plan), _hidden_note(plan)
        except BroadcastError as exc:
            if not self.last_good:
                raise
            error = str(exc)
        kept = lastgood.load(self.station)
        if kept is None:
            log.error("schedule refused and no earlier schedule was ever accepted: nothing can air until it is "
                      "fixed: %s", error)
            return week.empty(self.station), error
        log.error("schedule refused; airing from the last good schedule (%s) until it is fixed: %s",
                  lastgood.folder(self.station), error)
        return kept, error

    def _accepted(self, plan: week.StationPlan) -> week.StationPlan:
        if self.last_good:
            lastgood.keep(self.station, plan.schedule)
        for problem in plan.hidden:
            log.error("script left out of the plan until it is fixed: %s", problem)
        for problem in plan.queue_problems:
            log.error("%s", problem)
        return plan

    def reload(self) -> bool:
        """Take a changed schedule, scripts or queue; an invalid schedule is refused and the last good
        one stays; an invalid script is left out (and named in the alert)."""
        try:
            fresh = week.load(self.station)
        except BroadcastError as exc:
            log.error("schedule refused, the last good one stays in force: %s", exc)
            self.plan_error = str(exc)
            return False
        self.plan, self.plan_loaded = self._accepted(fresh), self.clock.now()
        self.plan_error = _hidden_note(fresh)
        log.info("schedule reloaded: %d slot(s), %d event(s), %d script(s)",
                 len(fresh.schedule.slots), len(fresh.schedule.events), len(fresh.items))
        return True

    def output_of(self, zone: str) -> str:
        return self.sink_override or self.plan.schedule.zones[zone].output

    def airings(self, start: dt.datetime, end: dt.datetime) -> list[Airing]:
        """Airings starting in [start, end)."""
        tz = self.plan.schedule.tz
        first, last = start.astimezone(tz).date(), end.astimezone(tz).date() + dt.timedelta(days=1)
        occs = [o for o in self.plan.occurrences(first, last) if start <= o.start < end]
        return group_airings(occs, {z: self.output_of(z) for z in self.plan.schedule.zones})

    def player(self, output: str) -> Player:
        if output not in self._players:
            self._players[output] = make_player(output, self.station, self.realtime)
        return self._players[output]

    # ------------------------------------------------------------ database
    def db(self, fn, *args, **kwargs):
        with self._db_lock:
            if self.conn.read_only:          # opened on a full disk: writable again once there is room
                self._reopen()
            return fn(self.conn, *args, **kwargs)

    def watch_database(self) -> None:
        """station.db deleted (or replaced by an empty one) under the daemon: write back what the
        open connection still reads, rows of this run included, and say so."""
        if dbwatch.identity(self.db_path) == self._db_identity:
            return
        log.error("%s was deleted while the daemon runs: writing it again from the open database", self.db_path)
        with self._db_lock, self.ledger.detached():
            tmp = dbwatch.copy_out(self.conn, self.db_path)
            self.conn.close()
            rows = dbwatch.put_back(tmp, self.db_path)
            self.conn = db.connect(self.db_path, check_same_thread=False)
            self.conn.execute(f"PRAGMA busy_timeout = {DB_WAIT_MS}")
            self._db_identity = dbwatch.identity(self.db_path)
            if rows is not None:
                self.salvage = salvage.record(self.conn, self.clock.now(), "", _("deleted while the daemon was running"),
                                              rows, _("nothing"))

    def _reopen(self) -> None:
        try:
            conn = db.connect(self.conn.path, check_same_thread=False)
        except BroadcastError:
            return
        if conn.read_only:
            conn.close()
            return
        conn.execute(f"PRAGMA busy_timeout = {DB_WAIT_MS}")
        self.conn.close()
        self.conn = conn

    # ------------------------------------------------------------ audio
    def job(self, program: Program) -> ProgramJob:
        items = {i.id: i for i in self.plan.items}
        return self.store.job(program, items)

    def render_ahead(self, now: dt.datetime, hours: float | None = None):
        """Start a worker rendering every program due in the next HOURS that is not ready, and
        again every one a fallback voice read, while its airtime is more than
        playout.retry_preferred_until hours away (once per RETRY_SECONDS)."""
        hours = self.station.playout.render_ahead if hours is None else hours
        jobs: dict[Path, ProgramJob] = {}
        retries: dict[Path, ProgramJob] = {}     # after the missing ones: a slow service must not delay them
        seen: set[Path] = set()                  # a program aired on several days: its first airing decides
        for airing in self.airings(now, now + dt.timedelta(hours=hours)):
            if airing.program.items:
                job = self.job(airing.program)
                first = job.path not in seen
                seen.add(job.path)
                if self.store.problem(job.path) is not None:
                    jobs[job.path] = job
                elif first and self._retry_due(job.path, airing.start, now):
                    log.info("%s: read by a fallback voice; asking the preferred one again", airing.key)
                    retries[job.path] = replace(job, retry=True)
        todo = list(jobs.values()) + [job for path, job in retries.items() if path not in jobs]
        return render_in_worker(self.station, todo) if todo else None

    def _retry_due(self, path: Path, start: dt.datetime, now: dt.datetime) -> bool:
        """PATH was voiced by a fallback, its airtime is far enough off, and its last try is old."""
        if start - now <= dt.timedelta(hours=self.station.playout.retry_preferred_until):
            return False
        if voice_of(record(path).get("items", [])).fallback is None:
            return False
        try:
            return time.time() - path.with_suffix(".json").stat().st_mtime >= RETRY_SECONDS
        except OSError:
            return False

    def _hold_program(self, path: Path) -> tuple[HeldAudio | None, str | None]:
        """The program file opened and checked (decodable, its rendered length), or why not."""
        try:
            held = HeldAudio(path)
        except OSError:
            return None, _("not rendered")
        problem = self.store.problem(path, held.path)
        if problem is not None:
            held.close()
            return None, problem
        return held, None

    def audio_for(self, airing: Airing) -> tuple[HeldAudio | None, str | None]:
        """The program's file held open, rendering it now if needed (inside the grace window);
        else the standby audio, or the last good render of the slot, and why."""
        job = self.job(airing.program)
        held, problem = self._hold_program(job.path)
        if problem is not None and not self.halt.is_set():
            log.warning("%s: program audio %s; rendering it now", airing.key, problem)
            job.path.unlink(missing_ok=True)
            worker = render_in_worker(self.station, [job])
            budget = min(self.station.playout.render_timeout,
                         max(1.0, (airing.start + self.grace - self.clock.now()).total_seconds()))
            self._join(worker, budget if self.realtime else self.station.playout.render_timeout)
            held, problem = self._hold_program(job.path)
        if problem is None:
            return held, None
        reason = _("program audio {problem} at airtime").format(problem=problem)
        standby = self.station.path(self.station.playout.standby)
        fallbacks = ((lambda: standby, _("{reason}; played the standby audio {name}")),
                     (lambda: self._last_good(airing.slot), _("{reason}; played the last good render of {slot}")))
        for find, note in fallbacks:        # the log is read only when there is no standby audio
            path = find()
            if path is None:
                continue
            try:
                return HeldAudio(path), note.format(reason=reason, name=path.name, slot=airing.slot)
            except OSError:                 # gone too
                continue
        return None, _("{reason}; no standby audio configured").format(reason=reason)

    def _join(self, worker, seconds: float) -> None:
        """Wait for a render worker at most SECONDS, and not at all once the daemon is stopping."""
        deadline = time.monotonic() + seconds
        while worker.is_alive() and time.monotonic() < deadline and not self.halt.is_set():
            worker.join(0.2)
        if worker.is_alive():
            worker.terminate()
            worker.join()

    def _last_good(self, slot: str) -> Path | None:
        for row in reversed(self.db(asrun.rows, status="completed")):
            if row.slot == slot and row.audio and Path(row.audio).exists():
                return Path(row.audio)
        return None

    # ------------------------------------------------------------ airing
    def pending(self, airing: Airing) -> list[Occurrence]:
        return [o for o in airing.occurrences if not (self.ledger.settled(o.id) or self.db(asrun.settled, o.id))]

    def miss(self, airing: Airing, reason: str) -> Outcome:
        for occ in self.pending(airing):
            self.ledger.missed(occurrence=occ.id, slot=occ.slot, zone=occ.zone, output=airing.output,
                               scheduled=occ.start, planned=occ.program.seconds, reason=reason)
        log.warning("%s: missed: %s", airing.key, reason)
        return Outcome(airing, "missed", error=reason)

    def output_lock(self, output: str) -> threading.Lock:
        with self._airing_lock:
            return self._output_locks.setdefault(output, threading.Lock())

    def air(self, airing: Airing, offset: float = 0.0, resuming: bool = False) -> Outcome | None:
        """Play AIRING now (if it still has to air) and log it; None if nothing was due.
        RESUMING (after an emergency) allows it until the slot's end instead of the grace."""
        with self._airing_lock:
            if airing.key in self._in_flight:
                return None
            self._in_flight.add(airing.key)
        try:
            return self._air(airing, offset, resuming)
        finally:
            with self._airing_lock:
                self._in_flight.discard(airing.key)

    def _air(self, airing: Airing, offset: float, resuming: bool) -> Outcome | None:
        pending = self.pending(airing)
        if not pending:
            return None
        now = self.clock.now()
        if resuming and now >= airing.deadline:
            return self.miss(airing, _("cut by an emergency broadcast; the slot ended before it could air again"))
        self.watch_clock()
        if airing.relay is not None:               # a stream, not a file: see relay_airing
            return self._air_relay(airing, pending)
        if not resuming and now > airing.start + self.grace:
            return self.miss(airing, self._late_reason(airing.start, now))
        if not airing.program.items:
            return self.miss(airing, unapproved_note(airing.program) or _("no valid item to air in this slot"))
        held, fallback = self.audio_for(airing)
        if held is None:
            return self._fail_all(pending, airing, fallback)
        try:
            items = aired_items(held.source) if fallback is None else []
            expected = self.store.seconds(held.path)
            offset = offset if fallback is None and offset < expected - 1 else 0.0
            with self.output_lock(airing.output):
                stop = threading.Event()
                self.stops[airing.output], self.current[airing.output] = stop, airing
                try:
                    played = self._play(airing, pending, held, expected, stop, offset, items)
                finally:
                    self.stops.pop(airing.output, None)
                    self.current.pop(airing.output, None)
        finally:
            held.close()
        if played is None:
            log.warning("%s: the daemon stopped before airtime: not aired (the next start airs it inside the "
                        "grace window, or logs it missed)", airing.key)
            return None
        result, rows = played
        status = ("fallback" if fallback else "completed") if result.completed else \
            ("interrupted" if result.stopped else "failed")
        error = "; ".join(e for e in (fallback, result.error if not result.completed else None) if e) or None
        ended = self.clock.now()
        for row in rows:
            self.ledger.finish(row, status, ended, result.played, error)
        (log.info if status == "completed" else log.warning)(
            "%s: %s (%.1f of %.1f s)%s", airing.key, status, result.played, expected, f": {error}" if error else "")
        return Outcome(airing, status, result.played, error, rows)

    def _air_relay(self, airing: Airing, pending: list[Occurrence]) -> Outcome:
        """A relay airs from when it can (a late start joins the stream) until its end, never after."""
        if not self.realtime:                      # a simulated week never connects to a live stream
            return self.miss(airing, _("a relay airs only live: not part of a simulation"))
        if self.clock.now() >= airing.deadline - dt.timedelta(seconds=1):
            return self.miss(airing, self._late_reason(airing.start, self.clock.now()))
        return Outcome(airing, *relay_airing.air(self, airing, pending))

    def _wait_until(self, when: dt.datetime) -> bool:
        """Pre-roll: everything is checked before the slot; start on the dot. False: the daemon
        is stopping (nothing is started)."""
        while not self.halt.is_set():
            remaining = (when - self.clock.now()).total_seconds()
            if remaining <= 0:
                return True
            if not self.realtime:
                self.clock.advance_to(when)
                return True
            if remaining > 0.05:
                self.halt.wait(min(remaining - 0.02, 0.5))
            else:
                time.sleep(min(remaining, 0.001))
        return False

    def watch_clock(self) -> None:
        """Notice a step of the wall clock (NTP, the RTC) as such: logged, and named as the reason
        of what it made miss."""
        now, elapsed = self.clock.now(), self.clock.elapsed()
        with self._airing_lock:
            last, self._last_time = self._last_time, (now, elapsed)
        if last is None:
            return
        expected = last[0] + dt.timedelta(seconds=elapsed - last[1])
        step = (now - expected).total_seconds()
        if abs(step) > CLOCK_STEP:
            self.steps.append((expected, now))
            log.warning("the clock stepped %+.0f s (from %s to %s): NTP or the RTC corrected it", step,
                        expected.isoformat(timespec="seconds"), now.isoformat(timespec="seconds"))

    def _late_reason(self, start: dt.datetime, now: dt.datetime) -> str:
        late, grace = int((now - start).total_seconds()), int(self.grace.total_seconds())
        for before, after in self.steps:
            if before < start <= after:
                return _("the clock stepped forward {seconds} s at {time} (NTP or the RTC corrected it), past "
                         "airtime").format(seconds=int((after - before).total_seconds()), time=f"{after:%d/%m/%Y %H:%M:%S}")
        return _("airtime passed {late} s ago (grace {grace} s): the station was not playing").format(late=late, grace=grace)

    def _play(self, airing: Airing, pending: list[Occurrence], held: HeldAudio, expected: float,
              stop: threading.Event, offset: float, items) -> tuple[PlayResult, list[str]] | None:
        """Start the player first, then log the attempt while the audio goes out. None: the daemon
        stopped during pre-roll."""
        rows: list[str] = []
        recorder = ProgressRecorder(self.ledger, rows, expected)
        retry, tries = OPEN_RETRY_FIRST, 0
        note = unapproved_note(airing.program)

        def begun(started: dt.datetime) -> None:       # the audio is on its way: log it (again, if late)
            if not rows:
                rows.extend(self._begin(_attempts(pending), airing.output, started, expected, items,
                                        str(held.source), note, offset))
                recorder.start()
                return
            late = _("the output could not be opened at airtime; started {late:.1f} s late, at try {n}").format(
                late=(started - airing.start).total_seconds(), n=tries + 1)
            for row in rows:
                self.ledger.restarted(row, started, "; ".join(filter(None, (note, late))))

        try:
            while True:
                result = self._attempt(airing, held, expected, stop, offset, recorder, begun)
                if result is None:
                    return None
                if not self._retry(airing, result, offset, stop, retry):
                    break
                tries += 1
                log.warning("%s: the output is not available (%s); trying again in %.1f s (grace until %s)",
                            airing.key, result.error, retry, f"{airing.start + self.grace:%H:%M:%S}")
                if self.halt.wait(retry):
                    break
                retry = min(OPEN_RETRY_MAX, retry * 2)
        finally:
            if recorder.thread.is_alive():
                recorder.stop()
        if not self.realtime and result.completed:
            self.clock.wait(result.played - offset)
        return result, rows

    def _attempt(self, airing: Airing, held: HeldAudio, expected: float, stop: threading.Event, offset: float,
                 recorder: ProgressRecorder, begun) -> PlayResult | None:
        """Open the output and play once (on the dot the first time, at once on a retry); None: the
        daemon stopped during pre-roll."""
        playing, failure = None, None
        try:
            player = self.player(airing.output)
            cue = player.prepare(held.path, expected, offset=offset, label=self._label(airing),
                                 progress=recorder.played)
            if not self._wait_until(airing.start - dt.timedelta(seconds=cue.lead)):
                cue.cancel()
                return None
            started = self.clock.now()
            playing = cue.go()
        except (OSError, BroadcastError) as exc:
            started = self.clock.now()
            failure = PlayResult(0.0, False, _("the player could not start: {reason}").format(reason=exc))
        log.info("%s: player started %+.1f ms from the scheduled time", airing.key,
                 (started - airing.start).total_seconds() * 1000)
        begun(started)
        return failure if playing is None else playing.wait(stop)

    def _retry(self, airing: Airing, result: PlayResult, offset: float, stop: threading.Event, wait: float) -> bool:
        """An output unavailable at airtime (a sound server restarting, a USB card re-plugged, the sink
        folder re-made), with nothing played yet: open it again while the grace window lasts."""
        if result.completed or result.stopped or stop.is_set() or self.halt.is_set() or not self.realtime:
            return False
        if result.played > offset + NOTHING_PLAYED:
            return False
        return self.clock.now() + dt.timedelta(seconds=wait) < airing.start + self.grace

    def _begin(self, attempts: list[tuple[str, str, str, dt.datetime]], output: str, started: dt.datetime,
               planned: float, items: list[AiredItem], audio: str | None, note: str | None = None,
               offset: float = 0.0) -> list[str]:
        """A `playing` row per (occurrence, slot, zone, scheduled time), each at its next attempt
        (OFFSET: seconds into the program it starts at, a resume), with the voice that read AUDIO
        (from its render record)."""
        extra = {"offset": round(offset, 3)} if offset else {}      # journals of older versions have none
        voice = voice_of(record(Path(audio)).get("items", [])) if audio and items else None
        if voice:
            extra.update(voice=voice.engines or None, voice_fallback=voice.fallback)
        return [self.ledger.begin(occurrence=oid, slot=slot, zone=zone, output=output, scheduled=scheduled,
                                  started=started, planned=planned, items=items, audio=audio, note=note, **extra)
                for oid, slot, zone, scheduled in attempts]

    def _label(self, airing: Airing) -> str:
        return f"{airing.start:%Y%m%d-%H%M%S}_{airing.slot}_{airing.occurrences[0].zone}" + \
            (f"+{len(airing.occurrences) - 1}" if len(airing.occurrences) > 1 else "")

    def _fail_all(self, pending: list[Occurrence], airing: Airing, reason: str) -> Outcome:
        now = self.clock.now()
        for row in self._begin(_attempts(pending), airing.output, now, airing.program.seconds, [], None):
            self.ledger.finish(row, "failed", now, 0.0, reason)
        log.error("%s: failed: %s", airing.key, reason)
        return Outcome(airing, "failed", error=reason)

    # ------------------------------------------------------------ emergency
    def emergency(self, entry: QueueEntry) -> list[Outcome]:
        """Air an emergency request at once on its zones, cutting what plays there; then,
        by policy, air the cut program again (resume) or queue its items (requeue)."""
        zones = (entry.zone,) if entry.zone else tuple(self.plan.schedule.zones)
        by_output: dict[str, list[str]] = {}
        for zone in zones:
            by_output.setdefault(self.output_of(zone), []).append(zone)
        if self.clock.now() - entry.added_at > EMERGENCY_STALE:
            late = _("requested more than 30 minutes before the daemon could air it")
            outcomes = [self._emergency_missed(entry, output, zs, late) for output, zs in by_output.items()]
        else:
            path, problem = self._emergency_audio(entry)
            results: list[Outcome] = []
            threads = [threading.Thread(target=lambda o=o, zs=zs: results.append(
                self._emergency_on(entry, o, zs, path, problem))) for o, zs in by_output.items()]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            outcomes = results
        self.db(queue.remove_if_present, entry.id)
        return outcomes

    def _emergency_audio(self, entry: QueueEntry) -> tuple[Path | None, str | None]:
        if entry.script.startswith("file:"):
            from broadcast.sound.limits import check_length

            path = Path(entry.script[5:])
            if not path.exists():
                return None, _("{path} not found").format(path=path)
            try:
                check_length(path, str(path))
            except BroadcastError as exc:
                return None, str(exc)
            return path, None
        item = next((i for i in self.plan.items if i.id == entry.script), None)
        if item is None:                         # written a moment ago (a province bulletin): not yet seen
            item = self._fresh_item(entry.script)
        if item is None:
            return None, _("unknown script {value!r}").format(value=entry.script)
        job = self.store.job(Program(False, None, (PlannedItem(item.id, "queue", entry.id),), False, 0.0),
                             {item.id: item})
        if self.store.problem(job.path) is not None:
            worker = render_in_worker(self.station, [job])
            worker.join(self.station.playout.render_timeout)
        problem = self.store.problem(job.path)
        return (job.path, None) if problem is None else (None, _("emergency audio {problem}").format(problem=problem))

    def _fresh_item(self, script: str):
        """SCRIPT read from the files now (not from self.plan, which a reload in flight may still
        replace with an older read); None if it is not there or is left out."""
        try:
            return next((i for i in week.load(self.station).items if i.id == script), None)
        except BroadcastError:
            return None

    def _emergency_missed(self, entry: QueueEntry, output: str, zones: list[str], reason: str) -> Outcome:
        for zone in zones:
            self.ledger.missed(occurrence=f"emergency/{entry.id}/{zone}", slot="emergency", zone=zone,
                               output=output, scheduled=entry.added_at, planned=0.0, reason=reason)
        return Outcome(None, "missed", error=reason)

    def _emergency_on(self, entry: QueueEntry, output: str, zones: list[str], path: Path | None,
                      problem: str | None) -> Outcome:
        cut = self.current.get(output)
        stop = self.stops.get(output)
        if stop is not None:
            stop.set()
        with self.output_lock(output):
            now = self.clock.now()
            attempts = [(f"emergency/{entry.id}/{zone}", "emergency", zone, entry.added_at) for zone in zones]
            if path is None:
                rows = self._begin(attempts, output, now, 0.0, [], None)
                for row in rows:
                    self.ledger.finish(row, "failed", now, 0.0, problem)
                log.error("emergency %d on %s failed: %s", entry.id, output, problem)
                return Outcome(None, "failed", error=problem, rows=rows)
            expected = self.store.seconds(path)
            rows = self._begin(attempts, output, now, expected, aired_items(path), str(path))
            halt = threading.Event()
            self.stops[output] = halt
            try:
                result = self.player(output).play(path, expected, halt, label=f"emergency-{entry.id}")
            except (OSError, BroadcastError) as exc:
                result = PlayResult(0.0, False, _("the player could not start: {reason}").format(reason=exc))
            finally:
                self.stops.pop(output, None)
            status = "completed" if result.completed else ("interrupted" if result.stopped else "failed")
            for row in rows:
                self.ledger.finish(row, status, self.clock.now(), result.played, result.error)
            log.warning("emergency %d on %s: %s", entry.id, output, status)
        if cut is not None:
            self._after_cut(cut, entry)
        return Outcome(None, status, result.played, result.error, rows)

    def _after_cut(self, cut: Airing, entry: QueueEntry) -> None:
        if self.station.playout.after_emergency == "resume":
            self.air(cut, resuming=True)
            return
        now = self.clock.now()
        for planned in cut.program.items:
            for occ in cut.occurrences:
                self.db(queue.requeue, planned.script, occ.zone, now)
        self.miss(cut, _("cut by emergency {id}; its items were queued for the next slot").format(id=entry.id))

    # ------------------------------------------------------------ restart
    def catch_up(self, alive_until: dt.datetime | None = None) -> list[Outcome]:
        """At start: close rows a dead daemon left open, air what is still inside its grace
        window (by the restart policy), and log the rest as missed. ALIVE_UNTIL: the last
        heartbeat of the daemon before this one (read before this one beats)."""
        now = self.clock.now()
        if not self.ledger.flush(LEDGER_START_WAIT):
            log.error("the as-run journal could not be written to the database yet; rows found playing are "
                      "closed with what the database knows")
        for row in self.db(asrun.close_unfinished, now, END_REACHED):
            log.warning("%s: was playing when the daemon stopped; logged %s", row.occurrence,
                        "completed (it had played to its end)" if asrun.played_whole(row, END_REACHED)
                        else "interrupted")
        # everything due before the newest row, or before the last daemon's last heartbeat, was
        # handled when it was due; look from there on (a new station: nothing was ever due before now)
        handled = [t for t in (self.db(asrun.last_scheduled), alive_until) if t is not None]
        if not handled:
            since = now - self.grace - dt.timedelta(seconds=1)
        else:
            since = max(now - dt.timedelta(days=self.station.playout.catch_up_days), max(handled) - HANDLED_MARGIN)
        outcomes = []
        for airing in self.airings(since, now + dt.timedelta(seconds=1)):
            if not self.pending(airing):
                continue
            if now <= airing.start + self.grace or airing.relay is not None and now < airing.deadline:
                outcomes.append(self.air(airing, self._resume_offset(airing)))     # a relay: joins for the rest
            else:
                outcomes.append(self.miss(airing, _("the daemon was not running at airtime")))
        return [o for o in outcomes if o]

    def _resume_offset(self, airing: Airing) -> float:
        if self.station.playout.restart != "resume":
            return 0.0
        played = [r.played_seconds or 0.0 for o in airing.occurrences for r in self.db(asrun.attempts, o.id)
                  if r.status == "interrupted"]
        return max(played, default=0.0)

    # ------------------------------------------------------------ simulation
    def simulate(self, start: dt.datetime, end: dt.datetime) -> list[Outcome]:
        """Run [start, end) on the simulated clock: render, then air each program in turn."""
        worker = self.render_ahead(start, (end - start).total_seconds() / 3600)
        if worker is not None:
            worker.join()
        outcomes = []
        for airing in self.airings(start, end):
            self.clock.advance_to(airing.start)
            outcome = self.air(airing)
            if outcome is not None:
                outcomes.append(outcome)
        self.clock.advance_to(end)
        return outcomes

    def open_streams(self) -> None:
        """Connect every Icecast output now, so its mount is alive before the first program."""
        for zone in self.plan.schedule.zones:
            output = self.output_of(zone)
            if output.startswith("icecast:"):
                try:
                    self.player(output).streamer()
                except BroadcastError as exc:
                    log.error("%s: %s", zone, exc)

    def close(self, ledger_wait: float = 10.0) -> None:
        self.relay_desk.close()
        for player in self._players.values():
            player.close()
        self.ledger.close(ledger_wait)
        self.conn.close()


@dataclass
class Simulation:
    outcomes: list[Outcome]
    db_path: Path
    sink: Path
    hidden: list = field(default_factory=list)      # scripts left out: their errors


def simulate(station: Station, first: dt.date, days: int, out: Path) -> Simulation:
    """Run DAYS of the schedule from FIRST on a simulated clock, airing to a file sink in
    OUT and logging to OUT/asrun.db (the station's own log is not touched)."""
    from broadcast.clock import SimulatedClock

    tz = station.tz
    start = dt.datetime.combine(first, dt.time(0), tz)
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    playout = Playout(station, SimulatedClock(start), realtime=False, db_path=out / "asrun.db",
                      sink_override=f"file:{out / 'sink'}")
    try:
        outcomes = playout.simulate(start, start + dt.timedelta(days=days))
    finally:
        playout.close()
    return Simulation(outcomes, out / "asrun.db", out / "sink", playout.plan.hidden)
