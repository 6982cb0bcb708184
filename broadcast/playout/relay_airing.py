"""Airing the relayed part of a slot on one output, and logging what really aired.

Every output relaying the same source at the same time joins one `relay.Session` (one
connection, one decode) through the `Desk`. Each output's as-run rows say how many of the
planned seconds came from the source, and each gap: from, to, why, and what filled it.
Status: `completed` only if all of it was relayed; `fallback` if gaps were filled;
`interrupted` if cut (emergency, shutdown); `failed` if the output carried nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from pathlib import Path

from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.playout.livesinks import STEP, Mp3Recorder, sink_for
from broadcast.playout.relay import Filler, Gap, Session
from broadcast.station.relays import RelaySource, source_for

log = logging.getLogger("broadcast.relay")
PROGRESS_SECONDS = 1.0


class Desk:
    """The relay sessions of a daemon, one per (source, airtime, length)."""

    def __init__(self):
        self._sessions: dict[tuple, Session] = {}
        self._lock = threading.Lock()

    def session(self, key: tuple, make) -> Session:
        with self._lock:
            for old in [k for k, s in self._sessions.items() if s.done.is_set()]:
                del self._sessions[old]
            if key not in self._sessions:
                self._sessions[key] = make()
            return self._sessions[key]

    def close(self) -> None:
        with self._lock:
            sessions = list(self._sessions.values())
            self._sessions.clear()
        for session in sessions:
            session.stop()


def recording_path(station, airing, source: RelaySource) -> Path:
    """Where what aired is kept for "Nghe lại" (pruned after playout.keep_aired_days)."""
    name = f"{airing.start:%Y%m%d-%H%M%S}_{airing.slot}_{source.id if '://' not in source.id else 'url'}.mp3"
    return station.cache_dir / "aired" / name


def _own_program(playout, airing) -> Path | None:
    """The slot's own program on this output, if it is rendered (it fills a gap first)."""
    zone = airing.occurrences[0].zone
    for occ in playout.plan.occurrences(airing.start.date(), airing.start.date() + dt.timedelta(days=1)):
        if occ.slot == airing.slot and occ.zone == zone and occ.relay is None and occ.program.items:
            path = playout.job(occ.program).path
            return path if playout.store.problem(path) is None else None
    return None


def _new_session(playout, airing, source: RelaySource) -> Session:
    station = playout.station
    t0 = time.monotonic() + (airing.start - playout.clock.now()).total_seconds()
    path = recording_path(station, airing, source)
    filler = Filler(_own_program(playout, airing), station.path(station.playout.standby))
    return Session(source, t0, airing.relay.seconds, filler, lambda: Mp3Recorder(path),
                   f"{source.id} {airing.start:%H:%M:%S}", path)


def gap_records(airing, gaps: list[Gap]) -> list[dict]:
    """Each gap with its times; "to" is None while the source is still gone."""
    at = lambda index: (airing.start + dt.timedelta(seconds=index * STEP)).isoformat(timespec="seconds")  # noqa: E731
    return [{"from": at(g.start), "to": at(g.end) if g.end >= 0 else None, "why": g.why, "filler": g.filler}
            for g in gaps]


def summary(relayed: float, planned: float, gaps: list[dict]) -> str | None:
    """The row's error text: what did not come from the source, in the officer's words."""
    if not gaps:
        return None
    parts = [_("{from_} – {to}: {why}; aired {filler}").format(
        from_=g["from"][11:19], to=g["to"][11:19], why=g["why"], filler=g["filler"]) for g in gaps]
    return _("relayed {relayed:.0f} s of {planned:.0f} s; gaps: {gaps}").format(
        relayed=relayed, planned=planned, gaps="; ".join(parts))


def air(playout, airing, pending) -> tuple[str, float, str | None, list[str]]:
    """Relay AIRING on its output until the relay's end (or a stop); (status, played, error, rows)."""
    station = playout.station
    source = source_for(airing.relay.source, station.relay_sources())
    attempts = [(o.id, o.slot, o.zone, o.start) for o in pending]
    if source is None:                    # the schedule check refuses this; a station.yaml edited since may not
        return _fail(playout, airing, attempts, _("unknown relay source {value!r}").format(value=airing.relay.source))
    key = (source.id, airing.start, airing.relay.seconds)      # connects now, in pre-roll, whatever plays
    session = playout.relay_desk.session(key, lambda: _new_session(playout, airing, source))
    with playout.output_lock(airing.output):
        stop = threading.Event()
        playout.stops[airing.output], playout.current[airing.output] = stop, airing
        try:
            return _relay(playout, airing, session, source, attempts, stop)
        finally:
            playout.stops.pop(airing.output, None)
            playout.current.pop(airing.output, None)


