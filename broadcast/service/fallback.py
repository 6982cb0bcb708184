"""Giọng dự phòng: programs rendered ahead but read, in part, by a fallback voice because the
preferred one failed. Tổng quan and Lịch phát mark them, with why and until when the daemon
asks the preferred voice again (playout.retry_preferred_until hours before the first airing)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from broadcast.render.programs import ProgramStore, record, voice_of
from broadcast.schedule.plan import Occurrence
from broadcast.station.settings import Station


@dataclass(frozen=True)
class FallbackVoice:
    first: dt.datetime               # the program's first airing among the occurrences asked about
    slot: str
    engines: str                     # who read it
    reason: str                      # why the preferred voice did not
    retry_until: dt.datetime         # the preferred voice is asked again until then

    def key(self) -> tuple:
        return self.first, self.slot


def program_key(occ: Occurrence) -> tuple:
    """What identifies a program's airing on the pages (its time, slot and items)."""
    return occ.start, occ.slot, tuple(i.script for i in occ.program.items)


def fallback_voices(station: Station, plan, occurrences: list[Occurrence]) -> dict[tuple, FallbackVoice]:
    """For each occurrence (by `program_key`) whose rendered program a fallback voice read: what to show."""
    store = ProgramStore(station)
    items = {i.id: i for i in plan.items}
    found: dict[object, FallbackVoice | None] = {}
    marked: dict[tuple, FallbackVoice] = {}
    for occ in sorted(occurrences, key=lambda o: o.start):
        if not occ.program.items:
            continue
        if occ.program not in found:
            found[occ.program] = _read(station, store, occ, items)
        voice = found[occ.program]
        if voice is not None:
            marked[program_key(occ)] = voice
    return marked


def _read(station: Station, store: ProgramStore, occ: Occurrence, items: dict) -> FallbackVoice | None:
    try:
        path = store.job(occ.program, items).path
    except KeyError:                     # an item no longer in the plan
        return None
    voice = voice_of(record(path).get("items", []))
    if voice.fallback is None:
        return None
    return FallbackVoice(occ.start, occ.slot, voice.engines, voice.fallback,
                         occ.start - dt.timedelta(hours=station.playout.retry_preferred_until))
