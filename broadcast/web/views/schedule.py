"""Lịch phát: the week's programs per day and slot, with the problems `schedule check` finds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from broadcast import present as fmt
from broadcast import service
from broadcast.errors import BroadcastError
from broadcast.i18n import WEEKDAYS, _, ngettext
from broadcast.service.conflicts import StaleEdit
from broadcast.web.console import console
from broadcast.web.permissions import allowed


@dataclass(frozen=True)
class Cell:
    """One program in a day's slot: its items, its length against the slot, where it airs."""

    items: tuple[str, ...]
    length: str
    room: str                        # "3:20 free", or "over by 1:05"
    over: bool
    zones: str                       # "" when it airs on every zone of the week's slot
    relay: str = ""                  # a relay: the source's name ("VOV1 – Thời sự")
    fallback_voice: str = ""         # why a fallback voice reads it ("": the preferred voice)
    past: bool = False               # its start time has gone by


@dataclass(frozen=True)
class DayHead:
    label: str                       # Thứ Hai 18/03/2024
    when: str                        # "today", "past" or ""


@dataclass(frozen=True)
class GridRow:
    time: str
    slot: str
    title: str
    weekly: bool                     # a weekly slot (editable here), not a dated event
    cells: tuple[tuple[Cell, ...], ...]    # per day of the week, the programs of that slot
    problems: tuple[str, ...] = ()   # what `schedule check` finds in this slot, shown in its row


def _zones_label(zones: tuple[str, ...], every: set[str], names: dict[str, str], groups: dict[str, set[str]]) -> str:
    if set(zones) == every:
        return ""
    for group, members in groups.items():
        if group and set(zones) == members:
            return group
    shown = [names.get(z, z) for z in zones]
    return ", ".join(shown[:3]) + (f" +{len(shown) - 3}" if len(shown) > 3 else "")


def grid(rows, start: dt.date, names: dict[str, str], groups: dict[str, set[str]], titles: dict[str, str],
         slot_titles: dict[str, str], wanted: set[str] | None, weekly: frozenset[str] = frozenset(),
         problems: dict[str, list[str]] | None = None, relay_names: dict[str, str] | None = None,
         voices: dict | None = None, now: dt.datetime | None = None) -> list[GridRow]:
    """The week as slots x days; with WANTED zones, only the programs that air on one of them; a
    program whose start is before NOW is marked past."""
    gone = (now.date(), f"{now:%H:%M}") if now else (dt.date.min, "")
    by_slot: dict[tuple[str, str], list[list[Cell]]] = {}
    every = set(names)
    for r in sorted(rows, key=lambda r: (r.time, r.slot)):
        if wanted is not None and not wanted & set(r.zones):
            continue
        days = by_slot.setdefault((r.time, r.slot), [[] for _ in range(7)])
        if r.relay is not None:
            name = (relay_names or {}).get(r.relay, r.relay)
            days[(r.day - start).days].append(Cell((_("Relay: {name}").format(name=name),), fmt.mmss(r.length), "", False,
                                                   _zones_label(r.zones, every, names, groups), name,
                                                   past=(r.day, r.time) < gone))
            continue
        days[(r.day - start).days].append(Cell(
            tuple(titles.get(i, i) for i in r.items) or (_("(empty)"),), fmt.mmss(r.seconds),
            _("over by {time}").format(time=fmt.mmss(r.seconds - r.length)) if r.seconds > r.length
            else _("{time} free").format(time=fmt.mmss(r.length - r.seconds)), r.seconds > r.length, _zones_label(r.zones, every, names, groups),
            fallback_voice=(voices or {}).get((r.day, r.time, r.slot, r.items), ""), past=(r.day, r.time) < gone))
    return [GridRow(time, slot, slot_titles.get(slot, slot), slot in weekly, tuple(tuple(d) for d in days),
                    tuple((problems or {}).get(slot, ())))
            for (time, slot), days in by_slot.items()]


@dataclass(frozen=True)
class QueueLine:
    id: int
    ranked: bool                     # a priority item: its order can be set
    title: str
    slot: str
    date: str
    zone: str
    priority: str
    airs: str


