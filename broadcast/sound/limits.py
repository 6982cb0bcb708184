"""How long an audio file the station takes from outside (an uploaded recording, an emergency
file): read from the header before anything is decoded, so a small file that says it lasts ten
hours (an audio bomb) is refused in Vietnamese instead of growing a process by gigabytes."""

from __future__ import annotations

from pathlib import Path

from broadcast.errors import InputError
from broadcast.i18n import _
from broadcast.sound.audio import header_seconds

MAX_MINUTES = 60        # an uploaded recording or emergency file: longer is a wrong file (or a bomb)


def too_long(name: str, seconds: float) -> InputError:
    return InputError(name, None, None, _("the audio lasts {length}, longer than {cap} minutes").format(
        length=_hms(seconds), cap=MAX_MINUTES), _("cut it to the part to air (at most {cap} minutes)").format(
        cap=MAX_MINUTES))


def _hms(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def check_length(path: Path, name: str) -> None:
    """Refuse audio longer than MAX_MINUTES by its header, before anything is decoded."""
    seconds = header_seconds(path)
    if seconds is not None and seconds > MAX_MINUTES * 60:
        raise too_long(name, seconds)
