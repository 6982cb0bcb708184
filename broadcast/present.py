"""Presentation, shared by every front end (CLI, web console) and the report documents: dates
dd/mm/yyyy, weekdays Thứ Hai … Chủ Nhật, 24-hour time, durations, numbers grouped the Vietnamese
way, and the Vietnamese name of every status, priority, role and voice. Front ends import only
the service layer and this module; views turn records into display values with it, so the
templates hold no logic. Imports nothing of the stages."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from broadcast.errors import BroadcastError
from broadcast.i18n import N_, _, weekday

STATUS_LABELS = {"completed": N_("Aired in full"), "interrupted": N_("Interrupted"), "failed": N_("Failed"),
                 "missed": N_("Missed"), "fallback": N_("Aired standby audio"), "playing": N_("Playing")}   # shown with _()
ITEM_LABELS = {"draft": N_("Draft"), "pending": N_("Awaiting approval"), "approved": N_("Approved")}   # shown with _()
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
    """3:05 (minutes:seconds), -0:12 when negative, "" for none."""
    if seconds is None:
        return ""
    sign, whole = ("-" if seconds < 0 else ""), abs(int(round(seconds)))
    return f"{sign}{whole // 60}:{whole % 60:02d}"


def hms(seconds: float) -> str:
    """1:02:05 (hours:minutes:seconds)."""
    total = int(round(seconds))
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def number(n: int) -> str:
    """1.527: thousands grouped with a dot, the Vietnamese way."""
    return f"{n:,}".replace(",", ".")


def percent(x: float) -> str:
    """0.875 -> 87,5% (decimal comma)."""
    return f"{100 * x:.1f}".replace(".", ",") + "%"


def summary_lines(report) -> list[tuple[str, str]]:
    """The report's headline figures (a records.report.Report), as (label, value) in Vietnamese."""
    return [
        ("Số buổi phát (lượt theo cụm loa)", number(report.broadcasts)),
        ("Tổng thời lượng phát (chương trình, kể cả nhạc hiệu)", hms(report.airtime)),
        ("Số lượt tin, bài đã phát", number(report.item_airings)),
        ("Số tin, bài khác nhau", number(report.distinct_items)),
        ("Số buổi theo lịch", number(report.scheduled)),
        ("Số buổi theo lịch đã phát", number(report.aired_scheduled)),
        ("Tỷ lệ hoàn thành", percent(report.completion) if report.scheduled else "không có buổi nào theo lịch"),
        ("Số lần phát khẩn cấp", number(report.emergencies)),
        ("Số buổi phát trễ quá 5 giây", number(report.late)),
    ]


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


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """From OLD to NEW in words: (kind, text) pieces, kind "same", "del" or "ins"; the spaces and
    line breaks between words are kept, so the pieces read as the text."""
    words = re.compile(r"\S+[^\S\n]*|\s+")         # a word with the spaces after it; line breaks apart
    a, b = words.findall(old), words.findall(new)
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", "".join(b[j1:j2])))
    return pieces


ENGINES = {"espeak": N_("Machine voice (espeak-ng, works offline)"),
           "piper": N_("Natural voice installed on this PC (Piper)"),
           "gtts": N_("Google voice (needs the internet)")}
ACCENTS = {"vi": N_("northern accent"), "vi-VN-x-central": N_("central accent"), "vi-VN-x-south": N_("southern accent")}


def engine_label(name: str) -> str:
    """A speech engine as a voice the officer chooses."""
    return _(ENGINES[name]) if name in ENGINES else name


def voice_label(voice: str) -> str:
    """A voice of an engine (espeak's accents by region; others by their own name)."""
    return _(ACCENTS[voice]) if voice in ACCENTS else voice


def loudness(lufs: float, target: float) -> str:
    """A recording's loudness in words: at the station's level, or how much quieter or louder."""
    off = lufs - target
    if abs(off) <= 1.0:
        return _("At the station's level")
    return (_("{db:.0f} dB louder than the station's level") if off > 0 else
            _("{db:.0f} dB quieter than the station's level")).format(db=abs(off))


def slot_title(slot_id: str, titles: dict[str, str]) -> str:
    """A slot as the officer knows it: its title (TITLES: id -> title), "Phát khẩn cấp" for an emergency."""
    if slot_id == "emergency":
        return _("Emergency broadcast")
    return titles.get(slot_id) or slot_id


def by_group(zones) -> list[tuple[str, list]]:
    """Zones under their group (a merged commune's former communes), groups in schedule order."""
    groups: dict[str, list] = {}
    for zone in zones:
        groups.setdefault(zone.group, []).append(zone)
    return list(groups.items())


