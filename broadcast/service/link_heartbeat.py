"""The heartbeat a linked station sends: what Tổng quan already shows (daemon alive, outputs,
the loudest alert, fallback voices, next programs), plus the free disk and the voice in use."""

from __future__ import annotations

import datetime as dt
import shutil

from broadcast.errors import BroadcastError
from broadcast.protocol.records import Heartbeat, NextProgram, OutputState
from broadcast.records.asrun import without_password
from broadcast.schedule import week
from broadcast.service.dashboard import dashboard, output_available
from broadcast.service.voices import list_voices
from broadcast.station.settings import Station


def heartbeat(station: Station, now: dt.datetime) -> Heartbeat:
    board = dashboard(station, now)
    loudest = next((a for a in board.alerts if a.level == "error"), board.alerts[0] if board.alerts else None)
    outputs = []
    zone_outputs = _zone_outputs(station)
    for zone in board.zones:
        output = zone_outputs.get(zone.zone)
        if output is None:
            continue
        ok = output_available(station, output)
        outputs.append(OutputState(zone.zone, without_password(output)[:300], bool(ok), None if ok else ok.reason[:500]))
    chain = sorted((e for e in list_voices(station) if e.position is not None), key=lambda e: e.position)
    voice = next((e.name for e in chain if e.available), chain[0].name if chain else "")
    upcoming = tuple(NextProgram(z.zone, z.next.slot, z.next.start,
                                 tuple(board.item_titles.get(i.script, i.script) for i in z.next.program.items))
                     for z in board.zones if z.next is not None)
    return Heartbeat(now, board.daemon_alive, loudest.text[:1000] if loudest else None, tuple(outputs),
                     shutil.disk_usage(station.root).free, voice,
                     any(p.fallback_voice for p in board.today) or (bool(chain) and voice != chain[0].name), upcoming)


def _zone_outputs(station: Station) -> dict[str, str]:
    try:
        return {zid: zone.output for zid, zone in week.load(station).schedule.zones.items()}
    except BroadcastError:       # an invalid schedule: Tổng quan's alert says so; no outputs to report
        return {}
