"""Real stations for bench/hub_bench.py: sample station folders (tests/playout/daemon.py's
make_station, file outputs), each linked with the real CLI (`broadcast link URL CODE`) and run with
`broadcast run` — whose sync child process talks to the hub like any commune's. Then: when each
aired the emergency (its as-run row in station.db) and whether the hub holds every final row."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from broadcast.records import asrun
from broadcast.service.link_bulletins import script_id
from broadcast.station import db as station_db
from tests.playout.daemon import ahead, make_station, start_daemon, stop_daemon

REPO = Path(__file__).resolve().parents[1]


class RealStations:
    """COUNT station folders under FOLDER, each with slots a minute apart (as-run rows flow)."""

    def __init__(self, folder: Path, communes: list[tuple[str, str, str]], url: str, log):
        self.folder, self.communes, self.url, self.log = folder, communes, url, log
        self.stations, self.daemons = [], []

    def start(self) -> None:
        for n, (station_id, _name, code) in enumerate(self.communes):
            root = self.folder / station_id
            (root / "scripts").mkdir(parents=True)
            for name in ("station.yaml", "lexicon.yaml"):
                shutil.copy(REPO / name, root / name)
            shutil.copytree(REPO / "audio", root / "audio")
            starts = [ahead(40 + 60 * k + 7 * n) for k in range(8)]
            station = make_station(root, [(s, "tin-b") for s in starts], output="file:out/sink", grace=30)
            linked = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(root), "link", self.url, code],
                                    stdout=self.log, stderr=subprocess.STDOUT, timeout=60)
            if linked.returncode:
                raise RuntimeError(f"broadcast link failed for {station_id} (exit {linked.returncode})")
            self.stations.append((station_id, station))
            self.daemons.append(start_daemon(root, None, self.log))

    def aired(self, bulletin: str, created: float, timeout: float) -> list[float | None]:
        """Seconds from CREATED to the emergency's airing start at each station (None: not aired)."""
        script = script_id(bulletin)
        found: dict[str, float] = {}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(found) < len(self.stations):
            for station_id, station in self.stations:
                if station_id in found:
                    continue
                for row in asrun.read(station.db_path, status=("completed", "playing", "interrupted")):
                    if row.started and any(i.script == script for i in row.items):
                        found[station_id] = row.started.timestamp() - created
                        break
            time.sleep(0.3)
        return [found.get(s) for s, _ in self.stations]

    def final_rows(self) -> dict[str, int]:
        """Rows in a final status per station (what its sync must have given the hub)."""
        counts = {}
        for station_id, station in self.stations:
            with closing(station_db.connect(station.db_path)) as conn:
                counts[station_id] = conn.execute("SELECT count(*) FROM asrun WHERE status != 'playing'").fetchone()[0]
        return counts

    def alive(self) -> int:
        return sum(1 for d in self.daemons if d.poll() is None)

    def stop(self) -> None:
        for daemon in self.daemons:
            stop_daemon(daemon)


def summary(delays: list[float | None], limit: float = 15.0) -> dict:
    aired = [d for d in delays if d is not None]
    text = (f"{len(aired)}/{len(delays)} aired; " + ", ".join("—" if d is None else f"{d:.1f}" for d in delays) + " s"
            if delays else "no real station")
    ok = bool(delays) and len(aired) == len(delays) and max(aired) <= limit
    return {"delays": delays, "summary": text, "verdict": "pass" if ok else "FAIL"}
