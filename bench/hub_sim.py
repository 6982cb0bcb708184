"""Light simulated stations for bench/hub_bench.py: each speaks protocol v1 (docs/hub.md) to a real
hub over HTTP — enrols with a one-time code, then every INTERVAL seconds posts a heartbeat and the
as-run rows it has not had acknowledged, and keeps a bulletin long-poll open. Rows live in the
station's own list (its "station.db"): the hub's count must come out equal, whatever failed between.

Timings: client time around each request, and server time from the hub's Server-Timing header
(`app;dur=MS`) when it sends one."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import time
from dataclasses import dataclass, field

import httpx2

from broadcast.protocol import signing
from broadcast.protocol.records import MAX_ASRUN_BATCH, AsrunRecord, Enrolment, Heartbeat, OutputState, Zone

UTC = dt.timezone.utc
ZONES = ("thon-1", "thon-2", "thon-3", "thon-4", "thon-5")
TOPICS = ("the-che", "thu-tuc-hanh-chinh", "chinh-phu-so", "dich-vu-cong", "khac")
LONG_POLL = 30


@dataclass
class Timings:
    """Per kind of request: client seconds and server seconds (None when the hub sent no header)."""

    client: dict[str, list[float]] = field(default_factory=dict)
    server: dict[str, list[float]] = field(default_factory=dict)
    syncs_client: list[float] = field(default_factory=list)
    syncs_server: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    recording: bool = True

    def add(self, kind: str, client: float, server: float | None) -> None:
        if self.recording:
            self.client.setdefault(kind, []).append(client)
            if server is not None:
                self.server.setdefault(kind, []).append(server)

    def failed(self, kind: str) -> None:
        self.failures[kind] = self.failures.get(kind, 0) + 1


def server_seconds(response: httpx2.Response) -> float | None:
    """The `app;dur=` (or first `dur=`) of the Server-Timing header, in seconds."""
    value = response.headers.get("server-timing")
    if not value:
        return None
    for metric in value.split(","):
        for part in metric.split(";")[1:]:
            key, _, number = part.strip().partition("=")
            if key == "dur":
                try:
                    return float(number) / 1000
                except ValueError:
                    return None
    return None


def asrun_row(station: str, n: int, when: dt.datetime) -> dict:
    """One realistic as-run row (a two-item program on one zone), in a final status."""
    zone = ZONES[n % len(ZONES)]
    status = "missed" if n % 50 == 0 else "completed"
    items = ({"script": f"tin-{n % 9}", "title": f"Tin cải cách hành chính số {n % 9}", "topic": TOPICS[n % 5],
              "seconds": 64.0, "engine": "espeak"},
             {"script": "dvc", "title": "Hướng dẫn nộp hồ sơ trực tuyến", "topic": "dich-vu-cong",
              "seconds": 91.5, "engine": "espeak"})
    record = AsrunRecord(token=f"{station}-{n:07d}", occurrence=f"{when:%Y-%m-%d}T{n % 33:02d}:sang:{zone}",
                         attempt=1, slot=f"slot-{n % 33}", zone=zone, output="pulse:loa-" + zone,
                         scheduled=when, started=None if status == "missed" else when,
                         ended=None if status == "missed" else when + dt.timedelta(seconds=156),
                         planned_seconds=155.5, played_seconds=0.0 if status == "missed" else 155.5,
                         status=status, items=items, voice="espeak")
    return record.to_json()


class SimStation:
    """One simulated commune station."""

    def __init__(self, client: httpx2.AsyncClient, station_id: str, name: str, timings: Timings):
        self.client, self.id, self.name, self.timings = client, station_id, name, timings
        self.token: str | None = None
        self.rows: list[dict] = []          # the station's as-run log, oldest first
        self.acked = 0                      # rows the hub acknowledged (the station's resume point)
        self.seq = 0                        # the last bulletin seq applied
        self.received: dict[str, float] = {}  # bulletin id -> wall time it arrived
        self.online = True                  # False: no sync at all (the 4G is down)
        self.producing = True               # False: syncs without airing more (a quiet moment to compare)
        self.retries = 0

    # requests

    async def _send(self, kind: str, method: str, path: str, payload: dict | None = None,
                    timeout: float = 15.0) -> httpx2.Response:
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        headers = {"content-type": "application/json"}
        if self.token:
            headers["authorization"] = signing.header(self.id, self.token, method, path, int(time.time()), body)
        began = time.perf_counter()
        response = await self.client.request(method, path, content=body or None, headers=headers, timeout=timeout)
        if kind != "bulletins":
            self.timings.add(kind, time.perf_counter() - began, server_seconds(response))
        return response

    async def enrol(self, code: str) -> None:
        enrolment = Enrolment(code, self.name, self.name, tuple(Zone(z, z.replace("thon-", "Thôn ")) for z in ZONES))
        response = await self._send("enrol", "POST", "/api/v1/enrol", enrolment.to_json())
        if response.status_code != 201:
            raise RuntimeError(f"{self.id}: enrol answered {response.status_code} {response.text[:300]}")
        self.token = response.json()["token"]

    def heartbeat(self) -> dict:
        now = dt.datetime.now(UTC)
        return Heartbeat(at=now, daemon_alive=True, alert=None,
                         outputs=tuple(OutputState(z, "pulse:loa-" + z, True) for z in ZONES),
                         disk_free_bytes=41_000_000_000, voice="espeak", voice_fallback=False,
                         next_programs=()).to_json()

    async def sync_once(self) -> bool:
        """Heartbeat, then the unacknowledged rows in batches. False when any step failed (retry)."""
        client_total = server_total = 0.0
        try:
            began = time.perf_counter()
            response = await self._send("heartbeat", "POST", "/api/v1/heartbeat", self.heartbeat())
            if response.status_code != 200:
                raise RuntimeError(response.status_code)
            client_total += time.perf_counter() - began
            server_total += server_seconds(response) or 0.0
            while self.acked < len(self.rows):
                batch = self.rows[self.acked:self.acked + MAX_ASRUN_BATCH]
                began = time.perf_counter()
                response = await self._send("asrun", "POST", "/api/v1/asrun", {"rows": batch})
                if response.status_code != 200:
                    raise RuntimeError(response.status_code)
                client_total += time.perf_counter() - began
                server_total += server_seconds(response) or 0.0
                self.acked += len(batch)
        except (httpx2.TransportError, RuntimeError) as exc:
            self.timings.failed(type(exc).__name__ if not isinstance(exc, RuntimeError) else f"http {exc.args[0]}")
            self.retries += 1
            return False
        if self.timings.recording:
            self.timings.syncs_client.append(client_total)
            self.timings.syncs_server.append(server_total)
        return True

    def produce(self, count: int, when: dt.datetime) -> None:
        """COUNT more as-run rows in the station's log (what its daemon aired)."""
        start = len(self.rows)
        self.rows.extend(asrun_row(self.id, n, when + dt.timedelta(seconds=n - start)) for n in range(start, start + count))

    async def sync_loop(self, interval: float, rows_per_sync: int, stop: asyncio.Event) -> None:
        await asyncio.sleep(random.uniform(0, interval))       # stations are not in step
        while not stop.is_set():
            began = time.monotonic()
            if self.online:
                if self.producing:
                    self.produce(rows_per_sync, dt.datetime.now(UTC))
                await self.sync_once()
            try:
                await asyncio.wait_for(stop.wait(), max(0.0, interval - (time.monotonic() - began)))
            except TimeoutError:
                pass

    async def _receipts(self, bulletins: list[dict]) -> None:
        at = dt.datetime.now(UTC).isoformat()
        receipts = [{"bulletin": b["id"], "zone": zone, "state": "received", "at": at}
                    for b in bulletins for zone in (b.get("zones") or ZONES)]
        response = await self._send("receipts", "POST", "/api/v1/receipts", {"receipts": receipts})
        if response.status_code != 200:
            raise RuntimeError(response.status_code)

    async def poll_loop(self, stop: asyncio.Event) -> None:
        """The bulletin long-poll, reopened at once after each answer (after 1 s on a failure)."""
        while not stop.is_set():
            path = f"/api/v1/bulletins?after={self.seq}&wait={LONG_POLL}"
            try:
                response = await self._send("bulletins", "GET", path, timeout=LONG_POLL + 15)
                if response.status_code != 200:
                    raise RuntimeError(response.status_code)
                arrived = time.time()
                fresh = [b for b in response.json()["bulletins"] if b["id"] not in self.received]
                for bulletin in fresh:
                    self.received[bulletin["id"]] = arrived
                    self.seq = max(self.seq, bulletin["seq"])
                if fresh:
                    await self._receipts(fresh)
            except (httpx2.TransportError, RuntimeError, ValueError) as exc:
                self.timings.failed("bulletins " + type(exc).__name__)
                try:
                    await asyncio.wait_for(stop.wait(), 1.0)
                except TimeoutError:
                    pass
