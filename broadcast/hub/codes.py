"""One-time enrolment codes and station tokens (docs/hub.md, Enrolment).

A code is 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown once, stored
as its SHA-256, valid 7 days and used once: consuming it is one UPDATE, so two stations racing
with the same code cannot both enrol. Enrolling gives the station a new token (its HMAC key);
revoking clears it until the station enrols again with a new code."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

import psycopg

from broadcast.hub import stations
from broadcast.hub.errors import CodeError
from broadcast.i18n import _
from broadcast.protocol import signing
from broadcast.protocol.records import EnrolReply, Enrolment

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
VALID = dt.timedelta(days=7)


def _hash(code: str) -> str:
    return hashlib.sha256(normal(code).encode()).hexdigest()


def normal(code: str) -> str:
    """The code as typed, in its canonical form (upper case, without spaces or dashes)."""
    return "".join(c for c in code.upper() if c not in " -\t")


def new_code(conn: psycopg.Connection, station_id: str, by: str, now: dt.datetime) -> str:
    """A new code for STATION (its earlier unused codes stop working). Shown once, never stored."""
    stations.get(conn, station_id)
    code = "".join(secrets.choice(ALPHABET) for _i in range(LENGTH))
    with conn.transaction():
        conn.execute("DELETE FROM enrol_codes WHERE station_id = %s AND used_at IS NULL", (station_id,))
        conn.execute("INSERT INTO enrol_codes (code_hash, station_id, created_at, expires_at, by) "
                     "VALUES (%s, %s, %s, %s, %s)", (_hash(code), station_id, now, now + VALID, by))
    return code


def enrol(conn: psycopg.Connection, enrolment: Enrolment, hub_name: str, now: dt.datetime) -> EnrolReply:
    """Consumes the code and gives its station a new token."""
    token = signing.new_token()
    zones = json.dumps([z.to_json() for z in enrolment.zones], ensure_ascii=False)
    with conn.transaction():
        row = conn.execute(
            "UPDATE enrol_codes SET used_at = %s WHERE code_hash = %s AND used_at IS NULL AND expires_at > %s "
            "RETURNING station_id", (now, _hash(enrolment.code), now)).fetchone()
        if row is None:
            raise _refusal(conn, enrolment.code)
        conn.execute("UPDATE stations SET token = %s, revoked_at = NULL, enrolled_at = %s, commune = %s, "
                     "zones = %s WHERE id = %s", (token, now, enrolment.commune, zones, row[0]))
    return EnrolReply(row[0], token, hub_name)


def _refusal(conn: psycopg.Connection, code: str) -> CodeError:
    row = conn.execute("SELECT used_at FROM enrol_codes WHERE code_hash = %s", (_hash(code),)).fetchone()
    hint = _("ask the province for a new code")
    if row is None:
        return CodeError(_("the code {code} is not known at the hub").format(code=normal(code)),
                         _("check the code as the province gave it (8 characters), or ask for a new one"))
    if row[0] is not None:
        return CodeError(_("the code {code} has been used already").format(code=normal(code)), hint)
    return CodeError(_("the code {code} has expired (codes are valid 7 days)").format(code=normal(code)), hint)


def revoke(conn: psycopg.Connection, station_id: str, now: dt.datetime) -> None:
    """The station's token stops working at once; it must enrol again with a new code."""
    cur = conn.execute("UPDATE stations SET revoked_at = %s, token = NULL WHERE id = %s", (now, station_id))
    if cur.rowcount == 0:
        raise stations.unknown(station_id)
