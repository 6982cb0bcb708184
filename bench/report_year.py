"""Report speed: a year of as-run rows (>= 10,000 airings) reported in <= 2 s per format.

Usage: python bench/report_year.py
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from broadcast.records import asrun
from broadcast.records.asrun import AiredItem
from broadcast.records.formats import render
from broadcast.records.report import station_report
from broadcast.station import db
from broadcast.station.settings import load_station

REPO = Path(__file__).resolve().parents[1]
ZONES = [f"thon-{n}" for n in range(1, 15)]
TOPICS = ["the-che", "thu-tuc-hanh-chinh", "bo-may", "cong-vu", "tai-chinh-cong", "chinh-phu-so",
          "dich-vu-cong", "chi-so", "guong-dien-hinh"]


def fill(path: Path, station) -> int:
    rng = random.Random(7)
    conn = db.connect(path)
    conn.execute("BEGIN")
    n = 0
    day = dt.date(2024, 1, 1)
    while day.year == 2024:
        for hour, slot in ((6, "sang"), (17, "chieu")):
            when = dt.datetime.combine(day, dt.time(hour), station.tz)
            items = [AiredItem(f"tin-{k}", f"Tin số {k}", TOPICS[k % len(TOPICS)], f"h{k:04d}", "espeak",
                               rng.uniform(40, 120)) for k in rng.sample(range(60), 3)]   # one program, all zones
            for zone in ZONES:
                status = rng.choices(["completed", "missed", "failed", "fallback"], [96, 2, 1, 1])[0]
                row = asrun.begin(conn, occurrence=f"{day}/{slot}/{zone}", attempt=1, slot=slot, zone=zone,
                                  output="pulse", scheduled=when, started=when, planned=300.0,
                                  items=items if status == "completed" else [], audio=None)
                played = sum(i.seconds for i in items) if status == "completed" else (30.0 if status == "fallback" else 0.0)
                asrun.finish(conn, row, status, when + dt.timedelta(seconds=played), played,
                             None if status == "completed" else f"{status}: reason")
                n += 1
        day += dt.timedelta(days=1)
    conn.execute("COMMIT")
    conn.close()
    return n


def main() -> None:
    station = load_station(REPO)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "asrun.db"
        rows = fill(path, station)
        print(f"{rows} as-run rows for 2024 ({len(ZONES)} zones x 2 slots a day)")
        for fmt in ("table", "csv", "html", "docx"):
            began = time.perf_counter()
            report = station_report(station, "2024", db_path=path)
            render(station, report, fmt, dt.date(2025, 1, 5), Path(folder) / f"report.{fmt}")
            print(f"  {fmt:5}: {time.perf_counter() - began:.2f} s "
                  f"({report.item_airings} item airings listed; target <= 2 s)")


if __name__ == "__main__":
    main()
