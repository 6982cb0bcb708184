"""The quarter report at scale for bench/hub_bench.py: COMMUNES communes' as-run rows of one quarter
bulk-loaded with COPY into the hub's own database (its real schema), then Báo cáo tỉnh built by the
province console's service function, timed. Also the bytes an as-run row takes (table + indexes)."""

from __future__ import annotations

import datetime as dt
import json
import time
from zoneinfo import ZoneInfo

from broadcast.hub import db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
QUARTER = ("2026-Q3", dt.datetime(2026, 7, 1, tzinfo=TZ), 92)
COLUMNS = ("station_id", "token", "occurrence", "attempt", "slot", "zone", "output", "scheduled", "started",
           "ended", "planned_seconds", "played_seconds", "status", "items", "voice", "received_at")
NULL = "\\N"                   # COPY's null
TOPICS = ("the-che", "thu-tuc-hanh-chinh", "chinh-phu-so", "dich-vu-cong", "khac")


def _items() -> list[str]:
    return [json.dumps([{"script": f"tin-{k}", "title": f"Tin cải cách hành chính số {k}", "topic": TOPICS[k % 5],
                         "seconds": 64.0, "engine": "espeak"},
                        {"script": "dvc", "title": "Hướng dẫn nộp hồ sơ trực tuyến", "topic": "dich-vu-cong",
                         "seconds": 91.5, "engine": "espeak"}], ensure_ascii=False)
            .replace("\\", "\\\\") for k in range(9)]


def load(dsn: str, communes: int, rows: int) -> dict:
    """Loads ROWS as-run rows spread over COMMUNES communes; returns what was loaded and how fast."""
    _, start, days = QUARTER
    per = rows // communes
    step = days * 86400 / per
    items = _items()
    now = dt.datetime.now(dt.timezone.utc).isoformat()
    began = time.perf_counter()
    with db.connect(dsn) as conn:
        db.migrate(conn)                   # the hub process did it already; a no-op then
        conn.execute("INSERT INTO stations (id, name, commune, created_at, enrolled_at, last_seen) "
                     "SELECT 'bao-cao-' || lpad(n::text, 3, '0'), 'Xã báo cáo ' || n, 'Xã báo cáo ' || n, now(), now(), "
                     "now() FROM generate_series(1, %s) n ON CONFLICT DO NOTHING", (communes,))
        with conn.transaction(), conn.cursor().copy(f"COPY asrun ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for c in range(1, communes + 1):
                station = f"bao-cao-{c:03d}"
                lines = []
                for k in range(per):
                    at = (start + dt.timedelta(seconds=k * step)).isoformat()
                    missed = k % 50 == 0
                    lines.append(f"{station}\tq{k}\tocc-{k}\t1\tslot-{k % 33}\tthon-{k % 5}\tpulse:loa\t{at}\t"
                                 f"{NULL if missed else at}\t{NULL}\t155.5\t{0.0 if missed else 155.5}\t"
                                 f"{'missed' if missed else 'completed'}\t{items[k % 9]}\tespeak\t{now}\n")
                copy.write("".join(lines))
        loaded = time.perf_counter() - began
        conn.execute("VACUUM ANALYZE asrun")
        total = conn.execute("SELECT count(*), pg_total_relation_size('asrun') FROM asrun").fetchone()
    return {"communes": communes, "rows_loaded": per * communes, "load_seconds": round(loaded, 1),
            "asrun_rows": total[0], "asrun_bytes": total[1], "bytes_per_row": round(total[1] / max(1, total[0]))}


def report(dsn: str) -> dict:
    """Báo cáo tỉnh for the loaded quarter, through the province console's service function."""
    from broadcast.service import hub_console
    hub = hub_console.open_hub(dsn)
    began = time.perf_counter()
    built = hub_console.build_report(hub, QUARTER[0])
    took = time.perf_counter() - began
    return {"report_seconds": round(took, 2), "report_communes": len(built.communes), "report_aired": built.aired}
