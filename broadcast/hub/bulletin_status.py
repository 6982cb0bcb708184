"""What became of a province bulletin: per commune and zone, from its deliveries and the stations'
receipts (received, queued, then aired with its time, or failed / expired / refused and why)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from broadcast.hub.dictrows import dicts

ORDER = ("received", "queued", "aired", "failed", "expired", "refused")   # later states win


@dataclass
class ZoneState:
    zone: str                             # "" while the station has not answered for any zone
    state: str | None = None              # the furthest state reached (None: not received yet)
    at: dt.datetime | None = None
    aired_at: dt.datetime | None = None
    reason: str | None = None


@dataclass
class CommuneDelivery:
    station: str
    name: str
    delivered_at: dt.datetime | None
    zones: list[ZoneState] = field(default_factory=list)

    @property
    def aired(self) -> bool:
        return any(z.state == "aired" for z in self.zones)


@dataclass(frozen=True)
class BulletinSummary:
    id: str
    title: str
    priority: str
    created_at: dt.datetime
    valid_from: dt.datetime
    valid_until: dt.datetime
    by: str
    text: str | None
    has_audio: bool
    addressed: int
    aired: int


SUMMARY = """
SELECT b.id, b.title, b.priority, b.created_at, b.valid_from, b.valid_until, b.by, b.text, b.audio_sha256 IS NOT NULL AS has_audio,
       (SELECT count(*) FROM deliveries d WHERE d.bulletin_id = b.id) AS addressed,
       (SELECT count(DISTINCT station_id) FROM receipts r WHERE r.bulletin_id = b.id AND r.state = 'aired') AS aired
FROM bulletins b WHERE (%(id)s::text IS NULL OR b.id = %(id)s) ORDER BY b.created_at DESC LIMIT %(limit)s
"""


def _summary(r) -> BulletinSummary:
    return BulletinSummary(r["id"], r["title"], r["priority"], r["created_at"], r["valid_from"], r["valid_until"],
                           r["by"], r["text"], r["has_audio"], r["addressed"], r["aired"])


def summaries(conn, limit: int = 100) -> list[BulletinSummary]:
    return [_summary(r) for r in dicts(conn).execute(SUMMARY, {"id": None, "limit": limit})]


def summary(conn, bulletin: str) -> BulletinSummary | None:
    found = dicts(conn).execute(SUMMARY, {"id": bulletin, "limit": 1}).fetchone()
    return _summary(found) if found else None


def deliveries(conn, bulletin: str) -> list[CommuneDelivery]:
    rows = dicts(conn).execute("SELECT s.id, s.name, b.created_at AS delivered_at, r.zone, r.state, r.at, r.reason "
                        "FROM deliveries d JOIN stations s ON s.id = d.station_id JOIN bulletins b ON b.id = d.bulletin_id "
                        "LEFT JOIN receipts r ON r.bulletin_id = d.bulletin_id AND r.station_id = d.station_id "
                        "WHERE d.bulletin_id = %s ORDER BY s.name, s.id, r.zone, r.at", (bulletin,))
    found: dict[str, CommuneDelivery] = {}
    for r in rows:
        commune = found.setdefault(r["id"], CommuneDelivery(r["id"], r["name"], r["delivered_at"]))
        if r["state"] is None:
            continue
        zone = next((z for z in commune.zones if z.zone == r["zone"]), None)
        if zone is None:
            zone = ZoneState(r["zone"])
            commune.zones.append(zone)
        if r["state"] == "aired":
            zone.aired_at = r["at"]
        if zone.state is None or ORDER.index(r["state"]) >= ORDER.index(zone.state):
            zone.state, zone.at, zone.reason = r["state"], r["at"], r["reason"]
    return list(found.values())
