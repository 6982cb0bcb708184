"""The link to the province hub, for every front end: enrol with a one-time code, forget the
link, run the sync loop, and keep it running beside the daemon as a child process."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import threading
from contextlib import closing
from functools import partial

from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.link import state
from broadcast.link.client import HubClient, enrol as post_enrolment
from broadcast.link.config import Link, check_url, forget_link, read_link, write_link
from broadcast.link.loop import Hooks, SyncLoop
from broadcast.protocol.records import Enrolment, Zone
from broadcast.schedule import week
from broadcast.service import link_bulletins
from broadcast.service.link_heartbeat import heartbeat
from broadcast.service.link_child import PARENT
from broadcast.service.link_status import LinkStatus, link_status
from broadcast.service.users import log_action
from broadcast.station import db
from broadcast.station.settings import Station

log = logging.getLogger("broadcast.link")
CODE_CHARACTERS = 64
SYNC_INTERVAL = float(os.environ.get("BROADCAST_SYNC_INTERVAL", "10"))    # seconds between two syncs

__all__ = ["enrol", "unlink", "run_sync", "sync_loop", "link_status", "LinkStatus"]


def enrol(station: Station, url: str, code: str, by: str | None = None, now: dt.datetime | None = None) -> LinkStatus:
    """Link the station to the hub at URL with the province's one-time CODE; link.yaml is written
    (mode 600) only once the hub said yes."""
    url = check_url(url)
    code = code.strip().upper()
    if not code or len(code) > CODE_CHARACTERS or any(c.isspace() for c in code):
        raise BroadcastError(_("the link code {code!r} is not valid").format(code=code[:20]),
                             _("type the 8-character code the province gave, e.g. K7QM4XPA"))
    try:
        zones = tuple(Zone(z, zone.name) for z, zone in week.load(station).schedule.zones.items())
    except BroadcastError:
        zones = ()                 # a schedule being mended: the hub learns the zones from the heartbeats
    reply = post_enrolment(url, Enrolment(code, station.name, station.organisation or station.name, zones))
    write_link(station.root, Link(url, reply.station, reply.token, reply.hub))
    with closing(db.connect(station.db_path)) as conn:
        state.reset(conn)
    log_action(station, now or dt.datetime.now(station.tz), by, "link.enrol", reply.hub, url)
    return link_status(station)


def unlink(station: Station, by: str | None = None, now: dt.datetime | None = None) -> bool:
    """Forget the link (the province may also revoke it at the hub); True if there was one."""
    status = link_status(station)
    gone = forget_link(station.root)
    if gone:
        log_action(station, now or dt.datetime.now(station.tz), by, "link.forget", status.hub, status.url)
    return gone


def sync_loop(station: Station, stop: threading.Event | None = None, interval: float | None = None) -> SyncLoop:
    """The station's sync loop (not started): `run()` it, or one `cycle()` at a time."""
    link = _linked(station)
    client = HubClient(link)
    now = partial(dt.datetime.now, station.tz)
    hooks = Hooks(heartbeat=lambda: heartbeat(station, now()),
                  apply=lambda bulletin: link_bulletins.apply(station, client, link.hub, bulletin, now()),
                  follow=lambda: link_bulletins.follow(station, now()), now=now)
    return SyncLoop(station.db_path, client, hooks, interval or SYNC_INTERVAL, stop=stop)


def _linked(station: Station) -> Link:
    link = read_link(station.root)
    if link is None:
        raise BroadcastError(_("the station is not linked to a province hub"),
                             _("link it first: broadcast link URL CODE (or Cài đặt → Kết nối tỉnh)"))
    return link


def run_sync(station: Station, interval: float | None = None, stop: threading.Event | None = None) -> None:
    """`broadcast sync`: sync with the hub until stopped (SIGTERM, Ctrl-C)."""
    link = _linked(station)
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
    parent = os.environ.get(PARENT)
    if parent:                      # a child of `broadcast run`: it ends when the daemon does
        threading.Thread(target=_orphaned, args=(int(parent), stop), name="parent watch", daemon=True).start()
    log.info("syncing with the province hub %s at %s", link.hub, link.url)
    sync_loop(station, stop, interval).run()


def _orphaned(parent: int, stop: threading.Event) -> None:
    while not stop.wait(2.0):
        if os.getppid() != parent:
            log.warning("the station daemon is gone: the sync stops")
            stop.set()
