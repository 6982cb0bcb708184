"""The province hub at scale and under faults (issue 30, "Scale and faults").

A throwaway PostgreSQL cluster (tests/pgcluster.py), the real hub app under uvicorn on loopback,
STATIONS simulated stations speaking protocol v1 (bench/hub_sim.py: signed requests, a sync every
INTERVAL s with a heartbeat and a few as-run rows, a bulletin long-poll held open), then, in turn:
  steady     sync times (server time from Server-Timing, client time around the request), hub RSS
  emergency  one bulletin to every station: seconds from its creation to each station receiving it
  restart    PostgreSQL restarted (pg_ctl restart -m fast) while they sync: retries, nothing lost
  offline    every station offline while it airs a day (DAY_ROWS rows), then back: hub == station
  report     a quarter of REPORT_COMMUNES communes (REPORT_ROWS rows, COPY) through Báo cáo tỉnh
Prints a table (measure, target, result, pass/fail) and writes the figures as JSON.

    .venv/bin/python bench/hub_bench.py [--stations 500] [--steady 60] [--workers 1] [--json out.json]
    .venv/bin/python bench/hub_bench.py --stations 50 --steady 20 --report-rows 150000   # a quick look
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import hub_daemons  # noqa: E402
import hub_report_load  # noqa: E402
import httpx2  # noqa: E402
from hub_daemons import RealStations  # noqa: E402
from hub_sim import SimStation, Timings  # noqa: E402

from broadcast.hub import db  # noqa: E402
from tests import pgcluster  # noqa: E402

UTC = dt.timezone.utc
DAY_ROWS = 165          # a commune's day: 5 zones x ~33 programs (the report bench's 15,000 a quarter)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_hub(dsn: str, workers: int, log) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "BROADCAST_HUB_DB": dsn}
    hub = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "--app-dir", str(REPO / "bench"),
                            "hub_serve:app", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                            "--log-level", "warning", "--no-access-log", "--timeout-keep-alive", "60"],
                           cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if hub.poll() is not None:
            raise RuntimeError(f"the hub exited ({hub.returncode}); see {log.name}")
        try:
            if httpx2.get(url + "/api/v1/bulletins", timeout=2).status_code == 401:
                return hub, url
        except httpx2.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the hub did not answer in 60 s; see {log.name}")


def _family(pid: int) -> list[int]:
    try:
        return [pid, *(int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    except OSError:
        return [pid]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of PID and its children alive now (uvicorn workers, PostgreSQL backends)."""
    ticks = 0
    for p in _family(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


def postmaster(cluster) -> int:
    return int((Path(cluster.folder) / "data" / "postmaster.pid").read_text().split()[0])


def rss_bytes(pid: int) -> int:
    """Resident memory of PID and its children (uvicorn's workers)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def say(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def prepare(dsn: str, count: int, prefix: str = "xa", label: str = "Xã mô phỏng") -> list[tuple[str, str, str]]:
    """COUNT communes at the hub with a one-time code each, through the hub's service layer."""
    from broadcast.service import hub as hub_service
    now = dt.datetime.now(UTC)
    made = []
    with db.connect(dsn) as conn:
        for n in range(1, count + 1):
            station, name = f"{prefix}-{n:04d}", f"{label} {n}"
            hub_service.add_commune(conn, station, name, now)
            made.append((station, name, hub_service.new_code(conn, station, "bench", now)))
    return made


def send_emergency(dsn: str) -> str:
    from broadcast.service import hub as hub_service
    now = dt.datetime.now(UTC)
    draft = hub_service.Draft(title="Khẩn cấp: bão số 3", priority="emergency", valid_from=now,
                              valid_until=now + dt.timedelta(hours=2), by="bench",
                              text="Thông báo khẩn: bão số ba sắp đổ bộ, bà con chằng chống nhà cửa.")
    with db.connect(dsn) as conn:
        bulletin, _count = hub_service.send_bulletin(conn, draft, hub_service.Addressees(), now)
    return bulletin


def hub_counts(dsn: str) -> dict[str, tuple[int, int]]:
    with db.connect(dsn) as conn:
        return {s: (n, d) for s, n, d in conn.execute(
            "SELECT station_id, count(*), count(DISTINCT token) FROM asrun GROUP BY station_id")}


async def _until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.2)
    return predicate()


