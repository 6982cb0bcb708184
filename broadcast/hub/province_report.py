"""Báo cáo tỉnh: a period across communes, aggregated in PostgreSQL (GROUP BY over the as-run rows,
read by the index on (station_id, scheduled)): per commune, per topic, the reach of the province's
bulletins, and the communes that sent no as-run row in the period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from broadcast.hub.dictrows import dicts
from broadcast.records.report import Period
from broadcast.station.topics import DEFAULT_TOPICS


@dataclass(frozen=True)
class CommuneLine:
    station: str
    name: str
    group: str | None
    scheduled: int            # programs due (emergencies apart)
    aired: int                # programs that went out (in full or on standby audio)
    missed: int               # rows missed or failed
    standby: int              # programs aired on standby audio
    seconds: float            # airtime, every attempt counted
    item_airings: int
    emergencies: int

    @property
    def completion(self) -> float:
        return min(1.0, (self.aired - self.emergencies) / self.scheduled) if self.scheduled else 0.0


@dataclass(frozen=True)
class TopicLine:
    code: str
    label: str
    airings: int              # item airings over every commune and zone
    seconds: float            # their speech time
    communes: int             # communes that aired the topic


@dataclass(frozen=True)
class CommuneTopic:
    station: str
    topic: str
    airings: int
    seconds: float


@dataclass(frozen=True)
class BulletinLine:
    id: str
    title: str
    priority: str
    created_at: dt.datetime
    addressed: int            # communes the bulletin was addressed to
    aired: int                # of them, communes with an 'aired' receipt
    failed: int               # communes with a failed, expired or refused receipt and none aired

    @property
    def not_aired(self) -> int:
        return self.addressed - self.aired


@dataclass(frozen=True)
class Silent:
    station: str
    name: str
    group: str | None
    last_seen: dt.datetime | None


@dataclass
class ProvinceReport:
    period: Period
    communes: list[CommuneLine] = field(default_factory=list)
    topics: list[TopicLine] = field(default_factory=list)
    by_commune_topic: list[CommuneTopic] = field(default_factory=list)     # the communes' order, then topics'
    bulletins: list[BulletinLine] = field(default_factory=list)
    silent: list[Silent] = field(default_factory=list)

    @property
    def aired(self) -> int:
        return sum(c.aired for c in self.communes)

    @property
    def scheduled(self) -> int:
        return sum(c.scheduled for c in self.communes)

    @property
    def seconds(self) -> float:
        return sum(c.seconds for c in self.communes)

    @property
    def item_airings(self) -> int:
        return sum(c.item_airings for c in self.communes)


# One pass over the rows, no DISTINCT: a station numbers an occurrence's attempts from 1 and never airs
# an aired occurrence again (records.asrun), so attempt-1 rows count the programs due and aired rows
# the programs aired.
PER_COMMUNE = """
SELECT s.id, s.name, g.name AS group_name, a.*
FROM (SELECT station_id,
             count(*) FILTER (WHERE attempt = 1 AND occurrence NOT LIKE 'emergency/%%') AS scheduled,
             count(*) FILTER (WHERE status IN ('completed', 'fallback')) AS aired,
             count(*) FILTER (WHERE status IN ('missed', 'failed')) AS missed,
             count(*) FILTER (WHERE status = 'fallback') AS standby,
             coalesce(sum(played_seconds), 0) AS seconds,
             coalesce(sum(jsonb_array_length(items)) FILTER (WHERE status = 'completed'), 0) AS item_airings,
             count(*) FILTER (WHERE occurrence LIKE 'emergency/%%' AND status IN ('completed', 'fallback')) AS emergencies
      FROM asrun WHERE scheduled >= %(start)s AND scheduled < %(end)s
      GROUP BY station_id) a
JOIN stations s ON s.id = a.station_id
LEFT JOIN groups g ON g.id = s.group_id
ORDER BY s.name
"""

PER_COMMUNE_TOPIC = """
SELECT station_id, coalesce(nullif(item->>'topic', ''), 'khac') AS topic, count(*) AS airings,
       coalesce(sum((item->>'seconds')::float), 0) AS seconds
