"""Audio the officer uploads (an emergency recording, later jingles and recorded items): capped
in size, checked by decoding it (not by its name), stored under a generated name."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from broadcast.errors import AudioError, InputError
from broadcast.i18n import _
from broadcast.sound.audio import decode, write_wav
from broadcast.sound.limits import MAX_MINUTES, check_length, too_long
from broadcast.sound.pcm import Speech
from broadcast.station.settings import Station

MIN_SECONDS = 0.5
def store_audio(station: Station, data: bytes, original_name: str, now: dt.datetime) -> Path:
    """DATA as a WAV file in audio/tai-len/ (mono, the station's sample rate); returns its path."""
    speech = decode_upload(station, data, original_name, now)
    target = station.uploads_dir / f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.wav"
    write_wav(target, speech)
    return target


def too_large(station: Station, size: int, name: str) -> InputError | None:
    """The refusal of an upload of SIZE bytes over the console's cap (checked before it is read
    when its length is declared, and as it arrives otherwise)."""
    if size <= station.console.upload_mb * 1024 * 1024:
        return None
    return InputError(name, None, None, _("the file is too large ({mb:.1f} MB)").format(mb=size / 1024 / 1024),
                      _("at most {mb:g} MB; shorten it or compress it (MP3)").format(mb=station.console.upload_mb))


def decode_upload(station: Station, data: bytes, original_name: str, now: dt.datetime) -> Speech:
    """DATA checked (size cap, decodable, long enough) and decoded: mono at the station's rate."""
    refusal = too_large(station, len(data), original_name)
    if refusal is not None:
        raise refusal
    if not data:
        raise InputError(original_name, None, None, _("the file is empty"), _("choose the audio file again"))
    folder = station.uploads_dir
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"
    raw = folder / f".{name}.upload"
    try:
        raw.write_bytes(data)
        check_length(raw, original_name)
        try:        # a header that understates its length: the decode stops just past the cap
            speech = decode(raw, station.mix.sample_rate, limit=MAX_MINUTES * 60 + 1)
        except AudioError as exc:
            raise InputError(original_name, None, None, _("cannot be read: not an audio file"),
                             _("use a WAV, MP3, M4A or OGG file that plays on the computer")) from exc
    finally:
        raw.unlink(missing_ok=True)
    if speech.duration > MAX_MINUTES * 60:
        raise too_long(original_name, speech.duration)
    if speech.duration < MIN_SECONDS:
        raise InputError(original_name, None, None, _("the audio is too short"), _("check the recording"))
    return speech

