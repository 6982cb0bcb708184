"""Báo cáo tỉnh at scale (issue 30): a quarter of 100 communes, ~1.5 million as-run rows (5 zones,
~33 programs a day each, two items a program), reported in ≤ 10 s. A throwaway PostgreSQL cluster
(tests/pgcluster.py); rows made in SQL with generate_series; then the report built (GROUP BY in
PostgreSQL), laid out as DOCX and CSV, each timed. Prints the figures.

    .venv/bin/python bench/hub_report_bench.py [--communes 100] [--rows-per-commune 15000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from broadcast.service import hub_console  # noqa: E402
from tests import pgcluster  # noqa: E402

FILL = """
INSERT INTO groups (id, name) SELECT unnest(ARRAY['1', '2']), unnest(ARRAY['Cụm Bắc', 'Cụm Nam']) WHERE %(communes)s > 0;
INSERT INTO stations (id, name, commune, group_id, enrolled_at, created_at, last_seen)
  SELECT 'xa-' || n, 'Xã số ' || n, 'Xã số ' || n, (1 + n %% 2)::text, now(), now(), now()
  FROM generate_series(1, %(communes)s) n;
INSERT INTO asrun (station_id, token, occurrence, attempt, zone, slot, output, scheduled, started,
                   played_seconds, status, items, received_at)
SELECT 'xa-' || s, 't' || k, 'occ-' || k, 1, 'thon-' || (k %% 5), 'sang', 'file',
       timestamptz '2026-10-01 00:00+07' + k * (interval '92 days' / %(rows)s),
       timestamptz '2026-10-01 00:00+07' + k * (interval '92 days' / %(rows)s), 300,
       CASE WHEN k %% 50 = 0 THEN 'missed' WHEN k %% 97 = 0 THEN 'fallback' ELSE 'completed' END,
       jsonb_build_array(jsonb_build_object('title', 'Tin ' || (k %% 7), 'seconds', 60,
                                            'topic', (ARRAY['the-che', 'thu-tuc-hanh-chinh', 'chinh-phu-so', 'khac'])[1 + k %% 4]),
                         jsonb_build_object('title', 'Tin b', 'topic', 'dich-vu-cong', 'seconds', 90)), now()
FROM generate_series(1, %(communes)s) s, generate_series(0, %(rows)s - 1) k;
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--rows-per-commune", type=int, default=15_000)
    args = parser.parse_args()
    cluster = pgcluster.start()
    try:
        run(args, hub_console.open_hub(cluster.create_database("report_bench")))
    finally:
        cluster.stop()


def run(args, hub) -> None:
    hub_console.migrate(hub)
    began = time.perf_counter()
    with hub.connect() as conn:
        for statement in FILL.split(";")[:-1]:
            conn.execute(statement, {"communes": args.communes, "rows": args.rows_per_commune})
    with hub.connect() as conn:
        conn.execute("ANALYZE asrun")
        rows = conn.execute("SELECT count(*) FROM asrun").fetchone()[0]
    print(f"as-run rows: {rows:,} for {args.communes} communes (made in {time.perf_counter() - began:.1f} s)")
    timings = []
    for attempt in range(3):
        began = time.perf_counter()
        report = hub_console.build_report(hub, "2026-Q4")
        built = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            hub_console.write_report(hub, report, "docx", dt.date(2027, 1, 5), Path(folder) / "r.docx")
            docx_done = time.perf_counter()
            hub_console.write_report(hub, report, "csv", dt.date(2027, 1, 5), Path(folder) / "r.csv")
            csv_done = time.perf_counter()
        timings.append((built - began, docx_done - built, csv_done - docx_done))
        print(f"run {attempt + 1}: report built {built - began:.2f} s, DOCX {docx_done - built:.2f} s, "
              f"CSV {csv_done - docx_done:.3f} s, total {csv_done - began:.2f} s")
    worst = max(sum(t) for t in timings)
    print(f"worst total {worst:.2f} s (budget 10 s): {'OK' if worst <= 10 else 'TOO SLOW'}; "
          f"{len(report.communes)} communes, {report.aired:,} programs aired, {report.item_airings:,} item airings")


if __name__ == "__main__":
    main()
