"""The Lịch phát page of a merged commune: 40 zones in 4 former communes, 4 slots a day, 500 items
and a full queue (a request per item and day for a week, on chosen zones). Server time per page
(the console's `server-timing` header) over N requests: the whole grid, one former commune, one zone
(target p95 <= 100 ms).

Usage: python bench/week_grid.py [--requests 40]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.console_bench import build_station, pct, server_ms, signed_in, start_console  # noqa: E402
from broadcast import service  # noqa: E402

GROUPS = ("Xã An cũ", "Xã Bình cũ", "Xã Cường cũ", "Xã Dũng cũ")


HOURS = (6, 11, 17, 20)


def forty_zone_schedule(root: Path, output=lambda n: "pulse",
                        rule=lambda n: "- order: rotate\n          max: 4") -> None:
    """40 zones in 4 former communes (zone N on OUTPUT(N)), 4 slots a day (slot N picks items by RULE(N))."""
    zones = "\n".join(f"  z{n:02d}: {{name: Thôn {n + 1}, group: {GROUPS[n // 10]}, output: \"{output(n)}\"}}"
                      for n in range(40))
    slots = "\n".join(f"""  - id: s{hour}
    title: Bản tin {hour} giờ
    days: hằng ngày
    start: "{hour:02d}:00"
    length: 20
    zones: all
    program:
      rules:
        {rule(n)}""" for n, hour in enumerate(HOURS))
    (root / "schedules").mkdir(exist_ok=True)
    for old in (root / "schedules").glob("*.yaml"):
        old.unlink()
    (root / "schedules" / "tuan.yaml").write_text(f"zones:\n{zones}\nslots:\n{slots}\n", "utf-8")


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--requests", type=int, default=40)
    opts = args.parse_args()
    root = Path(tempfile.mkdtemp(prefix="week-grid-"))
    build_station(root, 500)
    forty_zone_schedule(root)
    station = service.station.open_station(root)
    now = service.station.now(station)
    items = [i.id for i in service.scripts.list_scripts(station).items][:60]
    queued = 0
    for n, item in enumerate(items):
        day = now.date() + dt.timedelta(days=n % 7)
        service.week.queue_add(station, item, now, f"s{HOURS[n % 4]}", day, f"z{n % 40:02d}", "priority")
        queued += 1
    proc, url = start_console(root)
    try:
        client = signed_in(url)
        print(f"station: 40 zones in 4 groups, 4 slots a day, {len(items)} queued requests, 500+ items; "
              f"{opts.requests} requests a page")
        print(f"{'page':44} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
        for path in ("/lich-phat", "/lich-phat?cum-loa=nhom:Xã+Bình+cũ", "/lich-phat?cum-loa=z15"):
            client.get(path)
            times = [server_ms(client.get(path)) for _ in range(opts.requests)]
            print(f"{path:44} {statistics.median(times):7.1f} {pct(times, 0.95):7.1f} {max(times):7.1f}")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
