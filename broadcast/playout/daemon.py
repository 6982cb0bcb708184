"""`broadcast run`: the station daemon. APScheduler fires each airing at its time; a tick
reloads a changed schedule, re-plans the next two days and renders ahead in a worker
process; emergency requests are picked up at once (SIGUSR1) or within a second.

APScheduler 3.x pitfalls designed around: jobs live in memory only and are rebuilt from
the schedule file (no pickled job store to lose silently); misfire_grace_time=None so a
late job still runs and `Playout.air` itself decides, from the as-run log, whether it is
still inside the grace window or is logged missed; one process per station (a lock).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import logging
import os
import signal
import socket
import sqlite3
import struct
import threading
import time
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from broadcast.clock import BUILD_DATE
from broadcast.errors import BroadcastError
from broadcast.files import atomic_path
from broadcast.i18n import _, known
from broadcast.playout import status
from broadcast.playout.airing import Playout
from broadcast.records import asrun, retention
from broadcast.render.programs import ProgramStore, render_job
from broadcast.schedule import queue, week
from broadcast.schedule.plan import PlannedItem, Program
from broadcast.station import db
from broadcast.station.settings import Station

log = logging.getLogger("broadcast.daemon")
PLAN_HORIZON = dt.timedelta(days=2)
PREROLL = dt.timedelta(seconds=3)     # jobs fire this early: checks done, the player starts on the dot
RELAY_PREROLL = dt.timedelta(seconds=10)   # a relay connects and buffers before airtime
TICK_SECONDS = 2       # a saved script, schedule or queue entry is taken within a few seconds
SETTLE_NS = 1_000_000_000
RENDER_CHECK_SECONDS = 10  # how often render-ahead looks for programs to render
PRUNE_SECONDS = 24 * 3600  # how often aired program audio past its retention is deleted
STOP_BUDGET = 10           # seconds a stop may take (systemd's TimeoutStopSec is 30): then the daemon exits


class AlreadyRunning(BroadcastError):
    """Another daemon holds the station."""


class StationLock:
    """One daemon per station folder, whatever the path it is reached by (a bind-mounted alias, a
    symlink) or the namespace it runs in (`unshare -n`, PrivateNetwork=, a container): an
    exclusive flock on the folder itself, which the kernel ties to the folder's inode and drops
    with the process (nothing on disk to delete or to go stale). An abstract Unix socket named
    after the folder answers `owner()` within one network namespace (SO_PEERCRED); from another
    one the owner is read from /proc/locks. ROOT/run.lock keeps the owner's pid for people and is
    made again if deleted."""

    def __init__(self, station: Station):
        self.root = station.root
        self.path = station.root / "run.lock"
        digest = hashlib.sha256(str(station.root.resolve()).encode()).hexdigest()[:32]
        self.address = f"\0broadcast-station-{digest}"
        self._socket: socket.socket | None = None
        self._folder: int | None = None

    def acquire(self) -> "StationLock":
        folder = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(folder)
            raise self._refused() from None
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        try:
            sock.bind(self.address)
        except OSError:
            sock.close()
            os.close(folder)
            raise self._refused() from None
        sock.listen(8)
        self._socket, self._folder = sock, folder
        threading.Thread(target=self._answer, args=(sock,), name="station lock", daemon=True).start()
        self.mark()
        return self

    def _refused(self) -> "AlreadyRunning":
        return AlreadyRunning(_("another 'broadcast run' is already running for {folder} (pid {pid})")
                              .format(folder=self.path.parent, pid=self.owner() or "?"),
                              _("stop it first (systemctl stop broadcast), or use 'broadcast play-now' "
                                "to air something at once"))

    @staticmethod
    def _answer(sock: socket.socket) -> None:
        """Take each `owner()` probe off the backlog (they learn the pid from the connection itself)."""
        while True:
            try:
                conn, _addr = sock.accept()
            except OSError:               # released
                return
            conn.close()

    def mark(self) -> None:
        """Write (again) our pid into run.lock."""
        try:
            with atomic_path(self.path) as tmp:
                tmp.write_text(str(os.getpid()))
        except OSError as exc:
            log.warning("%s not written: %s", self.path, exc)

    def check(self) -> None:
        """Make run.lock again if it was deleted or changed (a tidy-up, git clean)."""
        try:
            mine = self.path.read_text().strip() == str(os.getpid())
        except OSError:
            mine = False
        if not mine:
            log.warning("%s was deleted or changed while the daemon runs; written again", self.path)
            self.mark()

    def owner(self) -> int | None:
        """The pid holding the station (asked of the lock itself, not of run.lock)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC) as probe:
            try:
                probe.connect(self.address)
            except OSError:
                return self._flock_owner()
            pid, _uid, _gid = struct.unpack("3i", probe.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                                   struct.calcsize("3i")))
            return pid

    def _flock_owner(self) -> int | None:
        """The pid of the flock on the folder, from /proc/locks (any network namespace)."""
        try:
            st = os.stat(self.root)
            lines = Path("/proc/locks").read_text().splitlines()
        except OSError:
            return None
        node = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
        for line in lines:
            fields = line.split()
            if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == node and fields[4].isdigit():
                return int(fields[4]) or None
        return None

    def held_elsewhere(self) -> bool:
        if self._folder is not None:
            return False
        try:
            folder = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError:
            return False
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(folder)          # closing drops a probe's own lock at once
        return self.owner() is not None

    def release(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
            self.path.unlink(missing_ok=True)
        if self._folder is not None:
            os.close(self._folder)
            self._folder = None


def wait_for_sane_clock(clock, stop: threading.Event, poll: float = 30.0) -> bool:
    """Refuse a clock before the build date (a board booted at 1970); wait for NTP or the RTC.
    Returns False if stopped while waiting."""
    warned = False
    while not clock.sane():
        if not warned:
            log.error("the clock says %s, before %s: it is wrong; waiting for a sane time (check NTP or "
                      "the RTC battery)", clock.now().isoformat(timespec="seconds"), BUILD_DATE.date())
            warned = True
        if clock.wait(poll, stop):
            return False
    if warned:
        log.warning("the clock is sane again: %s", clock.now().isoformat(timespec="seconds"))
    return True


def _files(station: Station) -> tuple:
    """(path, mtime, size) of every schedule and script: changes when any is saved or removed."""
    files = sorted(station.schedules_dir.glob("*.y*ml")) + sorted(station.scripts_dir.glob("*.md"))
    out = []
    for path in files:
        try:
            st = path.stat()
            out.append((str(path), st.st_mtime_ns, st.st_size))
        except OSError:
            pass
    return tuple(out)


def _settled(files: tuple, now_ns: int) -> bool:
    """No file changed in the last SETTLE: a file written in place by a text editor is read only
    once it is whole (saves from broadcast itself are atomic renames anyway)."""
    return all(now_ns - mtime >= SETTLE_NS for _, mtime, _ in files)


class Daemon:
    def __init__(self, station: Station, clock, stop: threading.Event | None = None):
        self.station = station
        self.clock = clock
        self.stop = stop or threading.Event()
        self.wake = threading.Event()
        self.playout: Playout | None = None
        self.scheduler: BackgroundScheduler | None = None
        self._render = None
        self._seen = ()
        self._next_render = 0.0
        self._next_prune = 0.0
        self._emergencies: set[int] = set()
        self._beat_failing = False
        self.lock: StationLock | None = None

    def run(self) -> None:
        self.lock = lock = StationLock(self.station).acquire()
        try:
            self._install_signals()
            if not wait_for_sane_clock(self.clock, self.stop):
                return
            self._serve()
        finally:
            lock.release()

    def _install_signals(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        signal.signal(signal.SIGTERM, lambda *_: self.stop.set())
        signal.signal(signal.SIGINT, lambda *_: self.stop.set())
        signal.signal(signal.SIGUSR1, lambda *_: self.wake.set())

    def _serve(self) -> None:
        self.playout = Playout(self.station, self.clock, last_good=True)
        self.playout.open_streams()
        self._seen = self._fingerprint()
        tz = self.playout.plan.schedule.tz
        self.scheduler = BackgroundScheduler(
            timezone=tz, executors={"default": ThreadPoolExecutor(32)},
            job_defaults={"misfire_grace_time": None, "coalesce": False, "max_instances": 1})
        self.scheduler.start()
        log.info("station daemon started for %s (pid %d)", self.station.root, os.getpid())
        alive_until = self.playout.db(status.last_beat)      # before this daemon's first beat
        self.scheduler.add_job(self.playout.catch_up, id="catch-up", args=[alive_until])
        self.sync_jobs()
        self.scheduler.add_job(self.tick, IntervalTrigger(seconds=TICK_SECONDS), id="tick")
        self.tick()
        try:
            while not self.stop.is_set():
                self.wake.wait(1.0)
                self.wake.clear()
                self.emergencies()
        finally:
            self._shutdown()

    def sync_jobs(self) -> None:
        """One date job per airing in the next two days (firing PREROLL early; `Playout.air`
        waits for the exact time); jobs the schedule dropped go."""
        now = self.clock.now()
        wanted = {a.key: a for a in self.playout.airings(now, now + PLAN_HORIZON)}
        for job in self.scheduler.get_jobs():
            if "|" in job.id and job.id not in wanted:
                job.remove()
        for key, airing in wanted.items():
            if self.scheduler.get_job(key) is None:
                early = RELAY_PREROLL if airing.relay is not None else PREROLL
                self.scheduler.add_job(self.fire, DateTrigger(run_date=airing.start - early), id=key, args=[key])

    def fire(self, key: str) -> None:
        start = dt.datetime.fromisoformat(key.split("|", 1)[0])
        second = dt.timedelta(seconds=1)
        airing = next((a for a in self.playout.airings(start - second, start + second) if a.key == key), None)
        if airing is None:
            log.info("%s: no longer in the schedule", key)
            return
        self.playout.air(airing)

    def _fingerprint(self) -> tuple:
        return _files(self.station), self.playout.db(queue.ids)

    def tick(self) -> None:
        try:
            self.playout.watch_clock()
            self.playout.watch_database()
            if self.lock is not None:
                self.lock.check()
            seen = self._fingerprint()
            if seen != self._seen and _settled(seen[0], time.time_ns()):
                self._seen = seen
                self.playout.reload()
            self.sync_jobs()
            due = time.monotonic() >= self._next_render
            if due and (self._render is None or not self._render.is_alive()):
                self._next_render = time.monotonic() + RENDER_CHECK_SECONDS
                self._render = self.playout.render_ahead(self.clock.now())
            if time.monotonic() >= self._next_prune:
                self._next_prune = time.monotonic() + PRUNE_SECONDS
                gone = retention.prune(self.station, self.clock.now())
                if gone:
                    log.info("pruned %d aired program(s) older than %d days", len(gone),
                             self.station.playout.keep_aired_days)
        except Exception:                # the daemon survives one bad tick
            log.exception("tick failed")
        self.beat()

    def beat(self) -> None:
        """The heartbeat row: alive, and which plan is in force."""
        p = self.playout
        try:
            p.db(status.beat, status.DaemonStatus(os.getpid(), self.clock.now(), p.plan_loaded, len(p.plan.items),
                                                  len(p.plan.queue), p.plan_error,
                                                  p.salvage.message if p.salvage else None))
        except sqlite3.Error as exc:          # another writer holds the database, a full disk: the next beat will do
            if not self._beat_failing:
                log.warning("heartbeat not written: %s (said once, until it is written again)", exc)
            self._beat_failing = True
        else:
            self._beat_failing = False

    def emergencies(self) -> None:
        for entry in self.playout.db(queue.emergencies):
            if entry.id not in self._emergencies:
                self._emergencies.add(entry.id)
                threading.Thread(target=self._emergency, args=(entry,), name=f"emergency-{entry.id}").start()

    def _emergency(self, entry) -> None:
        try:
            self.playout.emergency(entry)
        except Exception:
            log.exception("emergency %d failed", entry.id)

    def _shutdown(self) -> None:
        log.info("stopping: programs playing now are logged interrupted")
        overdue = threading.Timer(STOP_BUDGET, self._overdue)
        overdue.daemon = True
        overdue.start()
        self.playout.halt.set()              # nothing new starts; pre-roll and renders at airtime give up
        for stop in list(self.playout.stops.values()):
            stop.set()
        if self._render is not None and self._render.is_alive():
            self._render.terminate()      # first: a tick starting a render must not hold the stop up
        self.scheduler.shutdown(wait=True)
        if self._render is not None and self._render.is_alive():
            self._render.terminate()
        self.playout.close(STOP_BUDGET * 0.4)
        overdue.cancel()

    def _overdue(self) -> None:
        """A stop that takes too long (a disk whose every sync takes seconds) ends here, well inside
        systemd's TimeoutStopSec: never killed in the middle of a write. Every as-run change is in
        the journal file already (written at once, synced after): the next start writes it."""
        log.error("stopping took more than %d s (the disk is slow): exiting now; the as-run journal keeps what the "
                  "database has not taken yet, for the next start", STOP_BUDGET)
        for handler in logging.getLogger().handlers:
            handler.flush()
        os._exit(0)


def signal_daemon(station: Station) -> int | None:
    """Wake a running daemon (emergency waiting); returns its pid, or None if none runs."""
    lock = StationLock(station)
    if not lock.held_elsewhere():
        return None
    pid = lock.owner()
    if pid == os.getpid():        # another thread of this process airs an emergency itself: no daemon to wake
        return None
    if pid:
        try:
            os.kill(pid, signal.SIGUSR1)
        except OSError:
            return None
    return pid


AUDIO_SUFFIXES = (".wav", ".mp3", ".flac", ".ogg", ".m4a")


def _in_process_lock(station: Station, deadline: float) -> StationLock:
    """The station's lock for airing here, no daemon running. Another thread of this process may
    hold it (an emergency on several zones): wait for it, so the zones air one after the other."""
    while True:
        try:
            return StationLock(station).acquire()
        except AlreadyRunning:
            if StationLock(station).owner() not in (os.getpid(), None) or time.monotonic() > deadline:
                raise                     # a daemon started meanwhile (None: the sister thread just let go)
            time.sleep(0.2)


def play_now(station: Station, what: str, zone: str | None, clock, timeout: float = 600.0) -> list:
    """Emergency broadcast of WHAT (a script id or an audio file) at once, on ZONE or all zones.

    With a daemon running, the request goes through the database and the daemon (woken by
    SIGUSR1) cuts what is playing; without one, this process airs it itself. Returns the
    as-run rows of the emergency."""
    plan = week.load(station)
    if zone is not None and zone not in plan.schedule.zones:
        raise BroadcastError(_("unknown zone {value!r}").format(value=zone), known(plan.schedule.zones))
    path = Path(what)
    if path.suffix.lower() in AUDIO_SUFFIXES:
        if not path.exists():
            raise BroadcastError(_("{path}: file not found").format(path=what),
                                 _("give the path of a WAV or MP3 file, or a script id"))
        from broadcast.sound.limits import check_length     # the audio stack only for a file

        check_length(path, what)          # a 10-hour file would be decoded whole to be played
        request = f"file:{path.resolve()}"
    else:
        item = next((i for i in plan.items if i.id == what), None)
        if item is None:
            raise BroadcastError(_("{value!r} is neither an audio file nor a script id").format(value=what),
                                 known(sorted(i.id for i in plan.items)))

        job = ProgramStore(station).job(Program(False, None, (PlannedItem(item.id, "queue"),), False, 0.0),
                                        {item.id: item})
        if ProgramStore.problem(job.path) is not None:
            render_job(station, job)       # here, not in the daemon: airtime waits on nothing
        request = item.id
    conn = db.connect(station.db_path)
    try:
        entry = queue.add_emergency(conn, request, zone, clock.now())
        zones = [zone] if zone else list(plan.schedule.zones)
        wanted = {f"emergency/{entry.id}/{z}" for z in zones}
        if signal_daemon(station) is None:
            lock = _in_process_lock(station, time.monotonic() + timeout)
            try:
                playout = Playout(station, clock)
                try:
                    playout.emergency(entry)
                finally:
                    playout.close()
            finally:
                lock.release()
        deadline = time.monotonic() + timeout
        while True:
            found = [r for oid in wanted for r in asrun.attempts(conn, oid) if r.status != "playing"]
            if len({r.occurrence for r in found}) == len(wanted) or time.monotonic() > deadline:
                return found
            time.sleep(0.2)
    finally:
        conn.close()
