"""How the console shows dates, times and states: dd/mm/yyyy, Thứ Hai … Chủ Nhật, 24-hour time,
and the Vietnamese name of every status. Views turn records into display values with these, so
the templates hold no logic."""

from __future__ import annotations

import datetime as dt

from broadcast.errors import BroadcastError
from broadcast.i18n import N_, _, weekday
from broadcast.records.asrun import STATUS_LABELS
from broadcast.service.approval import LABELS as ITEM_LABELS

AIRING = {**STATUS_LABELS, "planned": N_("Waiting to air"), "unlogged": N_("Not seen airing")}
PRIORITY = {"normal": N_("Normal"), "priority": N_("Priority"), "emergency": N_("Emergency")}


def airing(status: str) -> str:
    return _(AIRING[status]) if status in AIRING else status


def item_status(state: str) -> str:
    return _(ITEM_LABELS[state])


def priority(level: str) -> str:
    return _(PRIORITY[level])


def choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    """(value, label in the current language) for a select."""
    return [(value, _(label)) for value, label in labels.items()]


def date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day and day != dt.date.max else ""


def validity(first: dt.date, last: dt.date) -> str:
    if last == dt.date.max:
        return _("from {date}, no end date").format(date=date(first))
    return f"{date(first)} – {date(last)}"


def weekday_date(day: dt.date) -> str:
    return f"{weekday(day)} {date(day)}"


def time(moment: dt.datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else ""


def moment(at: dt.datetime | None) -> str:
    return at.strftime("%H:%M %d/%m/%Y") if at else ""


def iso_moment(text: str | None) -> str:
    return moment(dt.datetime.fromisoformat(text)) if text else ""


def mmss(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)     # the dates a station works with


def parse_date(text: str | None) -> dt.date | None:
    """A date from a form: 2024-03-18 (date picker) or 18/03/2024 (typed); None if it is not one,
    or lies outside FIRST_DAY – LAST_DAY."""
    text = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return day if FIRST_DAY <= day <= LAST_DAY else None
    return None


def query_date(params, name: str, label: str) -> dt.date | None:
    """The date in query parameter NAME (LABEL: what the officer calls it); None if absent;
    an error in her words if it is not a date in range."""
    text = (params.get(name) or "").strip()
    if not text:
        return None
    day = parse_date(text)
    if day is None:
        raise BroadcastError(_("{field}: “{value}” is not a date from {first} to {last}").format(
            field=label, value=text[:40], first=date(FIRST_DAY), last=date(LAST_DAY)), _("type the date as dd/mm/yyyy"))
    return day


def query_number(params, name: str, label: str, low: int, high: int, default: int) -> int:
    """The whole number in query parameter NAME, from LOW to HIGH; DEFAULT if absent."""
    text = (params.get(name) or "").strip()
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise BroadcastError(_("{field}: “{value}” is not a number from {low} to {high}").format(
            field=label, value=text[:40], low=low, high=high), _("correct it in the address, or choose it on the page"))
    return int(text)


def by_group(zones) -> list[tuple[str, list]]:
    """Zones under their group (a merged commune's former communes), groups in schedule order."""
    groups: dict[str, list] = {}
    for zone in zones:
        groups.setdefault(zone.group, []).append(zone)
    return list(groups.items())


AUDIT = {"sign-in": N_("Signed in"), "sign-in.failed": N_("Wrong password"), "sign-out": N_("Signed out"),
         "item.save": N_("Saved an item"), "item.delete": N_("Deleted an item"), "item.submit": N_("Sent for approval"),
         "item.approve": N_("Approved"), "item.return": N_("Returned to the writer"),
         "item.reading": N_("Sent for approval again: a reading changed"),
         "queue.add": N_("Added to the schedule"), "queue.remove": N_("Removed from the schedule"),
         "queue.move": N_("Changed the order of priority items"), "schedule.slot": N_("Edited a slot"),
         "schedule.event": N_("Added an event"), "schedule.zone": N_("Changed a zone"),
         "emergency": N_("Emergency broadcast"), "user.add": N_("Added a user"), "user.remove": N_("Removed a user"),
         "user.role": N_("Changed a role"), "user.password": N_("Reset a password"), "user.disable": N_("Disabled a user"),
         "user.enable": N_("Enabled a user"), "settings.station": N_("Changed the station's details"),
         "settings.voices": N_("Changed the voices"), "voices.add": N_("Added a voice"),
         "lexicon.add": N_("Added a reading"), "lexicon.remove": N_("Removed a reading"),
         "library.add": N_("Added a recording"), "library.use": N_("Changed a jingle"), "output.test": N_("Test tone")}


def audit_action(code: str) -> str:
    return _(AUDIT[code]) if code in AUDIT else code


def error_text(exc) -> str:
    """A BroadcastError as one line for a page: the problem and its hint; every problem of a ScriptErrors."""
    from broadcast.errors import ScriptErrors

    if isinstance(exc, ScriptErrors):
        return str(exc)
    return exc.message + (f" – {exc.hint}" if exc.hint else "")
