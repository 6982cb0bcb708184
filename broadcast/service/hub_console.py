"""What the province console does, for every front end: the communes at a glance and one
commune's week, and Báo cáo tỉnh. (Accounts: service.hub_accounts; bulletins: service.hub_bulletins.)"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from broadcast.errors import BroadcastError
from broadcast.hub import codes, communes, db, province_report, report_docx, stations
from broadcast.service import hub as core
from broadcast.hub.communes import CommuneState
from broadcast.hub.province_report import ProvinceReport
from broadcast.i18n import _
from broadcast.records.report import parse_period



def week_of(day: dt.date, tz) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday 00:00 of DAY's week, in the province's zone."""
    monday = day - dt.timedelta(days=day.weekday())
    start = dt.datetime.combine(monday, dt.time(0), tz)
    return start, dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(0), tz)


@dataclass(frozen=True)
class Overview:
    communes: list[CommuneState]
    counts: dict[str, int]            # state -> communes in it (all of them, before the filter)
    week: tuple[dt.datetime, dt.datetime]


def overview(hub, now: dt.datetime, state: str | None = None) -> Overview:
    """Every commune with its state; with STATE (one of communes.STATES) only those in it."""
    if state is not None and state not in communes.STATES:
        raise BroadcastError(_("{field}: “{value}” is not a state of the list").format(field=_("State"), value=state[:40]),
                             _("choose the state on the page"))
    week = week_of(now.astimezone(hub.tz).date(), hub.tz)
    with hub.connect() as conn:
        found = communes.overview(conn, *week)
    counts = {s: sum(s in c.states(now) for c in found) for s in communes.STATES}
    chosen = [c for c in found if state is None or state in c.states(now)]
    return Overview(chosen, counts, week)


@dataclass(frozen=True)
class CommuneWeek:
    state: CommuneState
    week: tuple[dt.datetime, dt.datetime]
    asrun: list[communes.AsrunLine]


class UnknownCommune(BroadcastError):
    """No commune with that id at the hub."""


def commune_week(hub, station: str, day: dt.date, now: dt.datetime) -> CommuneWeek:
    """One commune's state and its as-run rows of DAY's week (read-only)."""
    week = week_of(day, hub.tz)
    with hub.connect() as conn:
        found = communes.overview(conn, *week_of(now.astimezone(hub.tz).date(), hub.tz), station=station)
        if not found:
            raise UnknownCommune(_("there is no commune {id!r} at the hub").format(id=station[:64]),
                                 _("choose it from the list Xã / phường"))
        return CommuneWeek(found[0], week, communes.asrun_week(conn, station, *week))


def build_report(hub, period_text: str) -> ProvinceReport:
    """Báo cáo tỉnh for a period: 2026-Q1, 2026-H1, 2026, 2026-03 or 2026-01-01..2026-03-31."""
    return province_report.build(hub.connect, parse_period(period_text), hub.tz)


def write_report(hub, report: ProvinceReport, fmt: str, today: dt.date, out: Path) -> None:
    """The report as DOCX (Nghị định 30) or CSV, written whole or not at all."""
    if fmt == "docx":
        report_docx.write_docx(report, hub.heading, today, out)
    else:
        from broadcast.files import atomic_path

        with atomic_path(out) as tmp:
            tmp.write_text(report_docx.to_csv(report), encoding="utf-8")


def groups(hub) -> list[tuple[str, str]]:
    """The groups communes are gathered in (cụm, former districts): (id, name), by name."""
    with hub.connect() as conn:
        return stations.groups(conn)


def log_download(hub, now: dt.datetime, user: str, period: str, fmt: str) -> None:
    from broadcast.service import hub_accounts

    hub_accounts.log_action(hub, now, user, "report.download", period, fmt)


@dataclass(frozen=True)
class LinkCode:
    code: str                         # shown once, never stored in clear
    expires_at: dt.datetime


