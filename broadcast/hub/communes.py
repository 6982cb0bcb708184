"""Xã / phường as the province sees them: each commune's state from its latest heartbeat and its
as-run rows of a week, in one query (a lateral join per station, counts with FILTER)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from broadcast.hub.dictrows import dicts

ONLINE = dt.timedelta(minutes=2)          # a heartbeat younger than this: trực tuyến
STATES = ("online", "offline", "alert", "unlinked")
MISSED = ("missed", "failed")             # programs that did not go out
STANDBY = "fallback"                      # the station aired its standby audio instead


@dataclass(frozen=True)
class CommuneState:
    id: str
    name: str
    commune: str
    group: str | None
    linked: bool                          # enrolled and not revoked
    revoked: bool
    last_seen: dt.datetime | None         # by the hub's clock
    heartbeat: dict | None                # the latest heartbeat's body (protocol Heartbeat as JSON)
    missed: int                           # programs of the week that did not go out
    fallback: int                         # programs of the week on standby audio or read by a fallback voice

    def online(self, now: dt.datetime) -> bool:
        return self.linked and self.last_seen is not None and now - self.last_seen < ONLINE

    @property
    def alert(self) -> str | None:
        """The loudest alert: the station's own, else a dead daemon, else an output down."""
        hb = self.heartbeat
        if not self.linked or not hb:
            return None
        if hb.get("alert"):
            return hb["alert"]
        if hb.get("daemon_alive") is False:
            return "daemon"
        down = [o for o in hb.get("outputs") or () if not o.get("ok")]
        return "output" if down else None

    def states(self, now: dt.datetime) -> set[str]:
        if not self.linked:
            return {"unlinked"}
        return {"online" if self.online(now) else "offline"} | ({"alert"} if self.alert else set())


OVERVIEW = """
SELECT s.id, s.name, s.commune, g.name AS group_name, s.enrolled_at, s.revoked_at,
       greatest(s.last_seen, h.received_at) AS last_seen, h.body AS heartbeat,
       coalesce(a.missed, 0) AS missed, coalesce(a.fallback, 0) AS fallback
FROM stations s
LEFT JOIN groups g ON g.id = s.group_id
LEFT JOIN heartbeats h ON h.station_id = s.id
LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE status IN ('missed', 'failed')) AS missed,
           count(*) FILTER (WHERE status = 'fallback' OR voice_fallback IS NOT NULL) AS fallback
    FROM asrun WHERE station_id = s.id AND scheduled >= %(start)s AND scheduled < %(end)s) a ON true
WHERE (%(station)s::text IS NULL OR s.id = %(station)s)
ORDER BY s.name
"""


def _state(row) -> CommuneState:
    return CommuneState(row["id"], row["name"], row["commune"], row["group_name"],
                        row["enrolled_at"] is not None and row["revoked_at"] is None, row["revoked_at"] is not None,
                        row["last_seen"], row["heartbeat"], row["missed"], row["fallback"])


def overview(conn, week_start: dt.datetime, week_end: dt.datetime, station: str | None = None) -> list[CommuneState]:
    """Every commune (or STATION only) with its state and the week's missed, standby and fallback-voice programs."""
    rows = dicts(conn).execute(OVERVIEW, {"start": week_start, "end": week_end, "station": station})
    return [_state(r) for r in rows]


@dataclass(frozen=True)
class AsrunLine:
    scheduled: dt.datetime
    started: dt.datetime | None
    zone: str
    slot: str
    status: str
    played_seconds: float | None
    titles: tuple[str, ...]
    voice: str | None
    error: str | None


def asrun_week(conn, station: str, start: dt.datetime, end: dt.datetime) -> list[AsrunLine]:
    rows = dicts(conn).execute("SELECT scheduled, started, zone, slot, status, played_seconds, items, voice, error "
                        "FROM asrun WHERE station_id = %s AND scheduled >= %s AND scheduled < %s "
                        "ORDER BY scheduled, zone", (station, start, end))
    return [AsrunLine(r["scheduled"], r["started"], r["zone"], r["slot"], r["status"], r["played_seconds"],
                      tuple(str(i.get("title", "")) for i in r["items"] or ()), r["voice"], r["error"])
            for r in rows]