async def live(args, url: str, dsn: str, cluster, hub_pid: int, communes, real: RealStations) -> dict:
    timings = Timings(recording=False)
    limits = httpx2.Limits(max_connections=3 * len(communes) + 50, max_keepalive_connections=3 * len(communes) + 50)
    out: dict = {}
    async with httpx2.AsyncClient(base_url=url, limits=limits) as client:
        stations = [SimStation(client, s, name, timings) for s, name, _ in communes]
        gate = asyncio.Semaphore(16)

        async def enrol(sim, code):
            async with gate:
                await sim.enrol(code)
        say(f"enrolling {len(stations)} simulated stations")
        began = time.perf_counter()
        await asyncio.gather(*(enrol(sim, code) for sim, (_, _, code) in zip(stations, communes)))
        out["enrol_seconds"] = round(time.perf_counter() - began, 1)
        stop = asyncio.Event()
        tasks = [asyncio.create_task(t) for sim in stations
                 for t in (sim.sync_loop(args.interval, args.rows_per_sync, stop), sim.poll_loop(stop))]
        rss = []

        async def sample():
            while not stop.is_set():
                rss.append(rss_bytes(hub_pid))
                await asyncio.sleep(2)
        tasks.append(asyncio.create_task(sample()))

        await asyncio.sleep(args.interval)                  # warm-up: every station synced once
        timings.recording = True
        say(f"steady sync measured for {args.steady:.0f} s")
        pg = await asyncio.to_thread(postmaster, cluster)
        hub_cpu, pg_cpu = cpu_seconds(hub_pid), cpu_seconds(pg)
        await asyncio.sleep(args.steady)
        timings.recording = False
        hub_cpu, pg_cpu = cpu_seconds(hub_pid) - hub_cpu, cpu_seconds(pg) - pg_cpu
        out["steady"] = {"syncs": len(timings.syncs_server), "rss_max": max(rss), "failures": dict(timings.failures),
                         "hub_cpu_seconds": round(hub_cpu, 2), "pg_cpu_seconds": round(pg_cpu, 2),
                         "sync_server": timings.syncs_server[:], "sync_client": timings.syncs_client[:],
                         "server": {k: v[:] for k, v in timings.server.items()},
                         "client": {k: v[:] for k, v in timings.client.items()}}

        say("emergency bulletin to every station")
        created = time.time()
        bulletin = await asyncio.to_thread(send_emergency, dsn)
        aired = asyncio.create_task(asyncio.to_thread(real.aired, bulletin, created, args.emergency_wait))
        await _until(lambda: all(bulletin in s.received for s in stations), args.emergency_wait)
        delays = [s.received[bulletin] - created for s in stations if bulletin in s.received]
        out["emergency"] = {"delays": delays, "reached": len(delays), "stations": len(stations)}
        out["daemons"] = hub_daemons.summary(await aired) if real.stations else None

        before = dict(timings.failures)
        await asyncio.sleep(args.interval / 2)
        say("PostgreSQL restart")
        began = time.perf_counter()
        await asyncio.to_thread(cluster.restart)
        out["restart"] = {"restart_seconds": round(time.perf_counter() - began, 1)}
        await asyncio.sleep(args.interval * 2)
        began = time.perf_counter()
        caught = await _quiet(stations, args.catch_up_wait)
        out["restart"].update(catch_up_seconds=round(time.perf_counter() - began, 1))
        out["restart"].update(failures={k: v - before.get(k, 0) for k, v in timings.failures.items()
                                        if v != before.get(k, 0)}, caught_up=caught)
        out["restart"]["compare"] = compare(stations, await asyncio.to_thread(hub_counts, dsn))

        say("a day offline, then back")
        for sim in stations:
            sim.online, sim.producing = False, True
        await asyncio.sleep(args.interval)                 # a sync in flight finishes
        yesterday = dt.datetime.now(UTC) - dt.timedelta(days=1)
        for sim in stations:
            sim.produce(args.day_rows, yesterday)
        began = time.perf_counter()
        for sim in stations:
            sim.online = True
        caught = await _quiet(stations, args.catch_up_wait)
        out["offline"] = {"catch_up_seconds": round(time.perf_counter() - began, 1), "caught_up": caught,
                          "rows_per_station": args.day_rows,
                          "compare": compare(stations, await asyncio.to_thread(hub_counts, dsn))}
        for sim in stations:
            sim.producing = True
        out["rss_max"] = max(rss)
        if real.stations:
            out["daemon_rows"] = await _daemon_rows(real, dsn)
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return out