def create_commune(hub, name: str, group: str | None, now: dt.datetime, by: str) -> tuple[str, LinkCode]:
    """A new commune and its one-time link code; returns (its id, the code)."""
    from broadcast.service import hub_accounts

    if not name.strip():
        raise BroadcastError(_("{field}: {problem}").format(field=_("Name of the commune or ward"), problem=_("missing")),
                             _("write the commune's name, e.g. Xã Minh Đức"))
    if len(name) > 200 or group and len(group) > 200:
        raise BroadcastError(_("{field}: {problem}").format(field=_("Name of the commune or ward"),
                                                            problem=_("longer than {limit} characters").format(limit=200)),
                             _("shorten the name"))
    with hub.connect() as conn:
        station = _free_id(conn, "stations", slug(name))
        core.add_commune(conn, station, name.strip(), now, _group_id(conn, group) if group else None)
        code = core.new_code(conn, station, by, now)
        hub_accounts.record(conn, now, by, "commune.add", station, name.strip())
        hub_accounts.record(conn, now, by, "code.add", station)
    return station, LinkCode(code, now + codes.VALID)


def _known(conn, station: str) -> str:
    try:
        return stations.get(conn, station).name
    except core.NotFound:
        raise UnknownCommune(_("there is no commune {id!r} at the hub").format(id=station[:64]),
                             _("choose it from the list Xã / phường")) from None


def slug(name: str) -> str:
    """A commune's or group's id from its name: Xã Minh Đức -> xa-minh-duc."""
    import re
    import unicodedata

    plain = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:56] or "xa"


def _free_id(conn, table: str, base: str) -> str:
    taken = {r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE id LIKE %s", (base + "%",))}
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}-{n}"
    return found


def _group_id(conn, name: str) -> str:
    """The group called NAME, made when new."""
    for group_id, group_name in stations.groups(conn):
        if group_name == name or group_id == name:
            return group_id
    group_id = _free_id(conn, "groups", slug(name))
    stations.add_group(conn, group_id, name)
    return group_id


def new_code(hub, station: str, now: dt.datetime, by: str) -> tuple[str, LinkCode]:
    """A new one-time link code for STATION (to enrol again after a revoke or a new PC); (name, code)."""
    from broadcast.service import hub_accounts

    with hub.connect() as conn:
        name = _known(conn, station)
        code = core.new_code(conn, station, by, now)
        hub_accounts.record(conn, now, by, "code.add", station)
    return name, LinkCode(code, now + codes.VALID)


def revoke(hub, station: str, now: dt.datetime, by: str) -> None:
    """STATION's token stops working at once; it must enrol again with a new code."""
    from broadcast.service import hub_accounts

    with hub.connect() as conn:
        _known(conn, station)
        core.revoke(conn, station, now)
        hub_accounts.record(conn, now, by, "token.revoke", station)


@dataclass(frozen=True)
class ProvinceHub:
    """The hub as the province console sees it: its database (through the web app's pool when it
    runs in one), its name and the province's time zone."""

    dsn: str
    name: str = "Hệ thống thông tin nguồn tỉnh"
    timezone: str = "Asia/Ho_Chi_Minh"
    pool: object = field(default=None, compare=False)      # the web app's hub.Pool, when it has one

    @property
    def tz(self):
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)

    @property
    def heading(self) -> report_docx.Heading:
        return report_docx.Heading()

    @contextmanager
    def connect(self):
        """A connection inside one transaction: all of a block's writes happen, or none."""
        if self.pool is not None:
            with self.pool.connection() as conn, conn.transaction():
                yield conn
            return
        conn = db.connect(self.dsn)
        try:
            with conn.transaction():
                yield conn
        finally:
            conn.close()


def open_hub(dsn: str, name: str = "") -> ProvinceHub:
    return ProvinceHub(dsn, name) if name else ProvinceHub(dsn)


def migrate(hub) -> list[str]:
    """Apply the hub's migrations not yet applied (the core's, then the console's); their names."""
    conn = db.connect(hub.dsn)
    try:
        return db.migrate(conn)
    finally:
        conn.close()
