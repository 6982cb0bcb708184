"""Audio the officer uploads (an emergency recording, later jingles and recorded items): capped
in size, checked by decoding it (not by its name), stored under a generated name."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from broadcast.errors import AudioError, InputError
from broadcast.sound.audio import decode, write_wav
from broadcast.station.settings import Station

MIN_SECONDS = 0.5


def store_audio(station: Station, data: bytes, original_name: str, now: dt.datetime) -> Path:
    """DATA as a WAV file in audio/tai-len/ (mono, the station's sample rate); returns its path."""
    cap = int(station.console.upload_mb * 1024 * 1024)
    if len(data) > cap:
        raise InputError(original_name, None, None, f"tệp quá lớn ({len(data) / 1024 / 1024:.1f} MB)",
                         f"tối đa {station.console.upload_mb:g} MB; cắt ngắn hoặc nén lại (MP3)")
    if not data:
        raise InputError(original_name, None, None, "tệp rỗng", "chọn lại tệp âm thanh")
    folder = station.uploads_dir
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"
    raw = folder / f".{name}.upload"
    try:
        raw.write_bytes(data)
        try:
            speech = decode(raw, station.mix.sample_rate)
        except AudioError as exc:
            raise InputError(original_name, None, None, "không đọc được: không phải tệp âm thanh",
                             "dùng tệp WAV, MP3, M4A hoặc OGG phát được trên máy tính") from exc
    finally:
        raw.unlink(missing_ok=True)
    if speech.duration < MIN_SECONDS:
        raise InputError(original_name, None, None, "âm thanh quá ngắn", "kiểm tra lại bản ghi")
    target = folder / f"{name}.wav"
    write_wav(target, speech)
    return target

