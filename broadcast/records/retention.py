"""Aired program audio (and the audio of relays, cache/aired/) is kept for listening back ("Nghe lại") for playout.keep_aired_days, then
pruned: the daemon prunes once a day."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from pathlib import Path

from broadcast.records import asrun
from broadcast.station import db
from broadcast.station.settings import Station


def prune(station: Station, now: dt.datetime) -> list[Path]:
    """Delete rendered programs that aired before the retention window (playout.keep_aired_days)
    and were not rendered again since; returns what was deleted."""
    keep = dt.timedelta(days=station.playout.keep_aired_days)
    folder = station.cache_dir / "programs"
    with closing(db.connect(station.db_path)) as conn:
        in_use = asrun.audio_in_use(conn, now - keep)
    cutoff = (now - keep).timestamp()
    gone = []
    relayed = station.cache_dir / "aired"          # what relays aired (MP3), kept as long
    candidates = (sorted(folder.glob("*.wav")) if folder.exists() else []) + \
        (sorted(relayed.glob("*.mp3")) if relayed.exists() else [])
    for path in candidates:
        if str(path) in in_use or path.stat().st_mtime >= cutoff:
            continue
        path.unlink(missing_ok=True)
        path.with_suffix(".json").unlink(missing_ok=True)
        gone.append(path)
    return gone
