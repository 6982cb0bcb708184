"""Audio the officer uploads (an emergency recording, a library recording): capped in size and
length, checked by decoding it (not by its name), brought to the station's loudness and stored
under a generated name. Decoding and levelling never hold the whole audio in memory: ffmpeg
decodes to a raw file on disk and sound.level reads it a block at a time."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from collections.abc import Iterator
from pathlib import Path

from broadcast.errors import AudioError, InputError
from broadcast.i18n import _
from broadcast.sound.limits import MAX_MINUTES, check_length, too_long
from broadcast.station.settings import Station

MIN_SECONDS = 0.5


def store_audio(station: Station, data: bytes, original_name: str, now: dt.datetime) -> Path:
    """DATA as a WAV file in audio/tai-len/ (mono, the station's sample rate and loudness, true
    peak under the ceiling); returns its path."""
    from broadcast.sound.level import level_raw

    target = station.uploads_dir / f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.wav"
    with decoded(station, data, original_name, now) as raw:
        level_raw(raw, target, station.mix.sample_rate, station.mix.target_lufs, station.mix.true_peak)
    return target


def too_large(station: Station, size: int, name: str) -> InputError | None:
    """The refusal of an upload of SIZE bytes over the console's cap (checked before it is read
    when its length is declared, and as it arrives otherwise)."""
    if size <= station.console.upload_mb * 1024 * 1024:
        return None
    return InputError(name, None, None, _("the file is too large ({mb:.1f} MB)").format(mb=size / 1024 / 1024),
                      _("at most {mb:g} MB; shorten it or compress it (MP3)").format(mb=station.console.upload_mb))


@contextlib.contextmanager
def decoded(station: Station, data: bytes, original_name: str, now: dt.datetime) -> Iterator[Path]:
    """DATA checked (size cap, length from the header, decodable, long enough) and decoded into a
    raw file (mono 16-bit at the station's rate, no header) beside the uploads; removed after."""
    from broadcast.sound.level import decode_raw

    refusal = too_large(station, len(data), original_name)
    if refusal is not None:
        raise refusal
    if not data:
        raise InputError(original_name, None, None, _("the file is empty"), _("choose the audio file again"))
    folder = station.uploads_dir
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"
    upload, raw = folder / f".{name}.upload", folder / f".{name}.pcm"
    rate = station.mix.sample_rate
    try:
        upload.write_bytes(data)
        check_length(upload, original_name)
        try:        # a header that understates its length: the decode stops just past the cap
            count = decode_raw(upload, raw, rate, MAX_MINUTES * 60 + 1, original_name)
        except AudioError as exc:
            count, cause = 0, exc
        else:
            cause = None
        upload.unlink()
        if not count:
            raise InputError(original_name, None, None, _("cannot be read: not an audio file"),
                             _("use a WAV, MP3, M4A or OGG file that plays on the computer")) from cause
        if count > MAX_MINUTES * 60 * rate:
            raise too_long(original_name, count / rate)
        if count < MIN_SECONDS * rate:
            raise InputError(original_name, None, None, _("the audio is too short"), _("check the recording"))
        yield raw
    finally:
        upload.unlink(missing_ok=True)
        raw.unlink(missing_ok=True)
