"""bench/hub_bench.py works end to end on a handful of simulated stations (its figures are the
bench's business, not a test's): every phase runs against a real hub and PostgreSQL, and the
counts it compares come out equal."""

import argparse
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_the_hub_bench_runs_every_phase_on_five_stations(tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        import hub_bench
    finally:
        sys.path.remove(str(BENCH))
    args = argparse.Namespace(stations=5, daemons=0, workers=1, interval=1.0, rows_per_sync=2, steady=2.0, day_rows=40,
                              emergency_wait=20.0, catch_up_wait=60.0, report_communes=3, report_rows=3000,
                              json=tmp_path / "out.json")
    results = hub_bench.run(args)
    live = results["live"]
    assert live["steady"]["syncs"] > 0 and live["steady"]["server"], "no sync timed, or no Server-Timing"
    assert live["emergency"]["reached"] == 5
    for phase in ("restart", "offline"):
        compare = live[phase]["compare"]
        assert live[phase]["caught_up"], phase
        assert (compare["lost"], compare["extra"], compare["duplicates"], compare["equal_stations"]) == (0, 0, 0, 5), phase
    assert live["offline"]["compare"]["station_rows"] >= 5 * 40
    assert results["report"]["report_communes"] >= 3 and results["report"]["rows_loaded"] == 3000
    assert [row[3] for row in hub_bench.table(results) if row[0].startswith(("PostgreSQL restarted", "a day"))] == ["pass"] * 2
