"""PROVISIONAL until hub-core's tests/pgcluster.py is merged: a throwaway PostgreSQL cluster on a
unix socket in a temporary folder, and a fresh database per test with the hub's tables."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
from psycopg.rows import dict_row

from broadcast.hub.console_schema import MIGRATIONS
from broadcast.hub.report_docx import Heading

BIN = Path("/usr/lib/postgresql/15/bin")
CORE = Path(__file__).with_name("core.sql")
_cluster: dict = {}


def _as_owner(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def cluster() -> str:
    if not _cluster:
        folder = Path(tempfile.mkdtemp(prefix="hubpg-"))
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        subprocess.run(_as_owner([str(BIN / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres"]),
                       check=True, capture_output=True)
        subprocess.run(_as_owner([str(BIN / "pg_ctl"), "-D", str(folder / "data"), "-w", "-l", str(folder / "log"),
                                  "-o", f"-c listen_addresses='' -k {folder} -c fsync=off", "start"]),
                       check=True, capture_output=True)
        _cluster["folder"] = folder
        _cluster["n"] = 0
        atexit.register(lambda: subprocess.run(_as_owner([str(BIN / "pg_ctl"), "-D", str(folder / "data"), "-m",
                                                          "immediate", "stop"]), capture_output=True))
    return str(_cluster["folder"])


class Hub:
    def __init__(self, dsn: str):
        self.dsn, self.tz, self.name, self.heading = dsn, ZoneInfo("Asia/Ho_Chi_Minh"), "Tỉnh Thử", Heading()

    def connect(self):
        return psycopg.connect(self.dsn, row_factory=dict_row)


def make_hub(request) -> Hub:
    host = cluster()
    _cluster["n"] += 1
    name = f"hub{_cluster['n']}"
    with psycopg.connect(f"host={host} user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    hub = Hub(f"host={host} user=postgres dbname={name}")
    with hub.connect() as conn:
        conn.execute(CORE.read_text())
        for _name, sql in MIGRATIONS:
            conn.execute(sql)
    return hub