async def _daemon_rows(real: RealStations, dsn: str, timeout: float = 45) -> dict:
    """The real stations' final as-run rows vs the hub's, once equal (their sync runs every 10 s)."""
    deadline = time.monotonic() + timeout
    while True:
        station = await asyncio.to_thread(real.final_rows)
        hub = await asyncio.to_thread(hub_counts, dsn)
        pairs = {s: (n, hub.get(s, (0, 0))) for s, n in station.items()}
        equal = all(n == h[0] == h[1] for n, h in pairs.values())
        if equal or time.monotonic() > deadline:
            return {"equal": equal, "alive": real.alive(), "station_rows": sum(station.values()),
                    "hub_rows": sum(h[0] for _n, h in pairs.values())}
        await asyncio.sleep(1)


async def _quiet(stations: list[SimStation], timeout: float) -> bool:
    """Stations stop airing new rows and sync until the hub acknowledged all they hold: then
    station and hub can be compared (while rows keep coming, some are always in flight)."""
    for sim in stations:
        sim.producing = False
    return await _until(lambda: all(s.acked == len(s.rows) for s in stations), timeout)


def compare(stations: list[SimStation], counts: dict[str, tuple[int, int]]) -> dict:
    """Per station: rows the station holds vs rows at the hub (and distinct tokens there)."""
    lost = extra = dupes = 0
    for sim in stations:
        rows, distinct = counts.get(sim.id, (0, 0))
        lost += max(0, len(sim.rows) - distinct)
        extra += max(0, distinct - len(sim.rows))
        dupes += rows - distinct
    return {"station_rows": sum(len(s.rows) for s in stations),
            "hub_rows": sum(counts.get(s.id, (0, 0))[0] for s in stations),
            "lost": lost, "extra": extra, "duplicates": dupes,
            "equal_stations": sum(1 for s in stations if counts.get(s.id, (0, 0)) == (len(s.rows), len(s.rows)))}


def db_size(dsn: str) -> dict:
    with db.connect(dsn) as conn:
        tables = {t: size for t, size in conn.execute(
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relkind = 'r' "
            "AND relnamespace = 'public'::regnamespace ORDER BY 2 DESC")}
        total = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        rows = conn.execute("SELECT count(*) FROM asrun").fetchone()[0]
        history = conn.execute("SELECT count(*) FROM heartbeat_history").fetchone()[0]
    return {"database_bytes": total, "tables": tables, "asrun_rows": rows, "heartbeat_history_rows": history}


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value * 1000:.0f} ms"