async def week(request: Request, error: str = "", status_code: int = 200) -> Response:
    c = console(request)
    day = fmt.query_date(request.query_params, "ngay", _("Date")) or c.now().date()
    plan = await run_in_threadpool(service.week.plan_week, c.station, day.isoformat(), c.now().date())
    zone_list = await run_in_threadpool(service.station.zones, c.station)
    zones = {z.id: z.name for z in zone_list}
    items = (await run_in_threadpool(service.scripts.list_scripts, c.station)).items
    titles = {i.id: i.title for i in items}
    groups: dict[str, set[str]] = {}
    for z in zone_list:
        groups.setdefault(z.group, set()).add(z.id)
    chosen = request.query_params.get("cum-loa") or ""
    if chosen.startswith("nhom:"):                   # a whole group (a former commune)
        wanted: set[str] | None = groups.get(chosen[5:], set())
    else:
        wanted = {chosen} if chosen else None
    all_slots = await run_in_threadpool(service.week.slots, c.station)
    slot_titles = {s.id: s.title or s.id for s in all_slots}
    found: dict[str, list[str]] = {}              # a slot's problems, shown in its row
    for p in plan.check.problems + plan.check.warnings:
        found.setdefault((p.field or "").split(".")[0], []).append(p.problem + (f" – {p.hint}" if p.hint else ""))
    rows = grid(plan.rows, plan.start, zones, groups, titles, slot_titles, wanted,
                frozenset(s.id for s in all_slots if not s.is_event), found,
                {r.id: r.name for r in c.station.relays}, plan.fallback_voices, c.now())
    today = c.now().date()
    days = [DayHead(fmt.weekday_date(d), "today" if d == today else "past" if d < today else "")
            for d in (plan.start + dt.timedelta(days=n) for n in range(7))]
    queued = [QueueLine(q.entry.id, q.entry.priority == "priority", titles.get(q.entry.script, q.entry.script), q.entry.slot or _("next slot"),
                        fmt.date(q.entry.date), zones.get(q.entry.zone, q.entry.zone) if q.entry.zone else _("all zones"),
                        fmt.priority(q.entry.priority), ngettext("{count} airing", "{count} airings", len(q.airs_in)).format(count=len(q.airs_in))
                        if q.airs_in else _("no matching slot yet"))
              for q in await run_in_threadpool(service.week.queue_list, c.station)]
    airable = [i for i in items if service.approval.status(c.station, i) == "approved"]
    long = [_("“{title}” reads for about {length}, longer than any slot it could air in (at most {slot_length}): "
              "it will not air").format(title=t.title, length=fmt.mmss(t.seconds), slot_length=fmt.mmss(t.longest))
            for t in await run_in_threadpool(service.lengths.too_long, c.station, airable)]
    return c.render(request, "week.html", status_code, error=error, queued=queued, airable=airable, too_long=long,
                    slots=list(slot_titles.items()), zone_choices=list(zones.items()),
                    can_write=allowed(request.state.session.role, "write"),
                    rows=rows, days=days, chosen=chosen, filter_groups=fmt.by_group(zone_list),
                    start=fmt.date(plan.start), end=fmt.date(plan.last_day),
                    previous=(plan.start - dt.timedelta(days=7)).isoformat(),
                    following=(plan.start + dt.timedelta(days=7)).isoformat(), day=fmt.date(day),
                    problems=plan.check.problems, warnings=plan.check.warnings)


async def add(request: Request) -> Response:
    """Thêm vào lịch: an approved item into a slot, on a date, for one zone or all."""
    c = console(request)
    data = await request.form()
    day = fmt.parse_date(data.get("date"))
    if str(data.get("date") or "").strip() and day is None:
        return await week(request, _("Not a date: type dd/mm/yyyy"), 400)
    try:
        await run_in_threadpool(service.week.queue_add, c.station, str(data.get("item", "")), c.now(),
                                str(data.get("slot") or "") or None, day, str(data.get("zone") or "") or None,
                                str(data.get("priority") or "normal"), request.state.session.user)
    except BroadcastError as exc:
        return await week(request, fmt.error_text(exc), 400)
    return RedirectResponse(f"/lich-phat?ngay={(day or c.now().date()).isoformat()}&ok=lich", 303)


async def remove(request: Request) -> Response:
    """Xóa khỏi lịch."""
    c = console(request)
    await run_in_threadpool(service.week.queue_remove, c.station, int(request.path_params["entry_id"]),
                            request.state.session.user, c.now())
    return RedirectResponse("/lich-phat?ok=bo-lich", 303)


