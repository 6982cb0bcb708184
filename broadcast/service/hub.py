"""The province hub's actions, for every front end (the CLI's `broadcast hub …`, the hub's web app
and its console). Each takes an open connection to the hub's database and the time; the station
API's take the request body as bytes and return what to answer as JSON."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit

import psycopg

from broadcast.hub import asrun, auth, bulletins, codes, db, heartbeats, receipts, stations
from broadcast.hub.bulletins import Addressees, Draft  # noqa: F401  (for the front ends)
from broadcast.hub.db import HubDatabaseError
from broadcast.hub.errors import AuthError, CodeError, HubError, NotFound, TooLarge  # noqa: F401
from broadcast.hub.pool import Pool  # noqa: F401
from broadcast.hub.wakeup import Waiters, listen  # noqa: F401
from broadcast.i18n import _
from broadcast.protocol.records import (MAX_ASRUN_BATCH, AsrunRecord, Enrolment, Heartbeat, ProtocolError,
                                        Receipt)

MAX_WAIT = 30           # seconds a long-poll may wait
UNAVAILABLE = (psycopg.OperationalError, HubDatabaseError)   # the database is down or busy: retry later


class DsnError(HubError):
    """A --db address that cannot be used as it is (a password in it, or not PostgreSQL)."""


def check_dsn(dsn: str) -> str:
    """Refuses a DSN with a password in it: argv is visible to every user of the machine."""
    if not dsn:
        raise DsnError(_("--db: the hub's PostgreSQL address is missing"),
                       _("give it with --db postgresql://user@host/database or in BROADCAST_HUB_DB"))
    parsed = None
    try:
        parsed = urlsplit(dsn)
    except ValueError:
        pass
    if parsed is None or parsed.scheme not in ("postgresql", "postgres"):
        raise DsnError(_("--db: '{dsn}' is not a PostgreSQL address").format(dsn=dsn.split("@")[-1]),
                       _("write it as postgresql://user@host/database"))
    try:
        keywords = psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        keywords = {}
    if parsed.password is not None or "password" in keywords:
        raise DsnError(_("--db must not contain the password: every user of the machine can read a "
                         "program's arguments"),
                       _("put the password in ~/.pgpass (mode 600) or in the file PGPASSFILE names, or set "
                         "PGPASSWORD in the hub service's environment, and give --db without it"))
    return dsn


def connect(dsn: str) -> psycopg.Connection:
    """A connection for a front end's one action (close it after: `with connect(dsn) as conn`)."""
    return db.connect(check_dsn(dsn))


def migrate(conn: psycopg.Connection) -> list[str]:
    return db.migrate(conn)


def add_commune(conn: psycopg.Connection, station_id: str, name: str, now: dt.datetime,
                group: str | None = None) -> stations.Station:
    return stations.add(conn, station_id, name, now, group)


def new_code(conn: psycopg.Connection, station_id: str, by: str, now: dt.datetime) -> str:
    return codes.new_code(conn, station_id, by, now)


def revoke(conn: psycopg.Connection, station_id: str, now: dt.datetime) -> None:
    codes.revoke(conn, station_id, now)


def send_bulletin(conn: psycopg.Connection, draft: bulletins.Draft, to: bulletins.Addressees,
                  now: dt.datetime) -> tuple[str, int]:
    return bulletins.create(conn, draft, to, now)


# The station API (docs/hub.md, Endpoints)

def _json(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise HubError(_("the body is not JSON in UTF-8: {reason}").format(reason=exc)) from None
    if not isinstance(data, dict):
        raise HubError(_("the body must be a JSON object"))
    return data


def _parsed(parse, data):
    try:
        return parse(data)
    except ProtocolError as exc:
        raise HubError(exc.message, exc.hint) from None


def enrol(conn: psycopg.Connection, body: bytes, hub_name: str, now: dt.datetime) -> dict:
    enrolment = _parsed(Enrolment.from_json, _json(body))
    return codes.enrol(conn, enrolment, hub_name, now).to_json()


def authenticate(conn: psycopg.Connection, authorization: str | None, method: str, target: str, body: bytes,
                 now: dt.datetime) -> str:
    return auth.authenticate(conn, authorization, method, target, body, now)


def heartbeat(conn: psycopg.Connection, station: str, body: bytes, now: dt.datetime) -> dict:
    heartbeats.store(conn, station, _parsed(Heartbeat.from_json, _json(body)), now)
    return {"hub_time": int(now.timestamp())}


def _list(data: dict, name: str, limit: int | None = None) -> list:
    value = data.get(name)
    if not isinstance(value, list):
        raise HubError(_("{field}: expected a list").format(field=name))
    if limit is not None and len(value) > limit:
        raise HubError(_("{field}: {count} in one batch (at most {limit})").format(
            field=name, count=len(value), limit=limit), _("send them in smaller batches"))
    return value


def take_asrun(conn: psycopg.Connection, station: str, body: bytes, now: dt.datetime) -> dict:
    rows = [_parsed(AsrunRecord.from_json, r) for r in _list(_json(body), "rows", MAX_ASRUN_BATCH)]
    done = asrun.ingest(conn, station, rows, now)
    return {"stored": done.stored, "duplicates": done.duplicates}


def pending_bulletins(conn: psycopg.Connection, station: str, after: int) -> list[dict]:
    return [b.to_json() for b in bulletins.pending(conn, station, after)]


def last_seq(conn: psycopg.Connection, station: str) -> int:
    return bulletins.last_seq(conn, station)


def bulletin_audio(conn: psycopg.Connection, station: str, bulletin_id: str) -> tuple[str, bytes]:
    return bulletins.audio(conn, station, bulletin_id)


def take_receipts(conn: psycopg.Connection, station: str, body: bytes, now: dt.datetime) -> dict:
    items = [_parsed(Receipt.from_json, r) for r in _list(_json(body), "receipts", 1000)]
    return {"stored": receipts.ingest(conn, station, items, now)}


def housekeeping(conn: psycopg.Connection, now: dt.datetime) -> None:
    """Purges used nonces and old heartbeat history (the app runs it every minute)."""
    auth.purge_nonces(conn, now)
    heartbeats.purge_history(conn, now)