def table(r: dict) -> list[tuple[str, str, str, str]]:
    """(measure, target, result, verdict) rows from the run's figures."""
    rows = []
    live = r.get("live")
    if live:
        steady = live["steady"]
        server, client = steady["sync_server"], steady["sync_client"]
        has_server = bool(steady["server"])
        p95 = pct(server, 0.95) if has_server else None
        rows.append(("sync server time p50 / p95 / max", "p95 ≤ 50 ms",
                     f"{_ms(pct(server, .5))} / {_ms(p95)} / {_ms(max(server) if server else None)}"
                     if has_server else "no Server-Timing header",
                     "—" if p95 is None else ("pass" if p95 <= 0.05 else "FAIL")))
        rows.append(("sync client time p50 / p95 / max", "(loopback, same machine)",
                     f"{_ms(pct(client, .5))} / {_ms(pct(client, .95))} / {_ms(max(client) if client else None)}", "info"))
        rows.append((f"syncs measured / failed in {r['args']['steady']} s", "no failure",
                     f"{steady['syncs']} / {sum(steady['failures'].values())}",
                     "pass" if not steady["failures"] else "FAIL"))
        syncs = max(1, steady["syncs"])
        if "hub_cpu_seconds" in steady:
            rows.append(("CPU per sync: hub / PostgreSQL", "(capacity, load-independent)",
                         f"{steady['hub_cpu_seconds'] / syncs * 1000:.1f} ms / {steady['pg_cpu_seconds'] / syncs * 1000:.1f} ms"
                         f" (one core: ~{syncs / max(0.01, steady['hub_cpu_seconds']):.0f} syncs/s in the hub)", "info"))
        rows.append(("hub RSS (max, all workers)", "(figure)", f"{live['rss_max'] / 2**20:.0f} MB", "info"))
        em = live["emergency"]
        p95 = pct(em["delays"], 0.95)
        rows.append(("emergency delivered p50 / p95 / max", "p95 ≤ 10 s, all reached",
                     f"{pct(em['delays'], .5):.2f} / {p95:.2f} / {max(em['delays']):.2f} s; "
                     f"{em['reached']}/{em['stations']}" if em["delays"] else f"0/{em['stations']}",
                     "pass" if p95 is not None and p95 <= 10 and em["reached"] == em["stations"] else "FAIL"))
        for name, key in (("PostgreSQL restarted during sync", "restart"), ("a day offline, then back", "offline")):
            c = live[key]["compare"]
            ok = not (c["lost"] or c["extra"] or c["duplicates"]) and live[key]["caught_up"]
            extra = (f"; {sum(live[key]['failures'].values())} failed requests retried" if key == "restart"
                     else f"; caught up in {live[key]['catch_up_seconds']} s")
            rows.append((name, "hub rows == station rows", f"{c['hub_rows']:,} == {c['station_rows']:,}, lost "
                         f"{c['lost']}, duplicates {c['duplicates']}, {c['equal_stations']} stations equal{extra}",
                         "pass" if ok else "FAIL"))
    else:
        rows.append(("live phases (sync, emergency, restart, offline)", "", r.get("live_error", "not run"), "NOT RUN"))
    daemons = (live or {}).get("daemons")
    rows.append(("emergency aired by the real daemons", "≤ 15 s",
                 daemons["summary"] if daemons else r.get("daemons_error", "not run"),
                 daemons["verdict"] if daemons else "NOT RUN"))
    rows_ = (live or {}).get("daemon_rows")
    if rows_:
        rows.append(("real daemons' as-run at the hub", "hub rows == station.db rows",
                     f"{rows_['hub_rows']} == {rows_['station_rows']}, {rows_['alive']} daemons alive",
                     "pass" if rows_["equal"] else "FAIL"))
    size = r.get("size")
    if size:
        rows.append(("PostgreSQL per commune-year", "(figure)", size["summary"], "info"))
    rep = r.get("report")
    if rep and "report_seconds" in rep:
        rows.append((f"Báo cáo tỉnh, {rep['communes']} communes, {rep['rows_loaded']:,} rows", "≤ 10 s",
                     f"{rep['report_seconds']:.2f} s (loaded in {rep['load_seconds']} s)",
                     "pass" if rep["report_seconds"] <= 10 else "FAIL"))
    else:
        rows.append(("Báo cáo tỉnh", "≤ 10 s", r.get("report_error", "not run"), "NOT RUN"))
    return rows


HISTORY_ROWS_KEPT = 31 * 24 * 12      # hub-core keeps one heartbeat in 5 minutes for 31 days


