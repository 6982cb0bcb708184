"""Fault injection: kill -9 the real daemon at a random moment around a program, restart it
after a random pause, and check the as-run log (issue 17).

Each trial: a fresh station.db, one slot a few seconds ahead on a file sink, `broadcast run`
as a process, SIGKILL somewhere between 3.5 s before airtime and 1.5 s after the program's
end, a restart 0-3 s later (inside the grace window), then a stop once the slot is settled.
Prints airings planned, rows, double airings, lost rows and dishonest rows: the last three
must be 0.

    .venv/bin/python bench/chaos.py --trials 50
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from broadcast.records import asrun  # noqa: E402
from broadcast.records.asrun import AIRED  # noqa: E402
from tests.playout.daemon import make_station  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TOLERANCE = 0.5


def _daemon(root: Path, log) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "broadcast", "-S", str(root), "-v", "run"],
                            stdout=log, stderr=subprocess.STDOUT)


def _fresh(root: Path) -> None:
    for name in ("station.db", "station.db-wal", "station.db-shm", "station.db-asrun.journal"):
        (root / name).unlink(missing_ok=True)
    shutil.rmtree(root / "last-good", ignore_errors=True)
    shutil.rmtree(root / "out", ignore_errors=True)


def _judge(rows: list[asrun.Row]) -> tuple[int, int, int]:
    """(double airings, lost rows, dishonest rows) for one planned airing's rows."""
    aired = [r for r in rows if r.status in AIRED]
    whole_then_again = any(r.status == "interrupted" and (r.played_seconds or 0) >= (r.planned_seconds or 0) - TOLERANCE
                           and any(later.id > r.id and later.status in AIRED for later in rows) for r in rows)
    double = int(len(aired) > 1 or whole_then_again)
    lost = int(not any(r.status in (*AIRED, "missed", "failed") for r in rows))
    dishonest = sum(1 for r in rows if r.status == "playing"
                    or r.status == "completed" and (r.played_seconds or 0) < (r.planned_seconds or 0) - TOLERANCE
                    or r.status == "interrupted" and (r.played_seconds or 0) >= (r.planned_seconds or 0) - TOLERANCE)
    return double, lost, dishonest


def trial(root: Path, rng: random.Random, log) -> tuple[int, list[asrun.Row], float]:
    _fresh(root)
    start = (dt.datetime.now(TZ) + dt.timedelta(seconds=6)).replace(microsecond=0)
    station = make_station(root, [(start, "tin-b")], output="file:out/sink", grace=20)
    length = 2.5
    kill_at = start.timestamp() + rng.uniform(-3.5, length + 1.5)
    daemon = _daemon(root, log)
    time.sleep(max(0.0, kill_at - time.time()))
    daemon.send_signal(signal.SIGKILL)
    daemon.wait(10)
    time.sleep(rng.uniform(0.0, 3.0))
    daemon = _daemon(root, log)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        rows = asrun.read(station.db_path)
        if any(r.status in (*AIRED, "missed", "failed") for r in rows) and not any(r.status == "playing" for r in rows):
            break
        time.sleep(0.3)
    time.sleep(1.0)                       # time enough to air it again, were it wrongly due
    daemon.send_signal(signal.SIGTERM)
    daemon.wait(30)
    return 1, asrun.read(station.db_path), kill_at - start.timestamp()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    planned = rows_total = doubles = lost = dishonest = 0
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "station"
        (root / "scripts").mkdir(parents=True)
        shutil.copy(REPO / "station.yaml", root / "station.yaml")
        shutil.copy(REPO / "lexicon.yaml", root / "lexicon.yaml")
        shutil.copytree(REPO / "audio", root / "audio")
        base_yaml = (root / "station.yaml").read_text(encoding="utf-8")
        with open(Path(scratch) / "daemon.log", "w") as log:
            for n in range(args.trials):
                (root / "station.yaml").write_text(base_yaml, encoding="utf-8")
                count, rows, at = trial(root, rng, log)
                d, lo, di = _judge(rows)
                planned, rows_total = planned + count, rows_total + len(rows)
                doubles, lost, dishonest = doubles + d, lost + lo, dishonest + di
                print(f"trial {n + 1:3}: kill at {at:+5.1f} s: " + ", ".join(
                    f"{r.status} {r.played_seconds or 0:.1f}/{r.planned_seconds or 0:.1f}s" for r in rows)
                    + ("  <-- FAULT" if d or lo or di else ""), flush=True)
    print(f"\n{args.trials} trials: airings planned {planned}, rows {rows_total}, double airings {doubles}, "
          f"lost rows {lost}, dishonest rows {dishonest}")


if __name__ == "__main__":
    main()
