"""Communes (stations) and their groups at the hub: the province creates them before enrolment."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import psycopg

from broadcast.hub.errors import Conflict, HubError, NotFound
from broadcast.i18n import _

ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class Station:
    id: str
    name: str
    commune: str | None
    group: str | None
    enrolled_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_seen: dt.datetime | None
    zones: tuple[dict, ...]

    @property
    def linked(self) -> bool:
        return self.enrolled_at is not None and self.revoked_at is None


def check_id(value: str, field: str) -> str:
    if not ID.match(value or ""):
        raise HubError(_("{field} '{value}': use lower-case letters, digits and '-' (at most 64)").format(
            field=field, value=value), _("for example: xa-tan-lap"))
    return value


def add_group(conn: psycopg.Connection, group_id: str, name: str) -> None:
    check_id(group_id, "group")
    try:
        conn.execute("INSERT INTO groups (id, name) VALUES (%s, %s)", (group_id, name.strip() or group_id))
    except psycopg.errors.UniqueViolation:
        raise Conflict(_("group '{group}' exists already").format(group=group_id)) from None


def groups(conn: psycopg.Connection) -> list[tuple[str, str]]:
    return [tuple(r) for r in conn.execute("SELECT id, name FROM groups ORDER BY name, id")]


def add(conn: psycopg.Connection, station_id: str, name: str, now: dt.datetime,
        group: str | None = None) -> Station:
    """A new commune, not yet enrolled. GROUP is created with its id as name when new."""
    check_id(station_id, "station")
    if not name.strip():
        raise HubError(_("the commune's name is empty"), _("give its name, e.g. \"Xã Tân Lập\""))
    with conn.transaction():
        if group is not None:
            check_id(group, "group")
            conn.execute("INSERT INTO groups (id, name) VALUES (%s, %s) ON CONFLICT DO NOTHING", (group, group))
        try:
            conn.execute("INSERT INTO stations (id, name, group_id, created_at) VALUES (%s, %s, %s, %s)",
                         (station_id, name.strip(), group, now))
        except psycopg.errors.UniqueViolation:
            raise Conflict(_("commune '{station}' exists already").format(station=station_id)) from None
    return get(conn, station_id)


_COLUMNS = "id, name, commune, group_id, enrolled_at, revoked_at, last_seen, zones"


def get(conn: psycopg.Connection, station_id: str) -> Station:
    row = conn.execute(f"SELECT {_COLUMNS} FROM stations WHERE id = %s", (station_id,)).fetchone()
    if row is None:
        raise unknown(station_id)
    return _station(row)


def unknown(station_id: str) -> NotFound:
    return NotFound(_("no commune '{station}' at the hub").format(station=station_id),
                    _("add it first: broadcast hub commune add ID NAME"))


def _station(row) -> Station:
    return Station(row[0], row[1], row[2], row[3], row[4], row[5], row[6], tuple(row[7] or ()))