def _relay(playout, airing, session, source, attempts, stop) -> tuple[str, float, str | None, list[str]]:
    try:
        sink = sink_for(playout.player(airing.output), playout._label(airing))
    except (OSError, BroadcastError) as exc:
        return _fail(playout, airing, attempts, _("the output could not start: {reason}").format(reason=exc),
                     source)
    first = session.attach(sink)
    started = airing.start + dt.timedelta(seconds=first * STEP)
    planned = round((session.total - first) * STEP, 1)       # joined late (a restart, after an emergency): the rest
    due = session.t0 + first * STEP
    while time.monotonic() < due and not session.done.is_set():     # the rows say "playing" from airtime on
        if stop.wait(min(0.05, due - time.monotonic())) or playout.halt.is_set():
            session.detach(sink)
            log.warning("%s: stopped before the relay began: not aired", airing.key)
            return "interrupted", 0.0, _("stopped"), []
    audio = str(session.recording) if session.recording is not None else None
    rows = [playout.ledger.begin(occurrence=oid, slot=slot, zone=zone, output=airing.output, scheduled=scheduled,
                                 started=max(started, playout.clock.now()), planned=planned, items=[], audio=audio,
                                 note=None, relay_source=source.name)
            for oid, slot, zone, scheduled in attempts]
    log.info("%s: relaying %s (%s) from chunk %d", airing.key, source.name, source.safe_url, first)
    stopped, next_progress, shown = False, time.monotonic() + PROGRESS_SECONDS, []
    while not sink.finished.wait(0.1) and not session.done.is_set():   # the output is free once its part is out
        if stop.is_set() or playout.halt.is_set():
            stopped = True
            session.detach(sink)
            break
        if time.monotonic() >= next_progress:
            next_progress += PROGRESS_SECONDS
            for row in rows:
                playout.ledger.progress(row, sink.played)
            now_gaps = gap_records(airing, session.gaps_in(first, session.index))
            if now_gaps != shown:                   # the console shows a gap while it lasts
                shown = now_gaps
                for row in rows:
                    playout.ledger.relayed(row, session.relayed_seconds(first, session.index), now_gaps)
    if sink.lateness is not None and first == 0:
        log.info("%s: relay started %+.1f ms from the scheduled time", airing.key, sink.lateness * 1000)
    last = sink.last_index if sink.last_index >= 0 else session.index
    relayed = session.relayed_seconds(first, last)
    gaps = gap_records(airing, session.gaps_in(first, last))
    played = min(sink.played, planned)
    if stopped:
        status, error = "interrupted", _("stopped")
    elif sink.written == 0:
        status, error = "failed", sink.error or _("the output carried nothing")
    elif gaps or sink.error or sink.lost or played < planned - 0.5:
        status = "fallback" if gaps else "failed"
        error = "; ".join(e for e in (summary(relayed, planned, gaps), sink.error,
                                      _("the output dropped {seconds:.1f} s").format(seconds=sink.lost)
                                      if sink.lost else None) if e) or \
            _("played {played:.1f} s of {expected:.1f} s: the audio ended early").format(played=played,
                                                                                       expected=planned)
    else:
        status, error = "completed", None
    ended = playout.clock.now()
    for row in rows:
        playout.ledger.relayed(row, relayed, gaps)
        playout.ledger.finish(row, status, ended, played, error)
    (log.info if status == "completed" else log.warning)(
        "%s: relay %s: %s (%.1f s relayed of %.1f s)%s", airing.key, source.id, status, relayed, planned,
        f": {error}" if error else "")
    return status, played, error, rows


def _fail(playout, airing, attempts, reason: str, source: RelaySource | None = None):
    now = playout.clock.now()
    rows = [playout.ledger.begin(occurrence=oid, slot=slot, zone=zone, output=airing.output, scheduled=scheduled,
                                 started=now, planned=float(airing.relay.seconds), items=[], audio=None, note=None,
                                 relay_source=source.name if source else airing.relay.source)
            for oid, slot, zone, scheduled in attempts]
    for row in rows:
        playout.ledger.finish(row, "failed", now, 0.0, reason)
    log.error("%s: relay failed: %s", airing.key, reason)
    return "failed", 0.0, reason, rows
