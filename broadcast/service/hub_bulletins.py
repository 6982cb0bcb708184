"""Tin của tỉnh: a bulletin the province writes (text voiced at each station, or a recording),
checked field by field, addressed to communes (all, a list, a group) and zones, then handed to
the hub core, which delivers it; and what became of it at each commune and zone."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import AudioError, BroadcastError
from broadcast.hub import bulletin_status, bulletins
from broadcast.i18n import _
from broadcast.protocol.records import MAX_TEXT, PRIORITIES
from broadcast.sound.audio import decode
from broadcast.sound.limits import check_length

AUDIO_BYTES = bulletins.MAX_AUDIO_BYTES     # an uploaded recording's cap (the core's)
AUDIO_MB = AUDIO_BYTES // (1024 * 1024)
AUDIO_MINUTES = 15                          # and its length's
TARGETS = ("all", "list", "group")


class BulletinError(BroadcastError):
    """A bulletin form that cannot be sent as it is: names the field and what to do."""


@dataclass(frozen=True)
class Draft:
    title: str
    text: str | None
    audio: bytes | None
    audio_name: str | None
    priority: str
    target: str                          # all, list or group
    stations: tuple[str, ...]            # with target 'list'
    group: str | None                    # with target 'group': its id
    zones: tuple[str, ...] | None        # None: every zone
    valid_from: dt.datetime
    valid_until: dt.datetime
    confirmed: bool = False              # an emergency asks for confirmation first


def _fail(field: str, problem: str, hint: str) -> BulletinError:
    return BulletinError(_("{field}: {problem}").format(field=field, problem=problem), hint)


def check(draft: Draft, now: dt.datetime) -> None:
    """Refuse a draft that cannot be sent, naming the field; an emergency not yet confirmed too."""
    if not draft.title.strip():
        raise _fail(_("Title"), _("missing"), _("write a short title the officers will read"))
    if len(draft.title) > 300:
        raise _fail(_("Title"), _("longer than {limit} characters").format(limit=300), _("shorten the title"))
    if (draft.text is None) == (draft.audio is None):
        raise _fail(_("Content"), _("a bulletin has either text or audio"),
                    _("write the text to be read, or choose a recording"))
    if draft.text is not None and not draft.text.strip():
        raise _fail(_("Text to be read"), _("missing"), _("write the text each station will read"))
    if draft.text is not None and len(draft.text) > MAX_TEXT:
        raise _fail(_("Text to be read"), _("longer than {limit} characters").format(limit=MAX_TEXT), _("shorten the text"))
    if draft.priority not in PRIORITIES:
        raise _fail(_("Priority level"), _("not one of the list"), _("choose the priority on the page"))
    if draft.target not in TARGETS or draft.target == "list" and not draft.stations or \
            draft.target == "group" and not draft.group:
        raise _fail(_("Communes"), _("none chosen"), _("choose all communes, some of them, or a group"))
    if draft.zones is not None and not draft.zones:
        raise _fail(_("Zone"), _("none named"), _("choose every zone, or write the zones' names"))
    if draft.valid_until <= draft.valid_from:
        raise _fail(_("Valid until"), _("is not after the start"), _("choose an end after the start"))
    if draft.valid_until <= now:
        raise _fail(_("Valid until"), _("is already past"), _("choose an end in the future"))
    if draft.audio is not None:
        check_audio(draft.audio, draft.audio_name or "audio")


def check_audio(data: bytes, name: str) -> float:
    """The recording's length in seconds; refused if too large, too long or not audio."""
    if len(data) > AUDIO_BYTES:
        raise _fail(name, _("the file is too large ({mb:.1f} MB)").format(mb=len(data) / 1024 / 1024),
                    _("at most {mb:g} MB; shorten it or compress it (MP3)").format(mb=AUDIO_MB))
    if not data:
        raise _fail(name, _("the file is empty"), _("choose the audio file again"))
    with tempfile.TemporaryDirectory(prefix="tin-tinh-") as folder:
        raw = Path(folder) / "upload"
        raw.write_bytes(data)
        check_length(raw, name)
        try:
            seconds = decode(raw, 16000, limit=AUDIO_MINUTES * 60 + 1).duration
        except AudioError:
            raise _fail(name, _("cannot be read: not an audio file"),
                        _("use a WAV, MP3, M4A or OGG file that plays on the computer")) from None
    if seconds > AUDIO_MINUTES * 60:
        raise _fail(name, _("the audio is longer than {cap} minutes").format(cap=AUDIO_MINUTES),
                    _("cut it to the part to air"))
    if seconds < 0.5:
        raise _fail(name, _("the audio is too short"), _("check the recording"))
    return seconds


def summaries(hub, limit: int = 100):
    with hub.connect() as conn:
        return bulletin_status.summaries(conn, limit)


class UnknownBulletin(BroadcastError):
    """No bulletin with that id."""


def status(hub, bulletin: str):
    """(summary, per commune and zone) of BULLETIN."""
    with hub.connect() as conn:
        found = bulletin_status.summary(conn, bulletin)
        if found is None:
            raise UnknownBulletin(_("there is no bulletin {id!r}").format(id=bulletin[:64]),
                                  _("choose it from the list Tin của tỉnh"))
        return found, bulletin_status.deliveries(conn, bulletin)


def send(hub, draft: Draft, now: dt.datetime, by: str, held_token: str | None = None) -> str:
    """Check DRAFT and hand it to the hub core, which delivers it to each chosen station (and wakes
    their long-polls); returns its id. An emergency must be confirmed first. HELD_TOKEN: the
    recording held for the confirmation, let go."""
    from broadcast.service import hub as core
    from broadcast.service import hub_accounts

    check(draft, now)
    if draft.priority == "emergency" and not draft.confirmed:
        raise _fail(_("Priority level"), _("an emergency bulletin must be confirmed"), _("confirm it on the page"))
    to = core.Addressees(stations=draft.stations if draft.target == "list" else None,
                         group=draft.group if draft.target == "group" else None, zones=draft.zones)
    with hub.connect() as conn:
        bulletin, count = core.send_bulletin(conn, core.Draft(draft.title.strip(), draft.priority, draft.valid_from,
                                                              draft.valid_until, by, draft.text, draft.audio), to, now)
        if held_token:
            from broadcast.hub import held

            held.release(conn, held_token)
        hub_accounts.record(conn, now, by, "bulletin.send", bulletin,
                            f"{draft.priority}: {count} xã, phường – {draft.title.strip()[:100]}")
    return bulletin


def hold_audio(hub, user: str, filename: str, data: bytes, now: dt.datetime) -> str:
    """Keep an uploaded recording while its emergency bulletin waits for confirmation; returns a token."""
    from broadcast.hub import held

    with hub.connect() as conn:
        return held.hold(conn, user, filename, data, now)


def held_audio(hub, token: str, user: str, now: dt.datetime) -> tuple[str, bytes] | None:
    from broadcast.hub import held

    with hub.connect() as conn:
        return held.held(conn, token, user, now)
