"""A throwaway PostgreSQL cluster for the tests: Debian's initdb and pg_ctl in a temporary folder,
listening only on a unix socket in that folder (no TCP port, so several test runs never collide).
As root, the server runs as Debian's `postgres` system user (PostgreSQL refuses to run as root)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg

RUN_AS = "postgres"


def bin_dir() -> Path:
    """The newest installed PostgreSQL's binaries (/usr/lib/postgresql/<major>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run ./setup.sh --test (Debian's postgresql)")
    return Path(found[-1]).parent


@dataclass
class Cluster:
    folder: Path            # holds data/ and the socket
    user: str               # the cluster's superuser
    log: Path

    @property
    def socket_dir(self) -> str:
        return str(self.folder)

    def dsn(self, dbname: str = "postgres") -> str:
        return f"postgresql:///{dbname}?host={self.folder}&user={self.user}"

    def create_database(self, name: str) -> str:
        """A new empty database; its DSN."""
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _ctl(self, *args: str) -> None:
        _run([str(bin_dir() / "pg_ctl"), "-D", str(self.folder / "data"), *args], self.user)

    def restart(self) -> None:
        """Stops (fast) and starts the server again, as when the province's PostgreSQL restarts."""
        self._ctl("-m", "fast", "-w", "restart", "-l", str(self.log))

    def stop(self) -> None:
        try:
            self._ctl("-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _run(cmd: list[str], user: str) -> None:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", user, "--", *cmd]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")


def start() -> Cluster:
    """Creates and starts a cluster in a new temporary folder."""
    # /tmp: short enough for the socket's path (at most 107 bytes) and open to the postgres user
    folder = Path(tempfile.mkdtemp(prefix="broadcast-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
    user = RUN_AS if os.geteuid() == 0 else _current_user()
    if os.geteuid() == 0:
        shutil.chown(folder, RUN_AS, RUN_AS)
        folder.chmod(0o700)
    cluster = Cluster(folder, user, folder / "server.log")
    try:
        _run([str(bin_dir() / "initdb"), "-D", str(folder / "data"), "-U", user, "-A", "trust",
              "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], user)
        options = (f"-c listen_addresses='' -c unix_socket_directories={folder} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        _run([str(bin_dir() / "pg_ctl"), "-D", str(folder / "data"), "-o", options, "-l", str(cluster.log),
              "-w", "-t", "60", "start"], user)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return cluster


def _current_user() -> str:
    import pwd
    return pwd.getpwuid(os.geteuid()).pw_name
