"""How the link to the province hub stands, for Tổng quan and Cài đặt → Kết nối tỉnh: never the token."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from dataclasses import dataclass

from broadcast.errors import BroadcastError
from broadcast.link import state
from broadcast.link.config import read_link
from broadcast.station import db
from broadcast.station.settings import Station

NEEDS_A_PERSON = ("clock", "revoked", "unknown", "forged")     # errors the officer must act on


@dataclass(frozen=True)
class LinkStatus:
    linked: bool
    hub: str = ""                    # the hub's name
    url: str = ""
    station_id: str = ""
    last_contact: dt.datetime | None = None
    waiting: int = 0                 # as-run rows not yet acknowledged by the hub
    error: str | None = None         # the last failure, Vietnamese (None: the last contact went well)
    error_kind: str | None = None

    @property
    def needs_a_person(self) -> bool:
        return self.error_kind in NEEDS_A_PERSON


def link_status(station: Station) -> LinkStatus:
    try:
        link = read_link(station.root)
    except BroadcastError as exc:
        return LinkStatus(False, error=str(exc), error_kind="file")
    if link is None:
        return LinkStatus(False)
    with closing(db.connect(station.db_path)) as conn:
        now = state.state(conn)
        waiting = state.waiting(conn)
    contact = now.last_contact.astimezone(station.tz) if now.last_contact else None
    return LinkStatus(True, link.hub, link.url, link.station, contact, waiting, now.last_error, now.error_kind)
