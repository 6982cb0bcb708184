"""Checks a station's signed request (docs/hub.md, Signing): who, when, which nonce, what signature.
A nonce is refused the second time by the nonces table's unique key; nonces older than 10 minutes
are purged (a request's time may be off by 5 minutes either way, so an old nonce cannot pass the
clock check any more)."""

from __future__ import annotations

import datetime as dt

import psycopg

from broadcast.hub.errors import AuthError
from broadcast.i18n import _
from broadcast.protocol import signing

NONCES_KEPT = dt.timedelta(minutes=10)


def authenticate(conn: psycopg.Connection, authorization: str | None, method: str, target: str,
                 body: bytes, now: dt.datetime) -> str:
    """The station id of a rightly signed request, or AuthError with its kind."""
    signed = signing.parse(authorization)
    if signed is None:
        raise AuthError(_("the request is not signed"), _("the station must send the Authorization header "
                                                          "of protocol v1 (docs/hub.md)"), kind="forged")
    row = conn.execute("SELECT token, revoked_at FROM stations WHERE id = %s", (signed.station,)).fetchone()
    if row is None or (row[0] is None and row[1] is None):
        raise AuthError(_("no commune '{station}' is enrolled at the hub").format(station=signed.station),
                        _("enrol the station with a code from the province"), kind="unknown")
    if row[0] is None:
        raise AuthError(_("the province revoked this station's link"),
                        _("ask the province for a new code and link the station again"), kind="revoked")
    hub_time = int(now.timestamp())
    if abs(signed.time - hub_time) > signing.MAX_SKEW:
        raise AuthError(_("the station's clock is {seconds} s off the hub's").format(seconds=signed.time - hub_time),
                        _("set the station's date and time (automatic time from the network)"),
                        kind="clock", hub_time=hub_time)
    if not signing.verify(signed, row[0], method, target, body):
        raise AuthError(_("the request's signature does not match"),
                        _("the request was changed on the way, or the station's token is not this hub's"),
                        kind="forged")
    cur = conn.execute("INSERT INTO nonces (station_id, nonce, at) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                       (signed.station, signed.nonce, now))
    if cur.rowcount == 0:
        raise AuthError(_("the request was sent before (its nonce is used)"),
                        _("a copy of an earlier request is refused; the station sends each request once"),
                        kind="replay")
    return signed.station


def purge_nonces(conn: psycopg.Connection, now: dt.datetime) -> int:
    return conn.execute("DELETE FROM nonces WHERE at < %s", (now - NONCES_KEPT,)).rowcount
