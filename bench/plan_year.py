"""Planning speed: a year of 52 weeks x 20 zones x 4 slots a day (target <= 1 s).

Usage: python bench/plan_year.py
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from broadcast.news.scripts import load_scripts
from broadcast.schedule.plan import QueueEntry, Timing, plan
from broadcast.schedule.weekly import load_schedule

REPO = Path(__file__).resolve().parents[1]
ZONES = 20
STARTS = ("05:30", "11:00", "17:00", "20:00")


def _schedule_text() -> str:
    zones = "\n".join(f"  thon-{n}: {{name: Thôn {n}, output: pulse}}" for n in range(1, ZONES + 1))
    slots = "\n".join(f"""\
  - id: slot-{n}
    days: hằng ngày
    start: "{start}"
    length: 20 phút
    zones: all
    program:
      greeting: Đài truyền thanh xã Minh Đức xin kính chào bà con.
      items: [mot-cua-lien-thong]
      rules:
        - topics: [the-che, thu-tuc-hanh-chinh, bo-may, cong-vu, tai-chinh-cong, chinh-phu-so]
          order: rotate
          max: 2
        - order: newest
          max: 2""" for n, start in enumerate(STARTS))
    return f"zones:\n{zones}\nslots:\n{slots}\n"


def main() -> None:
    items = load_scripts([REPO / "scripts"])
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "year.yaml").write_text(_schedule_text(), encoding="utf-8")
        schedule = load_schedule(Path(folder))
    tz = schedule.tz
    queue = [QueueEntry(n, items[n % len(items)].id, dt.datetime(2024, 1, 1, tzinfo=tz) + dt.timedelta(days=7 * n),
                        zone=f"thon-{n % ZONES + 1}") for n in range(52)]
    timing = Timing(item=lambda item: 95.0, intro=6.0, outro=5.0, separator=2.0, gap=1.2,
                    greeting=lambda text: 5.0)
    start = dt.date(2024, 1, 1)
    end = start + dt.timedelta(weeks=52)
    runs = []
    for _ in range(3):
        began = time.perf_counter()
        occurrences = plan(schedule, items, queue, start, end, timing)
        runs.append(time.perf_counter() - began)
    print(f"{len(occurrences)} occurrences (52 weeks x {ZONES} zones x {len(STARTS)} slots/day, "
          f"{len(queue)} queued requests): best {min(runs):.3f} s, worst {max(runs):.3f} s (target <= 1 s)")


if __name__ == "__main__":
    main()
