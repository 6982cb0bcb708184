"""The web console's speed, as the officer meets it, on a station with 500 items and a year of
as-run rows (>= 10,000):

- server time per page (the console's own `server-timing` header), p50 / p95 / max over N
  requests each (target p95 <= 50 ms);
- "Nghe thử" of a one-paragraph item over HTTP, cold (empty cache, espeak-ng) and cached
  (targets: <= 1.5 s cold, <= 100 ms cached);
- the console's RSS after the run (target <= 120 MiB);
- the daemon's start lateness at the sound server while the console, on the same station and
  database, serves 20 requests a second (target p95 <= 30 ms; needs pulseaudio).

Usage: python bench/console_bench.py [--items 500] [--requests 40] [--lateness-count 30] [--no-lateness]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx2 as httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from broadcast import service  # noqa: E402
from broadcast.records import asrun  # noqa: E402
from broadcast.records.asrun import AiredItem  # noqa: E402
from broadcast.station import db  # noqa: E402
from tests.soundpath import free_port, wait_for_port  # noqa: E402

PASSWORD = "mat-khau-do-toc-do"
TOPICS = ("the-che", "thu-tuc-hanh-chinh", "bo-may", "cong-vu", "tai-chinh-cong", "chinh-phu-so", "dich-vu-cong")


def build_station(root: Path, items: int) -> int:
    """The sample station plus ITEMS generated items and a year of as-run rows; returns the row count."""
    for name in ("station.yaml", "lexicon.yaml"):
        shutil.copy(REPO / name, root / name)
    for name in ("audio", "schedules", "scripts"):
        shutil.copytree(REPO / name, root / name)
    bodies = [p.read_text("utf-8").split("---", 2)[2].strip() for p in sorted((REPO / "scripts").glob("*.md"))]
    for n in range(items):
        (root / "scripts" / f"tin-{n:03d}.md").write_text(
            f"---\nid: tin-{n:03d}\ntitle: Tin cải cách hành chính số {n}\ntopic: {TOPICS[n % len(TOPICS)]}\n"
            f"valid_from: 2026-01-01\nvalid_until: 2099-12-31\n---\n{bodies[n % len(bodies)]}\n", "utf-8")
    station = service.station.open_station(root)
    zones = [z.id for z in service.station.zones(station)]
    today = dt.datetime.now(station.tz).date()
    conn = db.connect(station.db_path)
    count = 0
    conn.execute("BEGIN")
    for back in range(365):
        day = today - dt.timedelta(days=back)
        for hour in (6, 8, 10, 12, 14, 17, 19):
            when = dt.datetime.combine(day, dt.time(hour), station.tz)
            for zone in zones:
                items_aired = [AiredItem(f"tin-{(back + k) % items:03d}", f"Tin số {k}", TOPICS[k], "0" * 16, "espeak", 120.0)
                               for k in range(3)]
                row = asrun.begin(conn, occurrence=f"{day}/s{hour}/{zone}", attempt=1, slot=f"s{hour}", zone=zone,
                                  output="pulse", scheduled=when, started=when, planned=400.0, items=items_aired,
                                  audio=None)
                status = "missed" if (back + hour) % 97 == 0 else "completed"
                asrun.finish(conn, row, status, when + dt.timedelta(seconds=400), 400.0,
                             "airtime passed" if status == "missed" else None)
                count += 1
    conn.execute("COMMIT")
    conn.close()
    service.users.add_user(station, "quantri", "admin", PASSWORD, dt.datetime.now(station.tz))
    return count


def start_console(root: Path, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "broadcast", "-S", str(root), "web", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wait_for_port(port)
    return proc, f"http://127.0.0.1:{port}"


def signed_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    page = client.get("/dang-nhap")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/dang-nhap", data={"name": "quantri", "password": PASSWORD, "csrf_token": token})
    return client


def server_ms(response) -> float:
    return float(response.headers["server-timing"].split("dur=")[1])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def page_times(client: httpx.Client, paths: list[str], requests: int) -> dict[str, list[float]]:
    out = {}
    for path in paths:
        client.get(path)                                       # warm: first parse of 500 files
        times = []
        for _ in range(requests):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            times.append(server_ms(response))
        out[path] = times
    return out


def listen_times(client: httpx.Client, root: Path, item: str, runs: int) -> tuple[list[float], list[float]]:
    cold, warm = [], []
    for _ in range(runs):
        shutil.rmtree(root / "cache", ignore_errors=True)
        began = time.perf_counter()
        assert client.get(f"/tin-bai/{item}/nghe-thu").status_code == 200
        cold.append(time.perf_counter() - began)
        for _ in range(3):
            began = time.perf_counter()
            assert client.get(f"/tin-bai/{item}/nghe-thu").status_code == 200
            warm.append(time.perf_counter() - began)
    return cold, warm


def rss_mib(pid: int) -> tuple[float, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    value = {k: int(v.split()[0]) / 1024 for k, v in re.findall(r"^(VmRSS|VmHWM):\s+(.*)$", status, re.M)}
    return value["VmRSS"], value["VmHWM"]


def console_load(rate: float):
    """A LOAD for playout_lateness.run_case: the console on the daemon's own station, RATE requests/s."""

    def load(stop: threading.Event, root: Path, scratch: Path) -> None:
        station = service.station.open_station(root)
        service.users.add_user(station, "quantri", "admin", PASSWORD, dt.datetime.now(station.tz))
        proc, url = start_console(root)
        served = 0
        try:
            client = signed_in(url)
            paths = ["/", "/tin-bai", "/nhat-ky", "/lich-phat", "/tin-bai/tin"]
            began = time.monotonic()
            while not stop.is_set():
                client.get(paths[served % len(paths)])
                served += 1
                time.sleep(max(0.0, began + served / rate - time.monotonic()))
            load.rate = served / (time.monotonic() - began)
        finally:
            proc.terminate()
            proc.wait(10)

    return load


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--listen-runs", type=int, default=5)
    parser.add_argument("--lateness-count", type=int, default=30)
    parser.add_argument("--no-lateness", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "station"
        root.mkdir()
        rows = build_station(root, args.items)
        proc, url = start_console(root)
        try:
            client = signed_in(url)
            today = dt.date.today()
            paths = ["/", "/tin-bai", "/tin-bai?q=m%E1%BB%99t+c%E1%BB%ADa", "/tin-bai?trang-thai=approved",
                     "/tin-bai/tin-007", "/tin-bai/moi", "/tin-bai/tin-007/lich-su", "/lich-phat",
                     "/nhat-ky", f"/nhat-ky?tu={today - dt.timedelta(days=365)}&den={today}&cum-loa=thon-bac",
                     "/bao-cao", "/cai-dat", "/phat-khan-cap"]
            times = page_times(client, paths, args.requests)
            one_paragraph = "tin-001"
            (root / "scripts" / f"{one_paragraph}.md").write_text(
                f"---\nid: {one_paragraph}\ntitle: Lịch tiếp công dân\ntopic: khac\nvalid_from: 2026-01-01\n"
                "valid_until: 2099-12-31\n---\nKính thưa bà con nhân dân, Ủy ban nhân dân xã thông báo lịch tiếp "
                "công dân: sáng thứ Hai và thứ Năm hằng tuần, từ 7 giờ 30 đến 11 giờ, tại trụ sở Ủy ban. "
                "Đề nghị bà con mang theo căn cước công dân và giấy tờ liên quan.\n", "utf-8")
            cold, warm = listen_times(client, root, one_paragraph, args.listen_runs)
            rss, peak = rss_mib(proc.pid)
        finally:
            proc.terminate()
            proc.wait(10)
    print(f"station: {args.items} generated items + the sample's, {rows} as-run rows; {args.requests} requests a page")
    print(f"{'page':58} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for path, values in times.items():
        print(f"{path:58} {statistics.median(values):7.1f} {pct(values, 0.95):7.1f} {max(values):7.1f}")
    worst = max(pct(v, 0.95) for v in times.values())
    print(f"worst page p95: {worst:.1f} ms (target <= 50)")
    print(f"Nghe thử cold (empty cache, espeak-ng), {len(cold)} runs: " + ", ".join(f"{x:.2f}" for x in cold)
          + f" s (median {statistics.median(cold):.2f}; target <= 1.5 s)")
    print(f"Nghe thử cached, {len(warm)} requests: median {1000 * statistics.median(warm):.1f} ms, "
          f"max {1000 * max(warm):.1f} ms (target <= 100 ms)")
    print(f"console RSS after the run: {rss:.0f} MiB, peak {peak:.0f} MiB (target <= 120 MiB)")
    if args.no_lateness:
        return
    from playout_lateness import _summary, run_case

    from tests.soundpath import start_pulse, stop_pulse  # noqa: E402 (only this part needs PulseAudio)

    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        (scratch / "pulse").mkdir()
        pulse = start_pulse(scratch / "pulse")
        try:
            load = console_load(20.0)
            result = run_case(pulse, args.lateness_count, 4.0, True, scratch, name="console", load=load)
        finally:
            stop_pulse(pulse)
    print(_summary(f"daemon while the console serves {getattr(load, 'rate', 0):.1f} requests/s", result))


if __name__ == "__main__":
    main()
