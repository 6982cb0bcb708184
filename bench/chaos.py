"""Fault injection on the real daemon, checked against the as-run log (issues 17 and 32).

Each trial: a fresh station.db, one slot a few seconds ahead on a file sink, `broadcast run` as a
process, one fault, then a stop once the slot is settled. The faults (--case, default all):

  kill      SIGKILL between 3.5 s before airtime and 1.5 s after the program's end, a restart 0-3 s
            later (inside the grace window)
  future    a queue row dated 9999-12-31 in station.db (an older console accepted it)
  damaged   station.db damaged before the start: random bytes, cut in half, or a folder in its place
  blink     the sink folder is a file at airtime and a folder again 0.5-6 s later
  namespace a second `broadcast run` from another network namespace (unshare -n), at a random moment

Prints airings planned, rows, double airings, lost rows, dishonest rows and silent slots (a
planned airing that never went out): all but the first two must be 0.

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
from contextlib import closing
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from broadcast.records import asrun  # noqa: E402
from broadcast.records.asrun import AIRED  # noqa: E402
from broadcast.station import db  # noqa: E402
from tests.playout.daemon import make_station  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TOLERANCE = 0.5


def _daemon(root: Path, log) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "broadcast", "-S", str(root), "-v", "run"],
                            stdout=log, stderr=subprocess.STDOUT)


def _fresh(root: Path) -> None:
    for path in root.glob("station.db*"):
        shutil.rmtree(path) if path.is_dir() else path.unlink()
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


def _silent(rows: list[asrun.Row]) -> int:
    return int(not any(r.status in AIRED for r in rows))


def _settle(station, daemon: subprocess.Popen, start: dt.datetime) -> list[asrun.Row]:
    """The planned airing's rows once settled (a recovered log's older days are not this trial's)."""
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        try:
            rows = [r for r in asrun.read(station.db_path) if r.scheduled == start]
        except Exception:                 # noqa: BLE001 - a damaged station.db before the daemon mends it
            rows = []
        if any(r.status in (*AIRED, "missed", "failed") for r in rows) and not any(r.status == "playing" for r in rows):
            break
        time.sleep(0.3)
    time.sleep(1.0)                       # time enough to air it again, were it wrongly due
    daemon.send_signal(signal.SIGTERM)
    daemon.wait(30)
    return [r for r in asrun.read(station.db_path) if r.slot == "slot-0" and r.scheduled == start]


def _setup(root: Path, lead: float = 6.0):
    _fresh(root)
    start = (dt.datetime.now(TZ) + dt.timedelta(seconds=lead)).replace(microsecond=0)
    return start, make_station(root, [(start, "tin-b")], output="file:out/sink", grace=20)


def kill(root: Path, rng: random.Random, log) -> tuple[list[asrun.Row], str]:
    start, station = _setup(root)
    length = 2.5
    kill_at = start.timestamp() + rng.uniform(-3.5, length + 1.5)
    daemon = _daemon(root, log)
    time.sleep(max(0.0, kill_at - time.time()))
    daemon.send_signal(signal.SIGKILL)
    daemon.wait(10)
    time.sleep(rng.uniform(0.0, 3.0))
    return _settle(station, _daemon(root, log), start), f"kill at {kill_at - start.timestamp():+5.1f} s"


def future(root: Path, rng: random.Random, log) -> tuple[list[asrun.Row], str]:
    start, station = _setup(root, 8.0)
    with closing(db.connect(station.db_path)) as conn:
        conn.execute("INSERT INTO queue (script, date, priority, added_at) VALUES ('tin-a', '9999-12-31', 'normal', ?)",
                     (dt.datetime.now(TZ).isoformat(),))
    return _settle(station, _daemon(root, log), start), "queue row 31/12/9999"


