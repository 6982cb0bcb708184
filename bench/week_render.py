"""A merged commune's week rendered with `broadcast render --week`, as the officer runs it:
40 zones in 4 former communes, each former commune on its own output (zones sharing an output
hear one program), 4 slots a day of up to 8 rotating items from 500 (each slot its own two topics), and a full queue (60
requests for single zones over the week; approval off, so every item airs). Cold (empty cache) and warm (nothing changed), each
a fresh process, RUNS times; prints the spread (target: cold <= 60 s on 2 cores, warm <= 2 s).

Usage: python bench/week_render.py [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.console_bench import TOPICS  # noqa: E402
from bench.figures import spread  # noqa: E402
from bench.week_grid import HOURS, forty_zone_schedule  # noqa: E402
from broadcast import service  # noqa: E402


def build_station(root: Path, items: int = 500) -> int:
    """The station folder; returns the number of queued requests."""
    for name in ("station.yaml", "lexicon.yaml"):
        shutil.copy(REPO / name, root / name)
    settings = (root / "station.yaml").read_text("utf-8")          # every item may air: no approval step
    (root / "station.yaml").write_text(settings.replace("required: true", "required: false", 1), "utf-8")
    shutil.copytree(REPO / "audio", root / "audio")
    (root / "scripts").mkdir()
    bodies = [p.read_text("utf-8").split("---", 2)[2].strip() for p in sorted((REPO / "scripts").glob("*.md"))]
    for n in range(items):
        (root / "scripts" / f"tin-{n:03d}.md").write_text(
            f"---\nid: tin-{n:03d}\ntitle: Tin cải cách hành chính số {n}\ntopic: {TOPICS[n % len(TOPICS)]}\n"
            f"valid_from: 2026-01-01\nvalid_until: 2099-12-31\n---\n{bodies[n % len(bodies)]}\n", "utf-8")
    forty_zone_schedule(root, output=lambda n: f"file:out/xa-{n // 10}",
                        rule=lambda n: f"- topics: [{TOPICS[(2 * n) % 7]}, {TOPICS[(2 * n + 1) % 7]}]\n"
                                       f"          order: rotate\n          max: 8")
    station = service.station.open_station(root)
    now = service.station.now(station)
    listed = [i.id for i in service.scripts.list_scripts(station).items][:60]
    for n, item in enumerate(listed):
        day = now.date() + dt.timedelta(days=n % 7)
        service.week.queue_add(station, item, now, f"s{HOURS[n % 4]}", day, f"z{(n * 7) % 40:02d}", "priority")
    return len(listed)


def render_week(root: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(root), "render", "--week"],
                          capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--runs", type=int, default=5)
    opts = args.parse_args()
    root = Path(tempfile.mkdtemp(prefix="week-render-"))
    try:
        queued = build_station(root)
        cold, warm, summary = [], [], ""
        for _ in range(opts.runs):
            shutil.rmtree(root / "cache", ignore_errors=True)
            took, summary = render_week(root)
            cold.append(took)
            warm.append(render_week(root)[0])
        records = [json.loads(p.read_text()) for p in (root / "cache" / "programs").glob("*.json")]
        hours = sum(r["seconds"] for r in records) / 3600
        print(f"station: 40 zones on 4 outputs, {len(HOURS)} slots a day, 500 items, {queued} queued requests; "
              f"{len(records)} distinct programs this week, {hours:.1f} h of audio")
        print(summary.strip().splitlines()[-1])
        print(f"cold render of the week (s), median (min-max): {spread(cold)}   target <= 60")
        print(f"warm, nothing changed (s):                    {spread(warm)}   target <= 2")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
