"""Thu âm: a news item read by the officer or a village reader, recorded in the browser (or an
audio file of the reading), becomes the item's audio: decoded (no more than the length allowed),
background noise reduced, the silence before and after trimmed, brought to the station's
loudness. The item then airs the recording instead of a voice; its approval binds to it (a new
recording is a new version, back to approval) and the earlier recordings stay on disk.

Processing runs where the audio stack lives (the console's render worker)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from broadcast.errors import AudioError, InputError
from broadcast.files import atomic_path
from broadcast.i18n import _
from broadcast.news.scripts import NewsItem
from broadcast.service.scripts import Draft, find, save_script
from broadcast.service.users import log_action
from broadcast.station.settings import Station

FOLDER = Path("audio") / "thu-am"
MIN_SECONDS = 1.0


@dataclass(frozen=True)
class RecordingReport:
    file: str                  # in the station folder
    seconds: float             # after trimming
    trimmed_start: float
    trimmed_end: float
    noise_reduction: float     # dB the noise floor went down, relative to the speech
    speech_change: float       # dB the speech itself changed by the noise reduction
    lufs: float
    true_peak: float
    took: float                # seconds of processing
    by: str | None
    at: str                    # ISO time


@contextlib.contextmanager
def decoded(station: Station, source: Path, name: str) -> Iterator[Path]:
    """SOURCE decoded by ffmpeg into a raw file (mono 16-bit at the station's rate) beside the
    recordings, never more than the allowed length plus a second (a longer file is refused, in
    bounded memory); removed after."""
    from broadcast.sound.level import decode_raw

    cap = station.console.record_minutes * 60
    rate = station.mix.sample_rate
    folder = station.root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    raw = folder / f".{secrets.token_hex(8)}.pcm"
    try:
        try:
            count = decode_raw(source, raw, rate, cap + 1, name)
        except AudioError as exc:
            raise InputError(name, None, None, _("cannot be read: not an audio file"),
                             _("use a WAV, MP3, M4A or OGG file that plays on the computer")) from exc
        if count > cap * rate:
            raise InputError(name, None, None, _("the recording is longer than {minutes:g} minutes").format(
                minutes=station.console.record_minutes),
                _("record the item in parts, or the admin raises console: record_minutes in station.yaml"))
        if count < MIN_SECONDS * rate:
            raise InputError(name, None, None, _("the audio is too short"), _("check the recording"))
        yield raw
    finally:
        raw.unlink(missing_ok=True)


def record_item(station: Station, item_id: str, source: Path, name: str, by: str | None,
                now: dt.datetime) -> RecordingReport:
    """The audio in SOURCE (an upload named NAME) cleaned and made ITEM_ID's audio. Every step reads
    and writes files a block at a time (sound.cleanfile): a long reading costs what a short one does."""
    from broadcast.sound.cleanfile import clean_file

    item = find(station, item_id)
    began = time.perf_counter()
    target = station.root / FOLDER / f"{item.id}-{now:%Y%m%d-%H%M%S}.wav"
    with decoded(station, source, name) as raw:
        try:
            cleaned = clean_file(raw, target, station.mix.sample_rate, station.mix.target_lufs, station.mix.true_peak)
        except AudioError as exc:       # nothing to master
            raise InputError(name, None, None, _("the recording is silent"),
                             _("check that the browser may use the microphone, and record again")) from exc
    report = RecordingReport(str(target.relative_to(station.root)), round(cleaned.seconds, 2),
                             round(cleaned.trimmed_start, 2), round(cleaned.trimmed_end, 2),
                             round(cleaned.noise_reduction, 1), round(cleaned.speech_change, 1),
                             round(cleaned.loudness, 1), round(cleaned.true_peak, 1),
                             round(time.perf_counter() - began, 2), by, now.isoformat(timespec="seconds"))
    with atomic_path(target.with_suffix(".json")) as tmp:
        tmp.write_text(json.dumps(asdict(report), ensure_ascii=False), "utf-8")
    save_script(station, replace(Draft.from_item(item), audio=report.file), by, now)
    log_action(station, now, by, "item.record", item.id, report.file)
    return report


def report_of(station: Station, item: NewsItem) -> RecordingReport | None:
    """What was done to ITEM's recording, when it was recorded in the console."""
    if item.audio is None:
        return None
    try:
        data = json.loads((station.root / item.audio).with_suffix(".json").read_text("utf-8"))
        return RecordingReport(**data)
    except (OSError, ValueError, TypeError):
        return None
