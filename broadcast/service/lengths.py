"""Items longer than every slot they could air in: such an item would never air, so the item page
and Lịch phát say so (a 5,000-word item reads for half an hour; slots last 15 minutes)."""

from __future__ import annotations

from dataclasses import dataclass

from broadcast.news.scripts import NewsItem
from broadcast.schedule.durations import station_timing
from broadcast.schedule.weekly import Slot, load_schedule
from broadcast.service.scripts import list_scripts
from broadcast.station.settings import Station


@dataclass(frozen=True)
class TooLong:
    item: str                        # its id
    title: str
    seconds: float                   # how long it reads (rendered, or estimated from its text)
    longest: int                     # the longest slot it could air in, seconds
    slot: str                        # that slot's title


def too_long(station: Station, items: list[NewsItem] | None = None) -> list[TooLong]:
    """ITEMS (default: every item) that no slot they could air in is long enough for: the slots
    that name them or choose their topic, else (only queued by hand) any slot."""
    schedule = load_schedule(station.schedules_dir, station.timezone, station.name)
    slots = schedule.slots + schedule.events
    if not slots:
        return []
    timing = station_timing(station)
    found = []
    for item in list_scripts(station).items if items is None else items:
        fits = [s for s in slots if _may_air(s, item)] or list(slots)
        best = max(fits, key=lambda s: s.length)
        seconds = timing.item(item)
        if seconds > best.length:
            found.append(TooLong(item.id, item.title, seconds, best.length, best.title or best.id))
    return found


def _may_air(slot: Slot, item: NewsItem) -> bool:
    return item.id in slot.template.items or any(not rule.topics or item.topic in rule.topics
                                                   for rule in slot.template.rules)
