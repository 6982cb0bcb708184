"""Opening a station, and what every front end shows about it: its zones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from broadcast.schedule.weekly import Zone, load_schedule
from broadcast.station.settings import STATION_FILE, Station, load_station

__all__ = ["STATION_FILE", "Station", "load_station", "open_station", "now", "zones"]


def open_station(root: Path) -> Station:
    """The station whose folder is ROOT (holds station.yaml); a value, never a global."""
    return load_station(Path(root))


def now(station: Station) -> dt.datetime:
    """The station's wall clock, in its own zone (front ends pass it on to the service)."""
    return dt.datetime.now(station.tz)


def zones(station: Station) -> list[Zone]:
    """The loudspeaker zones (cụm loa) of the station's schedule, with their outputs."""
    return list(load_schedule(station.schedules_dir, station.timezone, station.name).zones.values())