FROM asrun, jsonb_array_elements(items) AS item
WHERE scheduled >= %(start)s AND scheduled < %(end)s AND status = 'completed'
GROUP BY 1, 2
"""

REACH = """
SELECT b.id, b.title, b.priority, b.created_at,
       count(DISTINCT d.station_id) AS addressed,
       count(DISTINCT r.station_id) FILTER (WHERE r.state = 'aired') AS aired,
       count(DISTINCT r.station_id) FILTER (WHERE r.state IN ('failed', 'expired', 'refused')) AS failed_any,
       count(DISTINCT r.station_id) FILTER (WHERE r.state IN ('failed', 'expired', 'refused')
           AND NOT EXISTS (SELECT 1 FROM receipts x WHERE x.bulletin_id = b.id AND x.station_id = r.station_id
                           AND x.state = 'aired')) AS failed
FROM bulletins b
LEFT JOIN deliveries d ON d.bulletin_id = b.id
LEFT JOIN receipts r ON r.bulletin_id = b.id AND r.station_id = d.station_id
WHERE b.created_at < %(end)s AND b.valid_until >= %(start)s
GROUP BY b.id, b.title, b.priority, b.created_at
ORDER BY b.created_at
"""

SILENT = """
SELECT s.id, s.name, g.name AS group_name, s.last_seen
FROM stations s LEFT JOIN groups g ON g.id = s.group_id
WHERE s.revoked_at IS NULL AND s.created_at < %(end)s
  AND NOT EXISTS (SELECT 1 FROM asrun a WHERE a.station_id = s.id AND a.scheduled >= %(start)s AND a.scheduled < %(end)s)
ORDER BY s.name
"""


def build(connect, period: Period, tz) -> ProvinceReport:
    """The report of PERIOD (its days in the province's zone TZ). The two queries over the as-run rows
    run at once on two connections (CONNECT() gives one), the small ones after."""
    from concurrent.futures import ThreadPoolExecutor

    bounds = {"start": dt.datetime.combine(period.start, dt.time(0), tz),
              "end": dt.datetime.combine(period.end, dt.time(0), tz)}

    def rows(sql: str) -> list:
        with connect() as conn:
            return dicts(conn).execute(sql, bounds).fetchall()

    with ThreadPoolExecutor(2) as pool:
        per_commune, per_topic = pool.submit(rows, PER_COMMUNE), pool.submit(rows, PER_COMMUNE_TOPIC)
        reach, silent = rows(REACH), rows(SILENT)
        per_commune, per_topic = per_commune.result(), per_topic.result()
    report = ProvinceReport(period)
    report.communes = [CommuneLine(r["id"], r["name"], r["group_name"], r["scheduled"], r["aired"], int(r["missed"]),
                                   int(r["standby"]), float(r["seconds"]), int(r["item_airings"]), r["emergencies"])
                       for r in per_commune]
    labels = {t.code: t.label for t in DEFAULT_TOPICS}
    order = {t.code: n for n, t in enumerate(DEFAULT_TOPICS)}
    communes = {c.station: n for n, c in enumerate(report.communes)}

    def topic_order(code: str):
        return order.get(code, len(order)), code

    report.by_commune_topic = sorted((CommuneTopic(r["station_id"], r["topic"], int(r["airings"]), float(r["seconds"]))
                                      for r in per_topic),
                                     key=lambda x: (communes.get(x.station, len(communes)), topic_order(x.topic)))
    totals: dict[str, list] = {}
    for x in report.by_commune_topic:
        total = totals.setdefault(x.topic, [0, 0.0, 0])
        total[0], total[1], total[2] = total[0] + x.airings, total[1] + x.seconds, total[2] + 1
    report.topics = [TopicLine(code, labels.get(code, code), n, seconds, stations)
                     for code, (n, seconds, stations) in sorted(totals.items(), key=lambda t: topic_order(t[0]))]
    report.bulletins = [BulletinLine(r["id"], r["title"], r["priority"], r["created_at"], r["addressed"], r["aired"],
                                     r["failed"]) for r in reach]
    report.silent = [Silent(r["id"], r["name"], r["group_name"], r["last_seen"]) for r in silent]
    return report
