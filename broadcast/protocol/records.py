"""The records of protocol v1 (docs/hub.md), as JSON objects. `from_json` checks every field and
raises ProtocolError naming it, so neither side trusts what the other sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from broadcast.errors import BroadcastError
from broadcast.i18n import _

VERSION = 1
PRIORITIES = ("normal", "priority", "emergency")          # TT39: thông thường, ưu tiên, khẩn cấp
RECEIPT_STATES = ("received", "queued", "aired", "failed", "expired", "refused")
MAX_ASRUN_BATCH = 500
MAX_TEXT = 20_000                                          # characters of a bulletin's text


class ProtocolError(BroadcastError):
    """A request or reply that does not follow protocol v1."""


def _fail(field: str, problem: str) -> ProtocolError:
    return ProtocolError(_("{field}: {problem}").format(field=field, problem=problem),
                         _("both sides must speak protocol v1 (docs/hub.md); update the older one"))


def _get(data: dict, name: str, kind, optional: bool = False):
    if not isinstance(data, dict):
        raise _fail(name, _("expected an object"))
    value = data.get(name)
    if value is None:
        if optional:
            return None
        raise _fail(name, _("missing"))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if kind is dt.datetime:
        try:
            value = dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise _fail(name, _("not a date and time (ISO 8601)")) from None
        if value.tzinfo is None:
            raise _fail(name, _("a date and time needs its UTC offset"))
        return value
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise _fail(name, _("expected {kind}").format(kind=kind.__name__))
    return value


def _text(data: dict, name: str, limit: int = 200, optional: bool = False) -> str | None:
    value = _get(data, name, str, optional)
    if value is not None and len(value) > limit:
        raise _fail(name, _("longer than {limit} characters").format(limit=limit))
    return value


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Record:
    def to_json(self) -> dict:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class Zone(_Record):
    id: str
    name: str

    @classmethod
    def from_json(cls, data: dict) -> "Zone":
        return cls(_text(data, "id", 64), _text(data, "name"))


@dataclass(frozen=True)
class Enrolment(_Record):
    """Station -> hub, unsigned: the one-time code and who the station is."""

    code: str
    name: str
    commune: str
    zones: tuple[Zone, ...]
    version: int = VERSION

    @classmethod
    def from_json(cls, data: dict) -> "Enrolment":
        zones = tuple(Zone.from_json(z) for z in _get(data, "zones", list))
        return cls(_text(data, "code", 64), _text(data, "name"), _text(data, "commune"), zones,
                   _get(data, "version", int))

    def to_json(self) -> dict:
        return {**super().to_json(), "zones": [z.to_json() for z in self.zones]}


@dataclass(frozen=True)
class EnrolReply(_Record):
    station: str            # the station's id at the hub
    token: str              # its secret: stored mode 600, never sent again
    hub: str                # the hub's name, shown on the station

    @classmethod
    def from_json(cls, data: dict) -> "EnrolReply":
        return cls(_text(data, "station", 64), _text(data, "token", 128), _text(data, "hub"))


@dataclass(frozen=True)
class OutputState(_Record):
    zone: str
    output: str             # without any password
    ok: bool
    reason: str | None = None

    @classmethod
    def from_json(cls, data: dict) -> "OutputState":
        return cls(_text(data, "zone", 64), _text(data, "output", 300), _get(data, "ok", bool),
                   _text(data, "reason", 500, optional=True))


@dataclass(frozen=True)
class NextProgram(_Record):
    zone: str
    slot: str
    at: dt.datetime
    items: tuple[str, ...]  # titles

    @classmethod
    def from_json(cls, data: dict) -> "NextProgram":
        items = _get(data, "items", list)
        if not all(isinstance(i, str) for i in items):
            raise _fail("items", _("expected a list of titles"))
        return cls(_text(data, "zone", 64), _text(data, "slot", 64), _get(data, "at", dt.datetime), tuple(items))


@dataclass(frozen=True)
class Heartbeat(_Record):
    """Station -> hub, every sync: how the station is."""

    at: dt.datetime
    daemon_alive: bool
    alert: str | None                       # the station's loudest alert (Tổng quan), Vietnamese
    outputs: tuple[OutputState, ...]
    disk_free_bytes: int
    voice: str                              # the voice in use (engine)
    voice_fallback: bool                    # True: a worse voice than the chosen one is airing
    next_programs: tuple[NextProgram, ...]
    version: int = VERSION

    @classmethod
    def from_json(cls, data: dict) -> "Heartbeat":
        return cls(_get(data, "at", dt.datetime), _get(data, "daemon_alive", bool),
                   _text(data, "alert", 1000, optional=True),
                   tuple(OutputState.from_json(o) for o in _get(data, "outputs", list)),
                   _get(data, "disk_free_bytes", int), _text(data, "voice", 100), _get(data, "voice_fallback", bool),
                   tuple(NextProgram.from_json(p) for p in _get(data, "next_programs", list)),
                   _get(data, "version", int))

    def to_json(self) -> dict:
        data = super().to_json()
        data["outputs"] = [o.to_json() for o in self.outputs]
        data["next_programs"] = [p.to_json() for p in self.next_programs]
        return data


@dataclass(frozen=True)
class AsrunRecord(_Record):
    """Station -> hub: one as-run row in a final status. TOKEN is the row's identity: the hub keeps
    one row per (station, token), so a batch sent twice adds nothing."""

    token: str
    occurrence: str
    attempt: int
    slot: str
    zone: str
    output: str
    scheduled: dt.datetime
    started: dt.datetime | None
    ended: dt.datetime | None
    planned_seconds: float | None
    played_seconds: float | None
    status: str
    items: tuple[dict, ...]                 # {script, title, topic, seconds, engine}
    note: str | None = None
    error: str | None = None
    voice: str | None = None
    bulletin: str | None = None             # the province bulletin this airing carried
    voice_fallback: str | None = None       # why a worse voice than the station's chosen one read it (None: it did not)

    @classmethod
    def from_json(cls, data: dict) -> "AsrunRecord":
        items = _get(data, "items", list)
        if not all(isinstance(i, dict) for i in items):
            raise _fail("items", _("expected a list of objects"))
        return cls(_text(data, "token", 64), _text(data, "occurrence", 300), _get(data, "attempt", int),
                   _text(data, "slot", 64), _text(data, "zone", 64), _text(data, "output", 300),
                   _get(data, "scheduled", dt.datetime), _get(data, "started", dt.datetime, True),
                   _get(data, "ended", dt.datetime, True), _get(data, "planned_seconds", float, True),
                   _get(data, "played_seconds", float, True), _text(data, "status", 32), tuple(items),
                   _text(data, "note", 2000, True), _text(data, "error", 2000, True), _text(data, "voice", 200, True),
                   _text(data, "bulletin", 64, True), _text(data, "voice_fallback", 500, True))


@dataclass(frozen=True)
class Bulletin(_Record):
    """Hub -> station: a province bulletin addressed to the station. SEQ orders deliveries to one
    station; the station asks for those after the last SEQ it applied."""

    seq: int
    id: str
    title: str
    text: str | None                        # voiced at the station with its own best voice
    audio_sha256: str | None                # or a recording: GET /api/v1/bulletins/{id}/audio
    priority: str
    zones: tuple[str, ...] | None           # None: every zone of the station
    valid_from: dt.datetime
    valid_until: dt.datetime
    created_at: dt.datetime
    by: str                                 # the province editor's name

    @classmethod
    def from_json(cls, data: dict) -> "Bulletin":
        priority = _text(data, "priority", 16)
        if priority not in PRIORITIES:
            raise _fail("priority", _("one of {choices}").format(choices=", ".join(PRIORITIES)))
        zones = _get(data, "zones", list, optional=True)
        if zones is not None and not all(isinstance(z, str) for z in zones):
            raise _fail("zones", _("expected a list of zone ids"))
        bulletin = cls(_get(data, "seq", int), _text(data, "id", 64), _text(data, "title", 300),
                       _text(data, "text", MAX_TEXT, True), _text(data, "audio_sha256", 64, True), priority,
                       tuple(zones) if zones is not None else None, _get(data, "valid_from", dt.datetime),
                       _get(data, "valid_until", dt.datetime), _get(data, "created_at", dt.datetime),
                       _text(data, "by", 200))
        if (bulletin.text is None) == (bulletin.audio_sha256 is None):
            raise _fail("text", _("a bulletin has either text or audio"))
        return bulletin


@dataclass(frozen=True)
class Receipt(_Record):
    """Station -> hub: what became of a bulletin on one zone (idempotent by bulletin, zone, state)."""

    bulletin: str
    zone: str
    state: str
    at: dt.datetime
    reason: str | None = None               # why not aired, Vietnamese
    asrun_token: str | None = None

    @classmethod
    def from_json(cls, data: dict) -> "Receipt":
        state = _text(data, "state", 16)
        if state not in RECEIPT_STATES:
            raise _fail("state", _("one of {choices}").format(choices=", ".join(RECEIPT_STATES)))
        return cls(_text(data, "bulletin", 64), _text(data, "zone", 64), state, _get(data, "at", dt.datetime),
                   _text(data, "reason", 1000, True), _text(data, "asrun_token", 64, True))