async def slot_form(request: Request, error: str = "", status_code: int = 200, conflict=None, yours: str = "") -> Response:
    """Sửa buổi phát: time, length, days and zones of a weekly slot."""
    c = console(request)
    slot_id = request.path_params["slot_id"]
    slot = next((s for s in await run_in_threadpool(service.week.slots, c.station)
                 if s.id == slot_id and not s.is_event), None)
    if slot is None:
        return c.render(request, "error.html", 404, message=_("unknown slot {slot!r}").format(slot=slot_id), hint="")
    zone_list = await run_in_threadpool(service.station.zones, c.station)
    every = len(slot.zones) == len(zone_list)
    return c.render(request, "slot_form.html", status_code, slot=slot, error=error,
                    days=[(n, _(WEEKDAYS[n]), n in slot.days) for n in range(7)],
                    zone_groups=fmt.by_group(zone_list), chosen=set() if every else set(slot.zones),
                    topics=[(t.code, t.label) for t in c.station.topics],
                    rules=[(n, set(rule.topics)) for n, rule in enumerate(slot.template.rules)],
                    start=f"{slot.start:%H:%M}", minutes=slot.length // 60, conflict=conflict, yours=yours,
                    version=await run_in_threadpool(service.week.slot_version, c.station, slot))


async def save_slot(request: Request) -> Response:
    c = console(request)
    data = await request.form()
    slot_id = request.path_params["slot_id"]
    try:
        minutes = int(str(data.get("minutes", "")).strip())
    except ValueError:
        return await slot_form(request, _("the length is a number of minutes"), 400)
    edit = service.week.SlotEdit(str(data.get("title", "")), str(data.get("start", "")), minutes,
                                 tuple(int(d) for d in data.getlist("days") if str(d).isdigit()),
                                 tuple(str(z) for z in data.getlist("zones")) if data.get("where") == "some" else (),
                                 tuple(tuple(str(t) for t in data.getlist(f"rule-{n}")) for n in range(8)))
    try:
        await run_in_threadpool(service.week.edit_slot, c.station, slot_id, edit, request.state.session.user, c.now(),
                                data.get("version"))
    except StaleEdit as exc:            # changed elsewhere: the form shows theirs, her entries beside it
        return await slot_form(request, "", 409, exc, _yours(edit, data))
    except BroadcastError as exc:
        return await slot_form(request, fmt.error_text(exc), 400)
    return RedirectResponse("/lich-phat?ok=luu", 303)


def _yours(edit, data) -> str:
    """What she entered in the slot form, one line each, to redo on the current slot."""
    days = ", ".join(_(WEEKDAYS[d]) for d in sorted(edit.days))
    zones = ", ".join(edit.zones) if data.get("where") == "some" else _("All zones")
    return service.conflicts.lines_of(((_("Title"), edit.title), (_("Starts at (HH:MM)"), edit.start),
                                       (_("Longest program (minutes)"), edit.minutes), (_("Days"), days),
                                       (_("Loudspeaker zones"), zones)))


async def move(request: Request) -> Response:
    """Ưu tiên: the officer sets the order priority items air in."""
    c = console(request)
    data = await request.form()
    try:
        await run_in_threadpool(service.week.queue_move, c.station, int(request.path_params["entry_id"]),
                                data.get("huong") == "truoc", request.state.session.user, c.now())
    except BroadcastError as exc:
        return await week(request, fmt.error_text(exc), 400)
    return RedirectResponse("/lich-phat?ok=luu#hang-doi", 303)


async def add_event(request: Request) -> Response:
    """Thêm sự kiện: a one-off broadcast on a date, with approved items."""
    c = console(request)
    data = await request.form()
    day = fmt.parse_date(data.get("date"))
    if day is None:
        return await week(request, _("Not a date: type dd/mm/yyyy"), 400)
    where = str(data.get("zone") or "")
    groups: dict[str, list[str]] = {}
    for z in await run_in_threadpool(service.station.zones, c.station):
        groups.setdefault(z.group, []).append(z.id)
    zones = tuple(groups.get(where[5:], ())) if where.startswith("nhom:") else ((where,) if where else ())
    try:
        minutes = int(str(data.get("minutes", "")).strip())
        event = service.week.EventDraft(str(data.get("title", "")), day, str(data.get("start", "")), minutes, zones,
                                        tuple(str(i) for i in data.getlist("items") if i))
        await run_in_threadpool(service.week.add_event, c.station, event, request.state.session.user, c.now())
    except ValueError:
        return await week(request, _("the length is a number of minutes"), 400)
    except BroadcastError as exc:
        return await week(request, fmt.error_text(exc), 400)
    return RedirectResponse(f"/lich-phat?ngay={day.isoformat()}&ok=luu", 303)