AUDIT = {"sign-in": N_("Signed in"), "sign-in.failed": N_("Wrong password"), "sign-out": N_("Signed out"),
         "item.save": N_("Saved an item"), "item.delete": N_("Deleted an item"), "item.submit": N_("Sent for approval"),
         "link.enrol": N_("Linked to the province"), "link.forget": N_("Forgot the link to the province"),
         "item.approve": N_("Approved"), "item.return": N_("Returned to the writer"),
         "item.reading": N_("Sent for approval again: a reading changed"),
         "queue.add": N_("Added to the schedule"), "queue.remove": N_("Removed from the schedule"),
         "queue.move": N_("Changed the order of priority items"), "schedule.slot": N_("Edited a slot"),
         "schedule.event": N_("Added an event"), "schedule.zone": N_("Changed a zone"),
         "emergency": N_("Emergency broadcast"), "user.add": N_("Added a user"), "user.remove": N_("Removed a user"),
         "user.role": N_("Changed a role"), "user.password": N_("Reset a password"), "user.disable": N_("Disabled a user"),
         "user.enable": N_("Enabled a user"), "settings.station": N_("Changed the station's details"),
         "settings.voices": N_("Changed the voices"), "voices.add": N_("Added a voice"),
         "voices.key": N_("Set a voice service's key"),
         "lexicon.add": N_("Added a reading"), "lexicon.remove": N_("Removed a reading"),
         "library.add": N_("Added a recording"), "library.use": N_("Changed a jingle"), "output.test": N_("Test tone")}


def audit_action(code: str) -> str:
    return _(AUDIT[code]) if code in AUDIT else code


@dataclass(frozen=True)
class Problem:
    """A failure as the officer reads it: what happened and what to do, in her words; the system's
    own text (PulseAudio, ffmpeg, a traceback) only as DETAILS, folded under "Chi tiết kỹ thuật"."""

    text: str
    hint: str = ""
    details: str = ""


SYSTEM_PROBLEMS = (   # (words in the system's text, what happened, what to do), first match wins
    (("pa_context_connect", "Connection refused", "Connection failure", "pulseaudio", "pactl"),
     N_("The station PC's sound system did not answer, so nothing reached the loudspeakers"),
     N_("check that the station PC is on and its sound cable is plugged in, then try again; if it happens "
        "again, restart the station PC")),
    (("No space left",), N_("The station PC's disk is full"), N_("delete old files in cache/ or out/, then try again")),
    (("timed out", "Timeout", "timeout"), N_("The device did not answer in time"),
     N_("check the cable or the network to the loudspeakers, then try again")),
    (("Name or service not known", "Network is unreachable", "No route to host", "Temporary failure in name"),
     N_("The network connection failed"), N_("check the station's network or internet connection, then try again")),
    (("Permission denied",), N_("The station PC refused access to a file or device"),
     N_("ask the station's administrator to check the permissions")),
    (("No such file", "not found"), N_("A file needed for this is missing"),
     N_("prepare it again; if it happens again, ask the station's administrator")),
)


def explain(raw: str | None, text: str = "", hint: str = "") -> Problem:
    """RAW (an error from the system) as a Problem: TEXT and HINT when given, else the sentence for
    the kind of failure RAW shows, else a general one; RAW itself goes under the details."""
    raw = (raw or "").strip()
    if not text:
        for words, said, todo in SYSTEM_PROBLEMS:
            if any(w in raw for w in words):
                text, hint = _(said), hint or _(todo)
                break
        else:
            text = _("Something went wrong")
            hint = hint or _("try again; if it happens again, show the technical details to the station's administrator")
    return Problem(text, hint, raw)


def in_words(raw: str) -> str:
    """RAW in the officer's words when it is a failure this module knows (PulseAudio, a full disk, …),
    else RAW itself (already a sentence of ours)."""
    problem = explain(raw)
    return raw if problem.text == _("Something went wrong") else problem.text


def error_text(exc) -> str:
    """A BroadcastError as one line for a page: the problem and its hint; every problem of a ScriptErrors."""
    from broadcast.errors import ScriptErrors

    if isinstance(exc, ScriptErrors):
        return str(exc)
    return exc.message + (f" – {exc.hint}" if exc.hint else "")


def certainty(confidence: float) -> str:
    """How sure the guess is, in words the officer reads ("khá chắc, 60 %")."""
    if confidence >= 0.7:
        words = _("sure")
    elif confidence >= 0.35:
        words = _("fairly sure")
    else:
        words = _("not sure: choose the topic")
    return _("{words}, {percent} %").format(words=words, percent=round(confidence * 100))


VOICES_VI = {"espeak": "giọng máy espeak-ng", "gtts": "giọng Google (gTTS)", "piper": "giọng piper",
             "korvatts": "giọng korvatts", "fpt": "giọng FPT.AI", "viettel": "giọng Viettel AI",
             "google": "giọng Google Cloud", "recording": "bản thu âm"}


def voice_vi(voice: str) -> str:
    """'gtts+recording' as the reports write it (they are in Vietnamese whatever the console's language)."""
    return " + ".join(VOICES_VI.get(v, v) for v in voice.split("+"))