def damaged(root: Path, rng: random.Random, log) -> tuple[list[asrun.Row], str]:
    start, station = _setup(root, 10.0)
    path = station.db_path
    with closing(db.connect(path)) as conn:
        conn.executemany("INSERT INTO asrun (occurrence, attempt, slot, zone, output, scheduled, planned_seconds,"
                         " status, items) VALUES (?, 1, 'old', 'thon-1', 'x', '2026-11-01T06:00:00+07:00', 1,"
                         " 'completed', '[]')", [(f"old-{n}",) for n in range(2000)])
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    kind = rng.choice(["random bytes", "cut in half", "a folder"])
    if kind == "random bytes":
        path.write_bytes(random.randbytes(path.stat().st_size))
    elif kind == "cut in half":
        with open(path, "r+b") as f:
            f.truncate(path.stat().st_size // 2)
    else:
        path.unlink()
        path.mkdir()
    return _settle(station, _daemon(root, log), start), f"station.db: {kind}"


def blink(root: Path, rng: random.Random, log) -> tuple[list[asrun.Row], str]:
    start, station = _setup(root, 8.0)
    sink = root / "out" / "sink"
    daemon = _daemon(root, log)
    time.sleep(max(0.0, start.timestamp() - 1.0 - time.time()))
    shutil.rmtree(sink, ignore_errors=True)
    sink.parent.mkdir(parents=True, exist_ok=True)
    sink.write_bytes(b"")
    gone = rng.uniform(0.5, 6.0)
    time.sleep(max(0.0, start.timestamp() + gone - time.time()))
    sink.unlink()
    sink.mkdir()
    return _settle(station, daemon, start), f"output back {gone:.1f} s late"


def namespace(root: Path, rng: random.Random, log) -> tuple[list[asrun.Row], str]:
    start, station = _setup(root, 8.0)
    daemon = _daemon(root, log)
    deadline = time.monotonic() + 30
    while not (root / "run.lock").exists() and time.monotonic() < deadline:     # the first one holds the station
        time.sleep(0.1)
    second_at = start.timestamp() + rng.uniform(-5.0, 1.0)
    time.sleep(max(0.0, second_at - time.time()))
    second = subprocess.Popen(["unshare", "-n", sys.executable, "-m", "broadcast", "-S", str(root), "-v", "run"],
                              stdout=log, stderr=subprocess.STDOUT)
    rows = _settle(station, daemon, start)
    refused = second.poll() is not None and second.returncode != 0
    if second.poll() is None:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
    return rows, f"second daemon at {second_at - start.timestamp():+5.1f} s: " + ("refused" if refused else "RAN")


CASES = {"kill": kill, "future": future, "damaged": damaged, "blink": blink, "namespace": namespace}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--case", choices=[*CASES, "all"], default="all")
    parser.add_argument("--log", type=Path, default=None, help="keep the daemons' log here")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cases = list(CASES) if args.case == "all" else [args.case]
    table = {}
    for case in cases:
        table[case] = run(CASES[case], args.trials, rng, args.log)
    print(f"\n{'case':10} {'planned':>7} {'rows':>5} {'double':>6} {'lost':>5} {'dishonest':>9} {'silent':>6}")
    for case, figures in table.items():
        print(f"{case:10} " + " ".join(f"{v:>{w}}" for v, w in zip(figures, (7, 5, 6, 5, 9, 6))))


def run(case, trials: int, rng: random.Random, keep: Path | None) -> tuple[int, int, int, int, int, int]:
    planned = rows_total = doubles = lost = dishonest = silent = 0
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "station"
        (root / "scripts").mkdir(parents=True)
        shutil.copy(REPO / "station.yaml", root / "station.yaml")
        shutil.copy(REPO / "lexicon.yaml", root / "lexicon.yaml")
        shutil.copytree(REPO / "audio", root / "audio")
        base_yaml = (root / "station.yaml").read_text(encoding="utf-8")
        with open(keep or Path(scratch) / "daemon.log", "a") as log:
            for n in range(trials):
                (root / "station.yaml").write_text(base_yaml, encoding="utf-8")
                print(f"===== {case.__name__} {n + 1}", file=log, flush=True)
                rows, what = case(root, rng, log)
                d, lo, di = _judge(rows)
                si = _silent(rows)
                planned, rows_total = planned + 1, rows_total + len(rows)
                doubles, lost, dishonest, silent = doubles + d, lost + lo, dishonest + di, silent + si
                print(f"{case.__name__} {n + 1:3}: {what}: " + ", ".join(
                    f"{r.status} {r.played_seconds or 0:.1f}/{r.planned_seconds or 0:.1f}s" for r in rows)
                    + ("  <-- FAULT" if d or lo or di or si or "RAN" in what else ""), flush=True)
    return planned, rows_total, doubles, lost, dishonest, silent


if __name__ == "__main__":
    main()