def per_commune_year(bytes_per_row: int, day_rows: int, sizes: dict, stations: int) -> dict:
    """As-run grows B bytes × rows a year; heartbeats stay bounded: the history's bytes a row
    (measured) × the rows kept, plus the latest row."""
    asrun_year = bytes_per_row * day_rows * 365
    history_rows = sizes.get("heartbeat_history_rows", 0)
    history_row = sizes["tables"].get("heartbeat_history", 0) / max(1, history_rows)
    history = history_row * HISTORY_ROWS_KEPT if history_rows else 0
    return {"asrun_bytes_per_row": bytes_per_row, "rows_per_year": day_rows * 365, "asrun_bytes_per_year": asrun_year,
            "heartbeat_history_bytes_per_row": round(history_row), "heartbeat_history_bytes_kept": round(history),
            "summary": f"{asrun_year / 2**20:.0f} MB as-run ({bytes_per_row} B/row × {day_rows}×365 rows) + "
                       f"{history / 2**20:.1f} MB heartbeat history kept ({history_row:.0f} B × {HISTORY_ROWS_KEPT})"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=500)
    parser.add_argument("--daemons", type=int, default=5, help="real `broadcast run` stations linked to the hub")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes of the hub")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between a station's syncs")
    parser.add_argument("--rows-per-sync", type=int, default=2)
    parser.add_argument("--steady", type=float, default=60.0, help="seconds of steady syncing measured")
    parser.add_argument("--day-rows", type=int, default=DAY_ROWS, help="as-run rows of a station's offline day")
    parser.add_argument("--emergency-wait", type=float, default=30.0)
    parser.add_argument("--catch-up-wait", type=float, default=180.0)
    parser.add_argument("--report-communes", type=int, default=100)
    parser.add_argument("--report-rows", type=int, default=1_500_000)
    parser.add_argument("--json", type=Path, default=Path(tempfile.gettempdir()) / "hub_bench.json")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))      # a stopped bench still cleans up
    results = run(args)
    rows = table(results)
    widths = [max(len(r[i]) for r in rows + [("measure", "target", "result", "verdict")]) for i in range(4)]
    for row in [("measure", "target", "result", "verdict"), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)))
    args.json.write_text(json.dumps(results, indent=1, default=str, ensure_ascii=False), encoding="utf-8")
    print(f"\nfigures: {args.json}; hub and daemons' log: {results['log']}")


def run(args) -> dict:
    results: dict = {"args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
                     "command": " ".join(sys.argv), "cpus": os.cpu_count(), "at": dt.datetime.now(UTC).isoformat()}
    cluster = pgcluster.start()
    hub = real = None
    scratch = tempfile.mkdtemp(prefix="hub-bench-stations-")
    log = open(Path(cluster.folder).parent / f"hub-bench-{os.getpid()}.log", "w")
    results["log"] = log.name
    try:
        dsn = cluster.create_database("hub")
        try:
            hub, url = start_hub(dsn, args.workers, log)
            communes = prepare(dsn, args.stations)
            if not args.daemons:
                results["daemons_error"] = "not run (--daemons 0)"
            real = RealStations(Path(scratch), prepare(dsn, args.daemons, "that", "Xã thật"), url, log)
            say(f"starting {args.daemons} real station daemons")
            real.start()
            results["live"] = asyncio.run(live(args, url, dsn, cluster, hub.pid, communes, real))
        except (ImportError, RuntimeError) as exc:
            results["live_error"] = f"not measured: {exc}"
        finally:
            if real is not None:
                real.stop()
        say(f"loading {args.report_rows:,} as-run rows of {args.report_communes} communes (COPY), then the report")
        report = results["report"] = hub_report_load.load(dsn, args.report_communes, args.report_rows)
        try:
            report.update(hub_report_load.report(dsn))
        except Exception as exc:            # noqa: BLE001 - the bench reports what failed and goes on
            results["report_error"] = f"failed: {type(exc).__name__}: {str(exc)[:200]}"
        sizes = results["db"] = db_size(dsn)
        results["size"] = per_commune_year(report["bytes_per_row"], args.day_rows, sizes, max(1, args.stations))
    finally:
        if hub is not None and hub.poll() is None:
            hub.terminate()
            hub.wait(30)
        log.close()
        cluster.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    return results


if __name__ == "__main__":
    main()
